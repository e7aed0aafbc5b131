// SPDX-License-Identifier: MIT
// Issue [4/7] "The Lab": the Lab's one adapter to the engine. On the teaching preset (four equal
// stages) the compute-only bubble equals the textbook (S − 1)/(M + S − 1) for GPipe and 1F1B,
// every schedule has the same 2·S·M compute ops, links only appear with links, and the stash
// peaks are the textbook ones: GPipe M; 1F1B one per stage after it, and the edge's head is a
// stage of the chain too (core/pipeline stageOrder()), so S − j + 1 on device stage j.
#include "core/scenario/scenario_json.h"
#include "ui/lab/lab_schedule_source.h"

#include <QtTest>

using namespace collapipe;

namespace {

Scenario preset()
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    const bool ok = loadScenarioFile(
        QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/pipeline_lab.json"), &s,
        &problems);
    if (!ok) {
        qFatal("cannot load pipeline_lab.json");
    }
    return s;
}

} // namespace

class TstLabScheduleSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void presetTimesEverySchedule()
    {
        const LabPlan plan = buildLabPlan(preset(), 0, labSchedules());
        QVERIFY2(plan.ok, qPrintable(plan.error));
        QCOMPARE(plan.stageCount, 4);
        QCOMPARE(plan.microbatches, 8);
        QCOMPARE(int(plan.schedules.size()), 2);
        QCOMPARE(plan.stageNames.size(), 4);
        const int ops = 2 * plan.stageCount * plan.microbatches;
        for (const LabSchedule &s : plan.schedules) {
            QCOMPARE(int(s.computeOnly.size()), ops);
            QCOMPARE(int(computeOps(s.withLinks).size()), ops);
            for (const TimelineEvent &e : s.computeOnly) {
                QCOMPARE(int(e.resource.kind), int(ResourceKind::Device));
            }
            const bool hasLinks = std::any_of(s.withLinks.begin(), s.withLinks.end(),
                [](const TimelineEvent &e) { return e.resource.kind == ResourceKind::Link; });
            QVERIFY(hasLinks);
            // Equal stages, free links: the textbook bubble exactly (GPipe paper).
            QVERIFY2(std::abs(s.bubbleComputeOnly - plan.textbookBubble()) < 1e-9,
                qPrintable(QStringLiteral("%1: %2 vs textbook %3")
                               .arg(s.kind.name)
                               .arg(s.bubbleComputeOnly)
                               .arg(plan.textbookBubble())));
            // The radio only adds waiting.
            QVERIFY(s.bubbleWithLinks > s.bubbleComputeOnly);
            QVERIFY(s.makespanS > s.computeOnlyMakespanS);
        }
        QCOMPARE(plan.textbookBubble(), 3.0 / 11.0);
    }

    void stashPeaksAreTheTextbookOnes()
    {
        const LabPlan plan = buildLabPlan(preset(), 0, labSchedules());
        QVERIFY2(plan.ok, qPrintable(plan.error));
        for (const LabSchedule &s : plan.schedules) {
            for (int j = 0; j < plan.stageCount; ++j) {
                const int expected = s.kind.schedule == PipelineSchedule::GPipe
                    ? plan.microbatches
                    : std::min(plan.stageCount - j + 1, plan.microbatches);
                QCOMPARE(s.peakStashed[std::size_t(j)], expected);
            }
        }
    }

    void badClusterIsAnErrorNamingIt()
    {
        const LabPlan plan = buildLabPlan(preset(), 3, labSchedules());
        QVERIFY(!plan.ok);
        QVERIFY2(plan.error.contains(QLatin1String("cluster 3")), qPrintable(plan.error));
        QVERIFY(plan.schedules.empty());
    }

    void unknownPolicyIsAnErrorNamingTheField()
    {
        Scenario s = preset();
        s.optimizer.policy = QStringLiteral("no-such-policy");
        const LabPlan plan = buildLabPlan(s, 0, labSchedules());
        QVERIFY(!plan.ok);
        QVERIFY2(plan.error.contains(QLatin1String("optimizer.policy")), qPrintable(plan.error));
    }
};

QTEST_GUILESS_MAIN(TstLabScheduleSource)
#include "tst_lab_schedule_source.moc"
