// SPDX-License-Identifier: MIT
// Screenshots of the Pipeline Lab (issue [4/7]) for resources/screenshots/: the Lab opened
// from View ▸ Pipeline Lab (floating over the main window) on the teaching preset, GPipe and 1F1B
// side by side, stepped to an op in the middle of the iteration; once with links, once compute only;
// then four schedules (GPipe, 1F1B, interleaved v = 2, ZB-H1) compute only (studio-lab-four.png);
// then GPipe and ZB-H1 stepped to a W op, its tensor from the trainer in the panel and the
// what-if bar open with stage 1 at half speed (studio-lab-tensor.png); last the main window with
// the preset as its scenario and the Lab's current op marked on the canvas (studio-lab-canvas.png).
// Built on request only (target lab_screenshots); scripts/screenshots.sh runs it per screen size:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui_lab/lab_screenshots OUT_DIR
//   xvfb-run -a -s "-screen 0 1280x800x24" build/tests/ui_lab/lab_screenshots OUT_DIR 1280x800
#include "tests/screenshot_tools.h"
#include "ui/lab/lab_chart.h"
#include "ui/lab/lab_tensor_panel.h"
#include "ui/lab/lab_view.h"
#include "ui/lab/lab_what_if_bar.h"
#include "ui/lab/lab_workspace.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QTimer>
#include <QToolButton>

#include <cstdio>

using namespace collapipe;
using collapipe::test::save;
using collapipe::test::waitMs;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio screenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath();
    const QString sizeArg = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    const collapipe::test::ScreenshotSize shot = collapipe::test::screenshotSize(sizeArg);
    const QSize screenSize = shot.size;
    const QString &suffix = shot.suffix;
    QDir().mkpath(out);

    MainWindow window;
    RunWorkspace::install(&window);
    LabWorkspace *lab = LabWorkspace::install(&window);
    window.openInitial(QString());
    window.resize(screenSize);
    window.show();
    waitMs(500);

    QEventLoop planned;
    QObject::connect(lab->view(), &LabView::planShown, &planned, &QEventLoop::quit);
    QTimer::singleShot(60'000, &planned, &QEventLoop::quit);
    lab->open();
    lab->view()->showPreset();
    planned.exec();
    // Mid-iteration: GPipe still runs forwards where 1F1B already alternates.
    lab->view()->setStep(27);
    waitMs(500);
    // The Lab opens floating over the main window: grab the Lab's window itself.
    bool ok = save(lab->dock(), out + QStringLiteral("/studio-lab%1.png").arg(suffix));
    lab->view()->computeOnlyBox()->setChecked(true);
    waitMs(500);
    ok = save(lab->dock(), out + QStringLiteral("/studio-lab-compute-only%1.png").arg(suffix))
        && ok;
    const QList<QCheckBox *> boxes = lab->view()->scheduleBoxes();
    boxes[2]->setChecked(true); // interleaved 1F1B (v = 2)
    boxes[3]->setChecked(true); // ZB-H1
    lab->view()->setStep(40);
    waitMs(500);
    ok = save(lab->dock(), out + QStringLiteral("/studio-lab-four%1.png").arg(suffix)) && ok;

    // A stepped op with its tensor: GPipe and ZB-H1, the panel following ZB-H1 at its first W.
    LabView *view = lab->view();
    boxes[1]->setChecked(false);
    boxes[2]->setChecked(false);
    view->computeOnlyBox()->setChecked(false);
    view->whatIfButton()->setChecked(true);
    view->whatIfBar()->stageBoxes().value(1)->setValue(0.5);
    LabTensorPanel *panel = view->tensorPanel();
    panel->scheduleBox()->setCurrentIndex(1);
    Q_EMIT panel->scheduleChanged(1);
    const LabChart *zbh1 = view->charts().value(1);
    for (int k = 0; zbh1 && k < zbh1->stepCount(); ++k) {
        view->setStep(k);
        if (zbh1->currentOp()->op == OpKind::BackwardWeight) {
            break;
        }
    }
    for (int i = 0; i < 600 && !panel->shownTensor(); ++i) {
        waitMs(100); // the trainer runs on its worker thread
    }
    waitMs(500);
    ok = save(lab->dock(), out + QStringLiteral("/studio-lab-tensor%1.png").arg(suffix)) && ok;

    // The same op on the canvas: the preset opened as the scenario, the Lab on its cluster.
    QString error;
    if (!window.document()->load(view->defaultPresetPath(), &error)) {
        std::printf("FAILED %s\n", qPrintable(error));
        return 1;
    }
    QEventLoop replanned;
    QObject::connect(view, &LabView::planShown, &replanned, &QEventLoop::quit);
    QTimer::singleShot(60'000, &replanned, &QEventLoop::quit);
    view->showCluster(0);
    replanned.exec();
    view->setStep(12); // a forward on its way from one tablet to the next
    waitMs(500);
    ok = save(&window, out + QStringLiteral("/studio-lab-canvas%1.png").arg(suffix)) && ok;
    return ok ? 0 : 1;
}
