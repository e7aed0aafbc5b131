// SPDX-License-Identifier: MIT
#pragma once

#include "ui/experiments/experiment_draft.h"
#include "ui/experiments/experiment_form.h"
#include "ui/experiments/experiments_view.h"

#include <QEventLoop>
#include <QTimer>

/// The experiment the Experiments view tests and screenshots run: the canvas scenario over a
/// 2 x 2 grid (optimizer.v, local iterations), uniform and fl, one seed, cost model only.
namespace collapipe::testing {

inline ExperimentDraft smallGrid(const QString &name = QStringLiteral("view test"))
{
    ExperimentDraft d;
    d.name = name;
    d.axes = {{QStringLiteral("optimizer.v"), QStringLiteral("10, 1000")},
        {QStringLiteral("training.local_iterations"), QStringLiteral("1, 4")}};
    d.policies = {QStringLiteral("uniform"), QStringLiteral("fl")};
    d.seeds = QStringLiteral("1");
    d.rounds = 4;
    d.train = false;
    return d;
}

/// Starts `draft` from the view (base: the canvas) and waits for runFinished; its message, or
/// "timeout".
inline QString runAndWait(ExperimentsView *view, const ExperimentDraft &draft, int timeoutMs)
{
    view->form()->setDraft(draft);
    view->useCanvasScenario();
    QString message = QStringLiteral("timeout");
    QEventLoop loop;
    QObject::connect(view, &ExperimentsView::runFinished, &loop, [&](const QString &m) {
        message = m;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QString error;
    if (!view->startRun(&error)) {
        return error;
    }
    loop.exec();
    return message;
}

} // namespace collapipe::testing
