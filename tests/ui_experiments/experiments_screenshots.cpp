// SPDX-License-Identifier: MIT
// Screenshots of the Experiments window after a run (issue [5/7]), for resources/screenshots/.
// Built on request (target experiments_screenshots); scripts/screenshots.sh runs it per size:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui_experiments/experiments_screenshots OUT
//   xvfb-run -a -s "-screen 0 1280x800x24" build/tests/ui_experiments/experiments_screenshots OUT 1280x800
#include "experiments_fixture.h"
#include "tests/screenshot_tools.h"
#include "ui/experiments/experiments_window.h"
#include "ui/figures/report_figures.h"
#include "ui/main_window.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>

#include <cstdio>

using namespace collapipe;
using collapipe::test::save;
using collapipe::test::waitMs;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: experiments_screenshots OUT_DIR [WxH]\n");
        return 2;
    }
    const QString out = args[1];
    const QString size = args.value(2, QStringLiteral("1600x1000"));
    const QString suffix = size == QLatin1String("1600x1000") ? QString() : QLatin1Char('-') + size;
    const int w = size.section(QLatin1Char('x'), 0, 0).toInt();
    const int h = size.section(QLatin1Char('x'), 1, 1).toInt();
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipeScreens"));
    QTemporaryDir dir;

    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    ExperimentsView *view = installExperimentsWindow(&window, ws);
    window.resize(w, h);
    window.openInitial(QString());
    window.show();
    ws->runPanel()->setDatabasePath(dir.filePath(QStringLiteral("runs.sqlite")));
    view->setDatabasePath(ws->runPanel()->databasePath());
    view->resize(w, h);
    view->show();
    // Three policies and three seeds: lines with 95 % bands.
    ExperimentDraft draft = testing::smallGrid(QStringLiteral("v and local iterations"));
    draft.policies = {QStringLiteral("dssda"), QStringLiteral("uniform"), QStringLiteral("fl")};
    draft.seeds = QStringLiteral("1, 2, 3");
    draft.rounds = 10;
    const QString message = testing::runAndWait(view, draft, 300'000);
    if (!message.isEmpty()) {
        std::fprintf(stderr, "experiment failed: %s\n", qPrintable(message));
        return 1;
    }
    view->curveMetric()->setCurrentText(QStringLiteral("mean_latency_s"));
    view->curveAxis()->setCurrentText(QStringLiteral("training.local_iterations"));
    waitMs(300);
    bool ok = save(view, out + QStringLiteral("/studio-experiments%1.png").arg(suffix));
    view->tabs()->setCurrentIndex(2);
    waitMs(300);
    ok = save(view, out + QStringLiteral("/studio-experiments-regime%1.png").arg(suffix)) && ok;
    if (suffix.isEmpty()) {
        // One report figure as `collapipe report` draws it (7 x 4.5 in at 300 dpi).
        ReportFigureOptions options;
        options.formats = {QStringLiteral("png")};
        options.metrics = {QStringLiteral("mean_latency_s")};
        QStringList written;
        QString error;
        const QString figure
            = dir.filePath(QStringLiteral("curve-mean_latency_s-vs-training.local_iterations.png"));
        const QString target = out + QStringLiteral("/report-figure-curve.png");
        QFile::remove(target);
        const bool drawn
            = renderReportFigures(view->points(), dir.path(), options, &written, &error)
            && QFile::copy(figure, target);
        std::printf(
            "%s %s %s\n", drawn ? "wrote" : "FAILED", qPrintable(target), qPrintable(error));
        ok = drawn && ok;
    }
    // Policies and seeds alone (no axes): the "Per policy" tab, a dot and 95 % CI bar per policy.
    ExperimentDraft policies = draft;
    policies.name = QStringLiteral("policies only");
    policies.axes.clear();
    view->tabs()->setCurrentIndex(1);
    view->policyMetric()->setCurrentText(QStringLiteral("mean_latency_s"));
    const QString policiesMessage = testing::runAndWait(view, policies, 300'000);
    if (!policiesMessage.isEmpty()) {
        std::fprintf(stderr, "experiment failed: %s\n", qPrintable(policiesMessage));
        return 1;
    }
    waitMs(300);
    ok = save(view, out + QStringLiteral("/studio-experiments-policies%1.png").arg(suffix)) && ok;
    ws->controller()->shutdown();
    return ok ? 0 : 1;
}
