// SPDX-License-Identifier: MIT
// The scenario's "mobility" blocks (issue [6/7]): every bad field is named with its path and
// value, all in one pass; a mobile scenario saves and loads byte for byte; a scenario without
// mobility writes no "mobility" key (older files stay as they were).
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace collapipe;

namespace {

QByteArray bundled(const char *name)
{
    QFile file(QDir(bundledScenarioDir()).filePath(QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// mobile.json with c1's first device's and c2's control unit's mobility blocks replaced.
QByteArray withMobility(const QJsonObject &device, const QJsonObject &controlUnit)
{
    QJsonObject root = QJsonDocument::fromJson(bundled("mobile.json")).object();
    QJsonArray clusters = root.value(QStringLiteral("clusters")).toArray();
    QJsonObject c1 = clusters.at(0).toObject();
    QJsonArray devices = c1.value(QStringLiteral("devices")).toArray();
    QJsonObject d = devices.at(0).toObject();
    d.insert(QStringLiteral("mobility"), device);
    devices.replace(0, d);
    c1.insert(QStringLiteral("devices"), devices);
    clusters.replace(0, c1);
    QJsonObject c2 = clusters.at(1).toObject();
    QJsonObject cu = c2.value(QStringLiteral("control_unit")).toObject();
    cu.insert(QStringLiteral("mobility"), controlUnit);
    c2.insert(QStringLiteral("control_unit"), cu);
    clusters.replace(1, c2);
    root.insert(QStringLiteral("clusters"), clusters);
    return QJsonDocument(root).toJson();
}

QString problemAt(const std::vector<ScenarioProblem> &problems, const QString &path)
{
    for (const ScenarioProblem &p : problems) {
        if (p.path == path) {
            return p.message;
        }
    }
    return QString();
}

QString allProblems(const std::vector<ScenarioProblem> &problems)
{
    QStringList lines;
    for (const ScenarioProblem &p : problems) {
        lines << p.toString();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TstMobilityFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bundledMobileScenarioLoadsAndRoundTrips()
    {
        const QByteArray json = bundled("mobile.json");
        QVERIFY(!json.isEmpty());
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY2(scenarioFromJson(json, &s, &problems), qPrintable(allProblems(problems)));
        const Device &walker = s.topology.clusters[0].devices[0];
        QCOMPARE(walker.mobility.model, MobilityModel::Waypoints);
        QCOMPARE(walker.mobility.waypoints.size(), std::size_t(3));
        QCOMPARE(walker.mobility.waypoints[1].yM, -60.0);
        QVERIFY(walker.mobility.loop);
        QCOMPARE(s.topology.clusters[1].controlUnit.mobility.model, MobilityModel::GaussMarkov);
        QCOMPARE(s.topology.clusters[1].controlUnit.mobility.seed, std::uint64_t(22));
        QCOMPARE(s.topology.clusters[2].devices[0].mobility.model, MobilityModel::None);
        // save → load gives the same scenario, and saving it again the same bytes.
        Scenario again;
        QVERIFY2(scenarioFromJson(scenarioToJson(s), &again, &problems),
            qPrintable(allProblems(problems)));
        QVERIFY(again == s);
        QCOMPARE(scenarioToJson(again), scenarioToJson(s));
    }

    void staticScenarioWritesNoMobility()
    {
        const QByteArray json = bundled("default.json");
        Scenario s;
        QVERIFY(scenarioFromJson(json, &s, nullptr));
        QVERIFY(!scenarioToJson(s).contains("mobility"));
    }

    void writerKeepsOnlyTheModelsFields()
    {
        Scenario s;
        QVERIFY(scenarioFromJson(bundled("mobile.json"), &s, nullptr));
        const QByteArray json = scenarioToJson(s);
        // random_waypoint writes its speed range, never gauss_markov's alpha.
        const qsizetype rw = json.indexOf("\"random_waypoint\"");
        QVERIFY(rw > 0);
        const QByteArray block = json.mid(rw, json.indexOf('}', rw) - rw);
        QVERIFY2(block.contains("min_speed_mps") && !block.contains("alpha"), block.constData());
        QVERIFY(mobilityFieldUsed(MobilityModel::GaussMarkov, QStringLiteral("alpha")));
        QVERIFY(!mobilityFieldUsed(MobilityModel::Waypoints, QStringLiteral("seed")));
    }

    void everyBadFieldIsNamed()
    {
        // Many problems at once, each must come back with its own path and value.
        const QJsonObject device{{QStringLiteral("model"), QStringLiteral("waypoints")},
            {QStringLiteral("speed_mps"), -1.5}, {QStringLiteral("loop"), QStringLiteral("yes")},
            {QStringLiteral("waypoints"),
                QJsonArray{QJsonObject{{QStringLiteral("x_m"), 1.0}, {QStringLiteral("y_m"), 2e6}},
                    QJsonObject{{QStringLiteral("x_m"), QStringLiteral("east")},
                        {QStringLiteral("y_m"), 0.0}},
                    7}},
            {QStringLiteral("pace"), 3}};
        const QJsonObject cu{{QStringLiteral("model"), QStringLiteral("teleport")},
            {QStringLiteral("alpha"), 1.5}, {QStringLiteral("seed"), -4},
            {QStringLiteral("step_s"), 0}, {QStringLiteral("area_width_m"), -10}};
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(withMobility(device, cu), nullptr, &problems));
        const QString d = QStringLiteral("clusters[0].devices[0].mobility.");
        const QString c = QStringLiteral("clusters[1].control_unit.mobility.");
        const struct
        {
            QString path;
            const char *says;
        } expected[] = {
            {d + QStringLiteral("speed_mps"), "(got -1.5)"},
            {d + QStringLiteral("loop"), "must be true or false (got string \"yes\")"},
            {d + QStringLiteral("waypoints[0].y_m"), "(got 2e+06)"},
            {d + QStringLiteral("waypoints[1].x_m"), "must be a number (got string \"east\")"},
            {d + QStringLiteral("waypoints[2]"), "must be an object (got 7)"},
            {d + QStringLiteral("pace"), "unknown key"},
            {c + QStringLiteral("model"), "unknown value \"teleport\""},
            {c + QStringLiteral("alpha"), "(got 1.5)"},
            {c + QStringLiteral("seed"), "(got -4)"},
            {c + QStringLiteral("step_s"), "(got 0)"},
            {c + QStringLiteral("area_width_m"), "(got -10)"},
        };
        for (const auto &e : expected) {
            const QString message = problemAt(problems, e.path);
            QVERIFY2(message.contains(QLatin1String(e.says)),
                qPrintable(
                    QStringLiteral("%1: expected \"%2\", got \"%3\"; all:\n%4")
                        .arg(e.path, QLatin1String(e.says), message, allProblems(problems))));
        }
    }

    void rulesBetweenFieldsAreNamed()
    {
        // A waypoint path without waypoints; a random speed range upside down.
        const QJsonObject device{{QStringLiteral("model"), QStringLiteral("waypoints")},
            {QStringLiteral("waypoints"), QJsonArray{}}};
        const QJsonObject cu{{QStringLiteral("model"), QStringLiteral("random_waypoint")},
            {QStringLiteral("min_speed_mps"), 2.0}, {QStringLiteral("max_speed_mps"), 0.5}};
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(withMobility(device, cu), nullptr, &problems));
        QCOMPARE(problemAt(problems, QStringLiteral("clusters[0].devices[0].mobility.waypoints")),
            QStringLiteral("model waypoints needs at least one waypoint (got 0)"));
        QCOMPARE(
            problemAt(problems, QStringLiteral("clusters[1].control_unit.mobility.max_speed_mps")),
            QStringLiteral("must not be below min_speed_mps 2 (got 0.5)"));
        QCOMPARE(problems.size(), std::size_t(2));
        // The same rules on a struct edited in memory (the Studio validates after each edit).
        Scenario s;
        QVERIFY(scenarioFromJson(bundled("mobile.json"), &s, nullptr));
        s.topology.clusters[0].devices[0].mobility.waypoints.clear();
        s.topology.clusters[0].devices[1].mobility.pauseS = -1.0;
        const std::vector<ScenarioProblem> found = validateScenario(s);
        QVERIFY2(!problemAt(found, QStringLiteral("clusters[0].devices[0].mobility.waypoints"))
                      .isEmpty(),
            qPrintable(allProblems(found)));
        QVERIFY2(problemAt(found, QStringLiteral("clusters[0].devices[1].mobility.pause_s"))
                     .contains(QLatin1String("(got -1)")),
            qPrintable(allProblems(found)));
    }
};

QTEST_GUILESS_MAIN(TstMobilityFields)
#include "tst_mobility_fields.moc"
