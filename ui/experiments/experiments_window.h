// SPDX-License-Identifier: MIT
#pragma once

namespace collapipe {

class ExperimentsView;
class MainWindow;
class RunWorkspace;

/// Puts the Experiments view in its own window (it needs the room: a form and full-size figures),
/// opened from View ▸ Experiments… of the main window. It stores into the Run panel's database,
/// takes its base scenario from the canvas, and opens a clicked point's run in the main window's
/// replay (RunWorkspace::openReplay, as the runs browser's Open does). Call before the first show.
ExperimentsView *installExperimentsWindow(MainWindow *window, RunWorkspace *workspace);

} // namespace collapipe
