// SPDX-License-Identifier: MIT
// Device availability (issue [6/7] "A living edge"): a trace replays exactly, a Markov device is
// reproducible from its seed, and every bad trace row is named by line and value.
#include "core/availability/availability_model.h"
#include "core/scenario/availability_trace.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;

namespace {

/// One cluster, `devices` devices, every device always present.
Scenario oneCluster(int devices)
{
    Scenario s;
    s.topology.edgeServers.push_back({});
    s.topology.edgeServers.back().id = QStringLiteral("es");
    Cluster c;
    c.id = QStringLiteral("c0");
    c.edgeServerId = QStringLiteral("es");
    c.controlUnit.id = QStringLiteral("cu");
    for (int k = 0; k < devices; ++k) {
        Device d;
        d.id = QStringLiteral("d%1").arg(k);
        c.devices.push_back(d);
    }
    s.topology.clusters.push_back(c);
    return s;
}

void setMarkov(Device *d, double up, double down, std::uint64_t seed)
{
    d->availability.kind = AvailabilityKind::Markov;
    d->availability.meanUpS = up;
    d->availability.meanDownS = down;
    d->availability.seed = seed;
}

/// The switch times of a device up to `untilS`, found by asking nextDownS/isUp along the clock.
std::vector<double> downTimes(AvailabilityModel &m, int device, double untilS)
{
    std::vector<double> downs;
    double t = 0.0;
    while (true) {
        const double down = m.nextDownS(0, device, t, untilS);
        if (down == kNever) {
            return downs;
        }
        downs.push_back(down);
        t = down;
    }
}

bool hasProblem(
    const std::vector<ScenarioProblem> &problems, const QString &path, const QString &fragment)
{
    for (const ScenarioProblem &p : problems) {
        if (p.path == path && p.message.contains(fragment)) {
            return true;
        }
    }
    return false;
}

QString listed(const std::vector<ScenarioProblem> &problems)
{
    QStringList lines;
    for (const ScenarioProblem &p : problems) {
        lines << p.toString();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestAvailability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alwaysPresentDoesNotVary()
    {
        AvailabilityModel m(oneCluster(2));
        QVERIFY(!m.varies());
        QVERIFY(m.isUp(0, 1, 1e9));
        QCOMPARE(m.nextDownS(0, 0, 0.0, 1e9), kNever);
    }

    void traceReplayedExactly()
    {
        Scenario s = oneCluster(2);
        DeviceAvailability &a = s.topology.clusters[0].devices[1].availability;
        a.kind = AvailabilityKind::Trace;
        a.file = QStringLiteral("t.csv");
        // Up until the first row; a row that repeats the state (1 at 50) is no switch.
        a.trace = {{10.0, false}, {25.5, true}, {50.0, true}, {70.0, false}, {90.0, true}};
        AvailabilityModel m(s);
        QVERIFY(m.varies());
        const struct
        {
            double t;
            bool up;
        } expected[] = {{0.0, true}, {9.999, true}, {10.0, false}, {25.4, false}, {25.5, true},
            {60.0, true}, {70.0, false}, {89.0, false}, {90.0, true}, {1e6, true}};
        for (const auto &e : expected) {
            QVERIFY2(m.isUp(0, 1, e.t) == e.up, qPrintable(QString::number(e.t)));
        }
        QCOMPARE(downTimes(m, 1, 1000.0), (std::vector<double>{10.0, 70.0}));
        // Down at the start of a window: the next down comes after it is back.
        QCOMPARE(m.nextDownS(0, 1, 12.0, 100.0), 70.0);
        QCOMPARE(m.nextDownS(0, 1, 12.0, 69.0), kNever);
        QVERIFY(m.isUp(0, 0, 10.0)); // the other device is untouched
    }

    void markovReproducibleFromSeed()
    {
        Scenario s = oneCluster(3);
        setMarkov(&s.topology.clusters[0].devices[0], 100.0, 20.0, 7);
        setMarkov(&s.topology.clusters[0].devices[1], 100.0, 20.0, 7);
        setMarkov(&s.topology.clusters[0].devices[2], 100.0, 20.0, 8);
        AvailabilityModel a(s);
        AvailabilityModel b(s);
        // The same seed gives the same switches however the clock is queried.
        const std::vector<double> first = downTimes(a, 0, 1e5);
        for (double t = 1e5; t > 0; t -= 997.0) {
            b.isUp(0, 0, t); // backwards, to be sure the answers do not depend on the order
        }
        QCOMPARE(downTimes(b, 0, 1e5), first);
        QCOMPARE(downTimes(a, 1, 1e5), first); // same seed, other device: same stream
        QVERIFY(downTimes(a, 2, 1e5) != first);
        // The means hold: ~1e5 / 120 s cycles; up share ≈ 100 / 120.
        const double cycles = double(first.size());
        QVERIFY2(cycles > 700 && cycles < 980, qPrintable(QString::number(cycles)));
        int up = 0;
        const int samples = 20000;
        for (int i = 0; i < samples; ++i) {
            up += a.isUp(0, 0, i * 5.0) ? 1 : 0;
        }
        const double share = double(up) / samples;
        QVERIFY2(share > 0.78 && share < 0.88, qPrintable(QString::number(share)));
        // Seed 0 derives a seed per device from training.seed: two devices differ, reruns agree.
        Scenario derived = oneCluster(2);
        setMarkov(&derived.topology.clusters[0].devices[0], 100.0, 20.0, 0);
        setMarkov(&derived.topology.clusters[0].devices[1], 100.0, 20.0, 0);
        AvailabilityModel c(derived);
        AvailabilityModel d(derived);
        QCOMPARE(downTimes(c, 0, 1e4), downTimes(d, 0, 1e4));
        QVERIFY(downTimes(c, 0, 1e4) != downTimes(c, 1, 1e4));
    }

    void everyBadTraceRowNamed()
    {
        const QByteArray csv = "time_s,device_id,up\n"
                               "0,d0,1\n"
                               "5,d0,2\n"    // line 3: up
                               "x,d1,0\n"    // line 4: time
                               "7,ghost,0\n" // line 5: device
                               "8,d0\n"      // line 6: fields
                               "-1,d1,1\n"   // line 7: negative time
                               "\n"
                               "# a comment\n"
                               "9,d0,0\n"
                               "9,d0,1\n" // line 11: not after line 10
                               "12,d1,0\n";
        QHash<QString, std::vector<AvailabilityEvent>> rows;
        std::vector<ScenarioProblem> problems;
        const QString path = QStringLiteral("clusters[0].devices[0].availability.file");
        QVERIFY(!parseAvailabilityTrace(csv, QStringLiteral("t.csv"), path,
            {QStringLiteral("d0"), QStringLiteral("d1")}, &rows, &problems));
        QVERIFY2(problems.size() == 6, qPrintable(listed(problems)));
        QVERIFY(hasProblem(
            problems, path, QStringLiteral("t.csv line 3: up must be 0 or 1 (got \"2\")")));
        QVERIFY(hasProblem(problems, path,
            QStringLiteral("t.csv line 4: time_s must be a number >= 0 (got \"x\")")));
        QVERIFY(hasProblem(problems, path, QStringLiteral("t.csv line 5: device_id \"ghost\"")));
        QVERIFY(hasProblem(problems, path, QStringLiteral("t.csv line 6: expected 3 fields")));
        QVERIFY(hasProblem(problems, path,
            QStringLiteral("t.csv line 7: time_s must be a number >= 0 (got \"-1\")")));
        QVERIFY(hasProblem(problems, path,
            QStringLiteral("t.csv line 11: time_s 9 of device \"d0\" is not after its previous "
                           "row's 9 (line 10)")));
        QCOMPARE(rows.value(QStringLiteral("d0")).size(), std::size_t(2));
        QCOMPARE(rows.value(QStringLiteral("d1")).size(), std::size_t(1));
    }

    void traceFileRelativeToScenario()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("traces")));
        Scenario s = oneCluster(2);
        s.training.train = false;
        for (Device &d : s.topology.clusters[0].devices) {
            d.availability.kind = AvailabilityKind::Trace;
            d.availability.file = QStringLiteral("traces/on_off.csv");
        }
        const QString scenarioPath = dir.filePath(QStringLiteral("s.json"));
        QString error;
        QVERIFY2(saveScenarioFile(scenarioPath, s, &error), qPrintable(error));
        QFile csv(dir.filePath(QStringLiteral("traces/on_off.csv")));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("time_s,device_id,up\n3,d0,0\n4.5,d1,0\n8,d0,1\n");
        csv.close();
        Scenario loaded;
        std::vector<ScenarioProblem> problems;
        QVERIFY2(loadScenarioFile(scenarioPath, &loaded, &problems), qPrintable(listed(problems)));
        QCOMPARE(loaded.topology.clusters[0].devices[0].availability.trace,
            (std::vector<AvailabilityEvent>{{3.0, false}, {8.0, true}}));
        QCOMPARE(loaded.topology.clusters[0].devices[1].availability.trace,
            (std::vector<AvailabilityEvent>{{4.5, false}}));
        // A bad row fails the load, named at the device's field.
        QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
        csv.write("3,d0,0\n4,d1,yes\n");
        csv.close();
        problems.clear();
        QVERIFY(!loadScenarioFile(scenarioPath, &loaded, &problems));
        QVERIFY2(hasProblem(problems, QStringLiteral("clusters[0].devices[0].availability.file"),
                     QStringLiteral("traces/on_off.csv line 2: up must be 0 or 1 (got \"yes\")")),
            qPrintable(listed(problems)));
        // A file with bad rows is reported once, at the first device that names it.
        QCOMPARE(problems.size(), std::size_t(1));
        // A device without a row in a good file is named.
        QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
        csv.write("3,d0,0\n");
        csv.close();
        problems.clear();
        QVERIFY(!loadScenarioFile(scenarioPath, &loaded, &problems));
        QVERIFY2(hasProblem(problems, QStringLiteral("clusters[0].devices[1].availability.file"),
                     QStringLiteral("traces/on_off.csv has no row for device \"d1\"")),
            qPrintable(listed(problems)));
        // A missing file names the file.
        QVERIFY(QFile::remove(csv.fileName()));
        problems.clear();
        QVERIFY(!loadScenarioFile(scenarioPath, &loaded, &problems));
        QVERIFY2(hasProblem(problems, QStringLiteral("clusters[0].devices[0].availability.file"),
                     QStringLiteral("no such file")),
            qPrintable(listed(problems)));
    }

    void availabilityFieldsValidated()
    {
        Scenario s = oneCluster(2);
        s.training.train = false;
        setMarkov(&s.topology.clusters[0].devices[0], -5.0, 20.0, 1);
        s.topology.clusters[0].devices[1].availability.kind = AvailabilityKind::Trace;
        s.topology.clusters[0].devices[1].batteryJ = -1.0;
        s.training.deadlineS = -2.0;
        const std::vector<ScenarioProblem> problems = validateScenario(s);
        QVERIFY2(
            hasProblem(problems, QStringLiteral("clusters[0].devices[0].availability.mean_up_s"),
                QStringLiteral("(got -5)")),
            qPrintable(listed(problems)));
        QVERIFY(hasProblem(problems, QStringLiteral("clusters[0].devices[1].availability.file"),
            QStringLiteral("must name a CSV file")));
        QVERIFY(hasProblem(problems, QStringLiteral("clusters[0].devices[1].battery_j"),
            QStringLiteral("(got -1)")));
        QVERIFY(hasProblem(
            problems, QStringLiteral("training.deadline_s"), QStringLiteral("(got -2)")));
    }

    void jsonRoundTrip()
    {
        Scenario s = oneCluster(2);
        s.training.train = false;
        s.training.deadlineS = 12.5;
        setMarkov(&s.topology.clusters[0].devices[0], 300.0, 30.0, 42);
        s.topology.clusters[0].devices[1].batteryJ = 5000.0;
        const QByteArray json = scenarioToJson(s);
        // An always-present device writes no availability object.
        QCOMPARE(json.count("\"availability\""), qsizetype(1));
        Scenario back;
        std::vector<ScenarioProblem> problems;
        QVERIFY2(scenarioFromJson(json, &back, &problems), qPrintable(listed(problems)));
        QCOMPARE(back, s);
    }
};

QTEST_GUILESS_MAIN(TestAvailability)
#include "tst_availability.moc"
