// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QAction;
class QDockWidget;

namespace collapipe {

class LabView;
class MainWindow;
class TopologyDocument;
struct LabWhatIf;

/// Puts the Pipeline Lab into the main window: a "Pipeline Lab" dock, hidden until View ▸
/// Pipeline Lab opens it floating over the window at nearly its size (docked, it goes across
/// the top: the full width, for schedules side by side), fed with the scenario on the canvas. Like RunWorkspace, the main window only calls install().
class LabWorkspace : public QObject
{
    Q_OBJECT

public:
    static LabWorkspace *install(MainWindow *window);

    LabView *view() const { return m_view; }
    QDockWidget *dock() const { return m_dock; }
    /// View ▸ Pipeline Lab: shows the dock (floating and large the first time in a session) and
    /// plans the selected source.
    QAction *openAction() const { return m_open; }
    void open();

private:
    explicit LabWorkspace(MainWindow *window);
    /// The what-if bar's stage speeds into the scenario: each stage's device's compute_flops
    /// times its factor, one undoable edit per device; then the bar resets to 1 ×.
    void applySpeeds(TopologyDocument *document, const LabWhatIf &whatIf);

    MainWindow *m_window;
    LabView *m_view;
    QDockWidget *m_dock;
    QAction *m_open;
    bool m_placed = false; ///< opened once this session: keep the user's placement
};

} // namespace collapipe
