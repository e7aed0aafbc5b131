// SPDX-License-Identifier: MIT
// Saves the editor screenshots of resources/screenshots/ (studio-editor.png, studio-validation.png)
// from the real main window. Built on request only (target editor_screenshots); run:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui/editor_screenshots OUT_DIR [W H [SUFFIX]]
// (scripts/screenshots.sh runs it at both screen sizes).
#include "tests/screenshot_tools.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/validation_dock.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/model/validation_model.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QListView>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <cstdio>

using namespace collapipe;
using collapipe::test::save;
using collapipe::test::waitMs;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir settings; // never the user's settings
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipeScreenshots"));
    QDir(settings.path()).mkpath(QStringLiteral("CollaPipeScreenshots"));
    const QDir out(argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath());
    const QSize size = argc > 3
        ? QSize(QString::fromLocal8Bit(argv[2]).toInt(), QString::fromLocal8Bit(argv[3]).toInt())
        : QSize(1400, 900);
    // A suffix for the file names ("-1280x800"), so both screen sizes can share one folder.
    const QString suffix = argc > 4 ? QString::fromLocal8Bit(argv[4]) : QString();
    bool ok = true;
    {
        MainWindow window;
        window.resize(size);
        window.openInitial(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"));
        window.show();
        waitMs(400);
        window.view()->fitTopology();
        window.view()->focusRef({ItemKind::Device, QStringLiteral("c1-d5")});
        waitMs(300);
        window.statusBar()->showMessage(QObject::tr("Ready"));
        ok &= save(&window, out.filePath(QStringLiteral("studio-editor%1.png").arg(suffix)));

        // A problem: a cluster with no devices, selected from the Validation panel.
        ItemRefList devices;
        for (const Device &d : window.document()->scenario().topology.clusters[1].devices) {
            devices.append({ItemKind::Device, d.id});
        }
        window.document()->removeItems(devices);
        ValidationModel *model = window.validationDock()->model();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->itemAt(r).kind == ItemKind::Cluster) {
                Q_EMIT window.validationDock()->problemActivated(model->itemAt(r));
                if (auto *list = window.validationDock()->findChild<QListView *>()) {
                    list->setCurrentIndex(model->index(r));
                }
                break;
            }
        }
        waitMs(300);
        ok &= save(&window, out.filePath(QStringLiteral("studio-validation%1.png").arg(suffix)));
        window.document()->undoStack()->setClean();
    }
    return ok ? 0 : 1;
}
