// SPDX-License-Identifier: MIT
#pragma once

// The Pipeline Lab's GUI tests share one setup: a main window with the Lab installed, opened on
// the teaching preset at a screen size (tst_lab_view, tst_lab_step).
#include "tests/test_settings.h"
#include "ui/lab/lab_chart.h"
#include "ui/lab/lab_view.h"
#include "ui/lab/lab_workspace.h"
#include "ui/main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace collapipe::test {

struct LabViewFixture
{
    std::unique_ptr<MainWindow> window;
    LabWorkspace *lab = nullptr;
    QTemporaryDir settingsDir;

    /// initTestCase(): settings and paths of the test's own.
    void setUpSettings() { QVERIFY(useTestSettings(settingsDir.path())); }
    /// init(): a fresh window with the Lab installed.
    void create()
    {
        window = std::make_unique<MainWindow>();
        lab = LabWorkspace::install(window.get());
        window->openInitial(QString());
    }
    LabView *view() const { return lab->view(); }
    LabChart *chart(const QString &name) const
    {
        for (LabChart *c : view()->charts()) {
            if (c->scheduleName() == name) {
                return c;
            }
        }
        return nullptr;
    }
    /// Micro-batches stashed on `stage` at time t, counted here from the chart's own ops.
    static int expectedStash(const std::vector<LabEvent> &ops, int stage, double t)
    {
        int n = 0;
        for (const LabEvent &e : ops) {
            if (e.stage == stage && e.endS <= t) {
                n += e.op == OpKind::Forward ? 1 : e.op == OpKind::BackwardInput ? 0 : -1;
            }
        }
        return n;
    }
    /// Shows the window at `size`, opens the Lab from its menu entry and plans the preset.
    void openOnPreset(const QSize &size)
    {
        window->resize(size);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy shown(view(), &LabView::planShown);
        lab->openAction()->trigger();
        QVERIFY(lab->dock()->isVisible());
        view()->showPreset();
        QVERIFY(shown.wait(20000) || !shown.isEmpty());
        QCOMPARE(shown.last().first().toBool(), true);
        QVERIFY2(view()->plan().ok, qPrintable(view()->plan().error));
    }
};

} // namespace collapipe::test
