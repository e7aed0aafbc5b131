// SPDX-License-Identifier: MIT
#include "ui/lab/lab_workspace.h"

#include "ui/lab/lab_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>

namespace collapipe {

LabWorkspace *LabWorkspace::install(MainWindow *window)
{
    return new LabWorkspace(window);
}

LabWorkspace::LabWorkspace(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_view(new LabView)
    , m_dock(new QDockWidget(tr("Pipeline Lab"), window))
    , m_open(new QAction(tr("Pipeline &Lab"), this))
{
    m_dock->setObjectName(QStringLiteral("labDock"));
    m_dock->setWidget(m_view);
    window->addDock(m_dock, Qt::TopDockWidgetArea);
    m_dock->hide(); // a first run opens on the editor; the Lab is one menu entry away
    m_open->setObjectName(QStringLiteral("openPipelineLab"));
    m_open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_open->setToolTip(tr("GPipe and 1F1B side by side on a cluster's devices and links, "
                          "stepped op by op"));
    connect(m_open, &QAction::triggered, this, &LabWorkspace::open);
    window->viewMenu()->addSeparator();
    window->viewMenu()->addAction(m_open);
    TopologyDocument *document = window->document();
    const auto feed = [this, document] { m_view->setScenario(document->scenario()); };
    connect(document, &TopologyDocument::scenarioReset, this, feed);
    connect(document, &TopologyDocument::changed, this, feed);
    feed();
    // A dock shown some other way (Panels menu, a restored layout) plans on first sight too.
    connect(m_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) {
            m_view->activate();
        }
    });
}

void LabWorkspace::open()
{
    if (!m_dock->isVisible() && !m_placed) {
        // The first time in a session it floats over the main window at nearly its size: docked
        // beside the canvas and the run docks, the side-by-side Gantts got a third of a 1000 px
        // screen and their rows ran into each other. Dock it back (double-click the title) at
        // will; a later open leaves it where the user put it.
        const QRect frame = m_window->geometry();
        m_dock->setFloating(true);
        m_dock->resize(frame.width() * 94 / 100, frame.height() * 90 / 100);
        m_dock->move(frame.center() - QPoint(m_dock->width() / 2, m_dock->height() / 2));
    }
    m_placed = true;
    m_dock->show();
    m_dock->raise();
    m_dock->activateWindow();
    m_view->activate();
}

} // namespace collapipe
