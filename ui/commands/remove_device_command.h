// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Takes a device out of its cluster; the command owns the removed value until undo re-inserts
/// it at the same index, so undo restores the scenario exactly.
class RemoveDeviceCommand : public QUndoCommand
{
public:
    RemoveDeviceCommand(TopologyDocument *document, int clusterIndex, int deviceIndex,
        QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_clusterIndex;
    int m_deviceIndex;
    Device m_device;
};

} // namespace collapipe
