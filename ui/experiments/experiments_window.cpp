// SPDX-License-Identifier: MIT
#include "ui/experiments/experiments_window.h"

#include "ui/experiments/experiments_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QAction>
#include <QMenu>

namespace collapipe {

ExperimentsView *installExperimentsWindow(MainWindow *window, RunWorkspace *workspace)
{
    auto *view = new ExperimentsView(window);
    view->setObjectName(QStringLiteral("experimentsView"));
    view->setWindowFlag(Qt::Window);
    view->setWindowTitle(QObject::tr("Experiments — CollaPipe Studio"));
    view->resize(1280, 800);
    view->setDatabasePath(workspace->runPanel()->databasePath());
    view->setCanvasScenario([window] { return window->document()->scenario(); });
    QObject::connect(view, &ExperimentsView::openRunRequested, workspace,
        [window, workspace](const QString &db, qint64 runId) {
            if (workspace->openReplay(db, runId)) {
                window->raise();
                window->activateWindow();
            }
        });
    QAction *open = window->viewMenu()->addAction(QObject::tr("&Experiments…"));
    open->setObjectName(QStringLiteral("openExperiments"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    QObject::connect(open, &QAction::triggered, view, [view, workspace] {
        view->setDatabasePath(workspace->runPanel()->databasePath());
        view->show();
        view->raise();
        view->activateWindow();
    });
    return view;
}

} // namespace collapipe
