// SPDX-License-Identifier: MIT
// The field table itself: keys are unique snake_case, every default passes its own range, and
// checkFieldValue() words its messages the way validation does (the UI shows them inline).
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <limits>

using namespace collapipe;

namespace {
template <typename T>
QString tableProblem(const std::vector<FieldSpec<T>> &fields, const T &defaults)
{
    static const QRegularExpression snake(QStringLiteral("^[a-z][a-z0-9]*(_[a-z0-9]+)*$"));
    QSet<QString> keys;
    for (const FieldSpec<T> &f : fields) {
        if (!snake.match(f.key).hasMatch() || keys.contains(f.key)) {
            return QStringLiteral("bad or duplicate key ") + f.key;
        }
        keys.insert(f.key);
        if (f.label.isEmpty() || f.help.isEmpty()) {
            return f.key + QStringLiteral(": label and help are required");
        }
        const bool isString = f.kind == FieldKind::String;
        if (isString != (f.getString && f.setString && !f.get)) {
            return f.key + QStringLiteral(": accessors do not match the kind");
        }
        if (!isString) {
            const QString reason = checkFieldValue(f, f.get(defaults));
            if (!reason.isEmpty()) {
                return f.key + QStringLiteral(" default: ") + reason;
            }
            // set(get(x)) is the identity: the UI writes back what it read.
            T copy = defaults;
            f.set(copy, f.get(defaults));
            if (!(copy == defaults)) {
                return f.key + QStringLiteral(": set(get()) changed the struct");
            }
        }
    }
    return QString();
}
} // namespace

class TestScenarioFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tablesAreConsistent()
    {
        QCOMPARE(tableProblem(scenarioFields(), Scenario{}), QString());
        QCOMPARE(tableProblem(edgeServerFields(), EdgeServer{}), QString());
        QCOMPARE(tableProblem(clusterFields(), Cluster{}), QString());
        QCOMPARE(tableProblem(controlUnitFields(), ControlUnit{}), QString());
        QCOMPARE(tableProblem(deviceFields(), Device{}), QString());
        QCOMPARE(tableProblem(channelFields(), ChannelSettings{}), QString());
        QCOMPARE(tableProblem(modelFields(), ModelSettings{}), QString());
        QCOMPARE(tableProblem(transformerDimsFields(), TransformerDims{}), QString());
        QCOMPARE(tableProblem(trainingFields(), TrainingSettings{}), QString());
        QCOMPARE(tableProblem(optimizerFields(), OptimizerSettings{}), QString());
    }

    void deviceTableCoversTheStruct()
    {
        QStringList keys;
        for (const auto &f : deviceFields()) {
            keys << f.key;
        }
        QCOMPARE(keys.join(QLatin1Char(',')),
            QStringLiteral("id,name,preset,x_m,y_m,compute_flops,memory_bytes,max_power_w,"
                           "compute_power_w,energy_budget_j,battery_j"));
        // The nested "availability" object (issue [6/7]).
        keys.clear();
        for (const auto &f : availabilityFields()) {
            keys << f.key;
        }
        QCOMPARE(
            keys.join(QLatin1Char(',')), QStringLiteral("model,mean_up_s,mean_down_s,seed,file"));
        QCOMPARE(tableProblem(availabilityFields(), DeviceAvailability{}), QString());
    }

    void checkFieldValue_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("ok") << "memory_bytes" << 4e9 << "";
        QTest::newRow("negative") << "memory_bytes" << -5.0 << "must be >= 1e+06 (got -5)";
        QTest::newRow("zero") << "compute_flops" << 0.0 << "must be >= 1e+06 (got 0)";
        QTest::newRow("nan") << "energy_budget_j" << nan << "must be a finite number (got nan)";
        QTest::newRow("inf") << "x_m" << inf << "must be a finite number (got inf)";
        QTest::newRow("too far") << "x_m" << 2e5 << "must be <= 1e+05 (got 2e+05)";
        QTest::newRow("power cap") << "max_power_w" << 10.0 << "";
        QTest::newRow("near-zero power")
            << "max_power_w" << 1e-300 << "must be >= 1e-06 (got 1e-300)";
    }

    void checkFieldValue()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(QString, expected);
        const auto &fields = deviceFields();
        const auto it = std::find_if(
            fields.begin(), fields.end(), [&](const auto &f) { return f.key == key; });
        QVERIFY(it != fields.end());
        QCOMPARE(collapipe::checkFieldValue(*it, value), expected);
    }

    void enumAndIntegerChecks()
    {
        const auto &channel = channelFields();
        const auto fading = std::find_if(channel.begin(), channel.end(),
            [](const auto &f) { return f.key == QLatin1String("fading"); });
        QVERIFY(fading != channel.end());
        QCOMPARE(fading->enumValues,
            QStringList({QStringLiteral("none"), QStringLiteral("rayleigh"),
                QStringLiteral("gauss_markov")}));
        QVERIFY(collapipe::checkFieldValue(*fading, 2).isEmpty());
        QVERIFY(!collapipe::checkFieldValue(*fading, 3).isEmpty());
        const auto &dims = transformerDimsFields();
        QCOMPARE(collapipe::checkFieldValue(dims[0], 64.5),
            QStringLiteral("must be an integer (got 64.5)"));
        QCOMPARE(fieldRangeText(dims[0]), QStringLiteral("[1, 32768]"));
    }

    void validateStructCatchesNonFinite()
    {
        // A struct edited in the UI can hold a NaN that JSON never could: validation names it.
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(scenarioFromJson(R"({"format": "collapipe-scenario/1",
            "edge_servers": [{"id": "bs"}],
            "clusters": [{"id": "c", "edge_server_id": "bs", "control_unit": {"id": "cu"},
                          "devices": [{"id": "d"}]}]})",
            &s, &problems));
        s.topology.clusters[0].devices[0].computeFlops = std::numeric_limits<double>::quiet_NaN();
        const auto found = validateScenario(s);
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(found[0].toString(),
            QStringLiteral(
                "clusters[0].devices[0].compute_flops: must be a finite number (got nan)"));
    }
};

QTEST_GUILESS_MAIN(TestScenarioFields)
#include "tst_scenario_fields.moc"
