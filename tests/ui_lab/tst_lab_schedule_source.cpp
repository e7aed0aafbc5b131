// SPDX-License-Identifier: MIT
// Issue [4/7] "The Lab": the Lab's one adapter to the engine. On the teaching preset (four equal
// stages) the compute-only bubble equals the textbook (S − 1)/(M + S − 1) for GPipe and 1F1B and
// (S − 1)/(v·M + S − 1) for interleaved 1F1B, every schedule has 2·S·M·v compute ops (3·S·M·v
// with the B/W split), nothing stays stashed at the end, links only appear with links, and the stash
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
        QCOMPARE(int(plan.schedules.size()), 5);
        QCOMPARE(plan.stageNames.size(), 4);
        QStringList names;
        for (const LabSchedule &s : plan.schedules) {
            names << s.kind.name;
        }
        QCOMPARE(names,
            QStringList({QStringLiteral("GPipe"), QStringLiteral("1F1B"),
                QStringLiteral("Interleaved 1F1B (v = 2)"), QStringLiteral("ZB-H1"),
                QStringLiteral("ZB-V")}));
        for (const LabSchedule &s : plan.schedules) {
            const int v = chunksOf(s.kind.schedule, s.kind.chunks);
            const int ops = (splitsBackward(s.kind.schedule) ? 3 : 2) * plan.stageCount
                * plan.microbatches * v;
            QCOMPARE(int(s.computeOnly.size()), ops);
            QCOMPARE(int(computeOps(s.withLinks).size()), ops);
            for (const LabEvent &e : s.computeOnly) {
                QCOMPARE(int(e.resource.kind), int(ResourceKind::Device));
            }
            const bool hasLinks = std::any_of(s.withLinks.begin(), s.withLinks.end(),
                [](const TimelineEvent &e) { return e.resource.kind == ResourceKind::Link; });
            QVERIFY(hasLinks);
            // Stepping to the end leaves nothing stashed, on either chart.
            for (int j = 0; j < plan.stageCount; ++j) {
                QCOMPARE(stashedAt(s.computeOnly, j, 1e300), 0);
                QCOMPARE(stashedAt(computeOps(s.withLinks), j, 1e300), 0);
            }
            if (s.kind.schedule == ScheduleKind::ZeroBubbleV) {
                QVERIFY(s.textbookBubble < 0.0); // no closed form, shown as "—"
                QVERIFY(!s.textbookDefinition.isEmpty());
            }
            if (s.kind.schedule == ScheduleKind::ZeroBubbleV) {
                continue;
            }
            if (s.kind.schedule == ScheduleKind::ZeroBubbleH1) {
                // The preset has F = B = W per chunk: a third of 1F1B's idle time,
                // 3F / (8·3F + 3F) = 1/9.
                QVERIFY2(std::abs(s.textbookBubble - 1.0 / 9.0) < 1e-9,
                    qPrintable(QString::number(s.textbookBubble)));
                QVERIFY2(std::abs(s.bubbleComputeOnly - s.textbookBubble) < 1e-9,
                    qPrintable(QString::number(s.bubbleComputeOnly)));
                continue;
            }
            // Equal stages, free links: the textbook bubble exactly (GPipe paper; interleaved:
            // (S − 1)/(v·M + S − 1), Megatron-LM).
            const double expected = s.kind.schedule == ScheduleKind::Interleaved
                ? double(plan.stageCount - 1) / double(2 * plan.microbatches + plan.stageCount - 1)
                : plan.textbookBubble();
            QCOMPARE(s.textbookBubble, expected);
            QVERIFY2(std::abs(s.bubbleComputeOnly - expected) < 1e-9,
                qPrintable(QStringLiteral("%1: %2 vs textbook %3")
                               .arg(s.kind.name)
                               .arg(s.bubbleComputeOnly)
                               .arg(expected)));
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
            if (s.kind.schedule != ScheduleKind::GPipe
                && s.kind.schedule != ScheduleKind::OneFOneB) {
                continue; // the others' peaks: core/pipeline's tests
            }
            for (int j = 0; j < plan.stageCount; ++j) {
                const int expected = s.kind.schedule == ScheduleKind::GPipe
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
