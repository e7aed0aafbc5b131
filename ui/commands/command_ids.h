// SPDX-License-Identifier: MIT
#pragma once

namespace collapipe {

/// QUndoCommand::id() values of commands that merge (QUndoStack merges only equal ids).
enum CommandId {
    MoveItemsCommandId = 1,
    ChangePropertyCommandId = 2,
    SetWaypointsCommandId = 3
};

} // namespace collapipe
