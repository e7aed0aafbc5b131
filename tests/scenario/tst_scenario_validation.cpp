// SPDX-License-Identifier: MIT
// Bad inputs made by patching the bundled default.json: each must be reported with its exact
// field path and the expected reason, and several errors must all come back from one call.
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace collapipe;

namespace {

/// A JSON edit: set (or with remove, delete) the value at a '/'-separated pointer. An array index
/// equal to the size appends.
struct Edit
{
    QString pointer;
    QJsonValue value;
    bool remove = false;
};

QJsonValue applyAt(const QJsonValue &node, QStringList segments, const Edit &edit)
{
    const QString head = segments.takeFirst();
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const qsizetype i = head.toInt();
        if (segments.isEmpty()) {
            if (edit.remove) {
                array.removeAt(i);
            } else if (i == array.size()) {
                array.append(edit.value);
            } else {
                array.replace(i, edit.value);
            }
        } else {
            array.replace(i, applyAt(array.at(i), segments, edit));
        }
        return array;
    }
    QJsonObject object = node.toObject();
    if (segments.isEmpty()) {
        if (edit.remove) {
            object.remove(head);
        } else {
            object.insert(head, edit.value);
        }
    } else {
        object.insert(head, applyAt(object.value(head), segments, edit));
    }
    return object;
}

QByteArray patchedDefault(const QList<Edit> &edits)
{
    QFile file(QDir(bundledScenarioDir()).filePath(QStringLiteral("default.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QJsonValue root = QJsonDocument::fromJson(file.readAll()).object();
    for (const Edit &e : edits) {
        root = applyAt(root, e.pointer.split(QLatin1Char('/')), e);
    }
    return QJsonDocument(root.toObject()).toJson();
}

Edit set(const char *pointer, const QJsonValue &value)
{
    return {QLatin1String(pointer), value, false};
}

Edit removeKey(const char *pointer)
{
    return {QLatin1String(pointer), QJsonValue(), true};
}

QString joined(const std::vector<ScenarioProblem> &problems)
{
    QStringList lines;
    for (const ScenarioProblem &p : problems) {
        lines << p.toString();
    }
    return lines.join(QLatin1Char('\n'));
}

const ScenarioProblem *findPath(const std::vector<ScenarioProblem> &problems, const QString &path)
{
    for (const ScenarioProblem &p : problems) {
        if (p.path == path) {
            return &p;
        }
    }
    return nullptr;
}

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestScenarioValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsValid()
    {
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY2(scenarioFromJson(patchedDefault({}), &s, &problems), qPrintable(joined(problems)));
        QVERIFY(validateScenario(s).empty());
    }

    void badInput_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *tag, Edit e, const char *path, const char *message) {
            QTest::newRow(tag) << e << QString::fromUtf8(path) << QString::fromUtf8(message);
        };
        row("negative memory", set("clusters/1/devices/3/memory_bytes", -5),
            "clusters[1].devices[3].memory_bytes", "must be >= 1e+06 (got -5)");
        row("zero compute", set("clusters/0/devices/0/compute_flops", 0),
            "clusters[0].devices[0].compute_flops", "must be >= 1e+06 (got 0)");
        row("compute as string", set("clusters/0/devices/0/compute_flops", QStringLiteral("fast")),
            "clusters[0].devices[0].compute_flops", "must be a number (got string \"fast\")");
        row("seed nan string", set("training/seed", QStringLiteral("nan")), "training.seed",
            "must be a number (got string \"nan\")");
        row("huge power", set("clusters/0/devices/1/max_power_w", 1e300),
            "clusters[0].devices[1].max_power_w", "must be <= 10 (got 1e+300)");
        row("missing device id", removeKey("clusters/0/devices/0/id"), "clusters[0].devices[0].id",
            "missing required key");
        row("empty device id", set("clusters/0/devices/0/id", QString()),
            "clusters[0].devices[0].id", "must not be empty");
        row("duplicate device id", set("clusters/1/devices/0/id", QStringLiteral("c1-d1")),
            "clusters[1].devices[0].id",
            "duplicate id \"c1-d1\" (first used at clusters[0].devices[0].id)");
        row("cu id equals server id", set("clusters/1/control_unit/id", QStringLiteral("bs1")),
            "clusters[1].control_unit.id",
            "duplicate id \"bs1\" (first used at edge_servers[0].id)");
        row("cluster id equals device id", set("clusters/1/id", QStringLiteral("c1-d2")),
            "clusters[1].id", "duplicate id \"c1-d2\"");
        row("cluster without devices", set("clusters/2/devices", QJsonArray()),
            "clusters[2].devices", "a cluster needs at least one device (got 0)");
        row("unknown edge server", set("clusters/0/edge_server_id", QStringLiteral("bs9")),
            "clusters[0].edge_server_id", "no edge server has id \"bs9\" (known: bs1)");
        row("server serves nothing",
            set("edge_servers/1", QJsonObject{{QStringLiteral("id"), QStringLiteral("bs2")}}),
            "edge_servers[1]", "edge server \"bs2\" serves no cluster");
        row("no clusters", set("clusters", QJsonArray()), "clusters",
            "at least one cluster is required (got 0)");
        row("no edge servers", set("edge_servers", QJsonArray()), "edge_servers",
            "at least one edge server is required (got 0)");
        row("unknown fading", set("d2d/fading", QStringLiteral("foo")), "d2d.fading",
            "unknown value \"foo\" (valid: none, rayleigh, gauss_markov)");
        row("unknown path loss", set("d2e/path_loss", QStringLiteral("free_space")),
            "d2e.path_loss", "unknown value \"free_space\" (valid: log_distance, 3gpp)");
        row("unknown family", set("model/family", QStringLiteral("gpt")), "model.family",
            "(valid: transformer, bert)");
        row("unknown split", set("training/split", QStringLiteral("random")), "training.split",
            "(valid: iid, dirichlet)");
        row("unknown schedule", set("optimizer/schedule", QStringLiteral("zb")),
            "optimizer.schedule", "(valid: gpipe, 1f1b, interleaved, zb-h1, zb-v, auto)");
        row("interleave zero", set("optimizer/interleave", 0), "optimizer.interleave", "0");

        row("enum as number", set("optimizer/microbatch_mode", 3), "optimizer.microbatch_mode",
            "unknown value 3 (valid: count, split)");
        row("microbatch above batch", set("training/microbatch_size", 64),
            "training.microbatch_size", "must not exceed batch_size 16 (got 64)");
        row("correlation one", set("d2d/fading_correlation", 1), "d2d.fading_correlation",
            "must be < 1 (got 1)");
        row("correlation negative", set("d2d/fading_correlation", -0.1), "d2d.fading_correlation",
            "must be >= 0 (got -0.1)");
        row("trainer heads", set("model/trainer/heads", 5), "model.trainer.heads",
            "must divide d_model 64 (got 5)");
        row("profiled heads", set("model/profiled/heads", 7), "model.profiled.heads",
            "must divide d_model 768 (got 7)");
        row("unknown top key", set("colour", QStringLiteral("red")), "colour", "unknown key");
        row("unknown device key", set("clusters/0/devices/2/ram_gb", 4),
            "clusters[0].devices[2].ram_gb", "unknown key");
        row("wrong format", set("format", QStringLiteral("collapipe-scenario/2")), "format",
            "unsupported format string \"collapipe-scenario/2\"");
        row("missing format", removeKey("format"), "format", "missing required key");
        row("fractional batch", set("training/batch_size", 2.5), "training.batch_size",
            "must be an integer (got 2.5)");
        row("bool as string", set("training/train", QStringLiteral("yes")), "training.train",
            "must be true or false (got string \"yes\")");
        row("missing control unit", removeKey("clusters/0/control_unit"),
            "clusters[0].control_unit", "missing required key");
        row("devices not array", set("clusters/0/devices", QJsonObject()), "clusters[0].devices",
            "must be an array (got an object)");
        row("model not object", set("model", QJsonArray()), "model",
            "must be an object (got an array)");
        row("zero rounds", set("training/rounds", 0), "training.rounds", "must be >= 1 (got 0)");
        row("transformer without decoder", set("model/family", QStringLiteral("transformer")),
            "model.decoder_blocks", "the transformer family needs at least 1 decoder block");
        row("negative bandwidth", set("d2d/bandwidth_hz", -1e6), "d2d.bandwidth_hz",
            "must be >= 1000 (got -1e+06)");
        row("noise psd positive", set("d2e/noise_psd_dbm_per_hz", 10), "d2e.noise_psd_dbm_per_hz",
            "must be <= -100 (got 10)");
        row("zero energy budget", set("clusters/2/devices/5/energy_budget_j", 0),
            "clusters[2].devices[5].energy_budget_j", "must be >= 1e-06 (got 0)");
        row("negative seed", set("training/seed", -1), "training.seed", "must be >= 0 (got -1)");
        row("seed above 2^53", set("training/seed", 18014398509481984.0), "training.seed",
            "must be <= 9007199254740992");
        row("sl cut beyond L", set("optimizer/sl_cut_blocks", 13), "optimizer.sl_cut_blocks",
            "must not exceed model.encoder_blocks 12 (got 13)");
        row("bytes per element 3", set("model/bytes_per_element", 3), "model.bytes_per_element",
            "must be 1, 2, 4 or 8 (got 3)");
        row("null position", set("clusters/0/devices/0/x_m", QJsonValue()),
            "clusters[0].devices[0].x_m", "must be a number (got null)");
        row("device not object", set("clusters/0/devices/1", 7), "clusters[0].devices[1]",
            "must be an object (got 7)");
        row("zero learning rate", set("training/learning_rate", 0), "training.learning_rate",
            "must be > 0 (got 0)");
        row("name as number", set("clusters/0/name", 5), "clusters[0].name",
            "must be a string (got 5)");
        row("empty dataset", set("training/dataset", QString()), "training.dataset",
            "must not be empty");
        // Issue [3/7] "validated three times": the trainer used to refuse this at run time, in
        // its own words, while `collapipe validate` and the editor called the file valid.
        row("trained vocabulary below the tokenizer", set("model/trainer/vocab_size", 50),
            "model.trainer.vocab_size", "must be >= 73 when training.train is on");
        // Issue [6/7]: parameter-efficient fine-tuning.
        row("unknown training mode", set("training/mode", QStringLiteral("qlora")), "training.mode",
            "unknown value \"qlora\" (valid: full, lora, frozen_embedding)");
        row("lora rank zero", set("training/lora/rank", 0), "training.lora.rank",
            "must be >= 1 (got 0)");
        row("unknown lora targets", set("training/lora/targets", QStringLiteral("mlp")),
            "training.lora.targets", "unknown value \"mlp\" (valid: attention, ffn, both)");
        row("lora alpha zero", set("training/lora/alpha", 0), "training.lora.alpha",
            "must be > 0 (got 0)");
        row("unknown lora key", set("training/lora/dropout", 0.1), "training.lora.dropout",
            "unknown key");
    }

    /// A rank above d_model saves nothing: refused in lora mode, named with both widths' bound;
    /// the same rank is fine when the mode does not use it.
    void loraRankAboveTheWidth()
    {
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(patchedDefault({set("training/mode", QStringLiteral("lora")),
                                      set("training/lora/rank", 65)}),
            &s, &problems));
        const ScenarioProblem *p = findPath(problems, QStringLiteral("training.lora.rank"));
        QVERIFY2(p, qPrintable(joined(problems)));
        QCOMPARE(p->toString(),
            QStringLiteral("training.lora.rank: must not exceed d_model 64 (model.trainer and "
                           "model.profiled) when training.mode is lora (got 65)"));
        problems.clear();
        QVERIFY2(scenarioFromJson(patchedDefault({set("training/lora/rank", 65)}), &s, &problems),
            qPrintable(joined(problems)));
        problems.clear();
        QVERIFY2(scenarioFromJson(patchedDefault({set("training/mode", QStringLiteral("lora")),
                                      set("training/lora/rank", 64),
                                      set("training/lora/targets", QStringLiteral("ffn"))}),
                     &s, &problems),
            qPrintable(joined(problems)));
        QCOMPARE(s.training.mode, TrainingMode::Lora);
        QCOMPARE(s.training.lora.rank, 64);
        QCOMPARE(s.training.lora.targets, LoraTargets::Ffn);
    }

    void smallVocabularyWithoutTraining()
    {
        // The tokenizer's floor is the trainer's: a cost-only scenario may keep any vocabulary.
        Scenario s;
        std::vector<ScenarioProblem> problems;
        const bool ok = scenarioFromJson(
            patchedDefault({set("model/trainer/vocab_size", 50), set("training/train", false)}), &s,
            &problems);
        QVERIFY2(ok, qPrintable(joined(problems)));
    }

    void badInput()
    {
        QFETCH(Edit, edit);
        QFETCH(QString, path);
        QFETCH(QString, message);
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(patchedDefault({edit}), &s, &problems));
        const ScenarioProblem *p = findPath(problems, path);
        QVERIFY2(p,
            qPrintable(QStringLiteral("no problem at %1; got:\n%2").arg(path, joined(problems))));
        QVERIFY2(p->message.contains(message), qPrintable(p->toString()));
        QVERIFY(p->toString().startsWith(path + QStringLiteral(": ")));
    }

    /// The chunk rule's scenario half (issue [4/7]): v above the encoder's blocks cannot fit any
    /// device, named with the field and the value; `auto` and "zb-v" read.
    void interleaveAboveTheBlocks()
    {
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(patchedDefault({set("optimizer/interleave", 13),
                                      set("optimizer/schedule", QStringLiteral("interleaved"))}),
            &s, &problems));
        const ScenarioProblem *p = findPath(problems, QStringLiteral("optimizer.interleave"));
        QVERIFY2(p, qPrintable(joined(problems)));
        QVERIFY2(p->message.contains(QStringLiteral("13 chunks per device need at least 13 encoder "
                                                    "blocks; model.encoder_blocks is 12 (got 13)")),
            qPrintable(p->toString()));
        for (const char *name : {"auto", "zb-v", "zb-h1", "interleaved"}) {
            problems.clear();
            QVERIFY2(scenarioFromJson(patchedDefault({set("optimizer/interleave", 3),
                                          set("optimizer/schedule", QLatin1String(name))}),
                         &s, &problems),
                qPrintable(joined(problems)));
            QCOMPARE(s.optimizer.autoSchedule, QByteArray(name) == "auto");
            QCOMPARE(s.optimizer.interleave, 3);
        }
        QCOMPARE(s.optimizer.schedule, ScheduleKind::Interleaved);
    }

    void everyProblemAtOnce()
    {
        const QList<Edit> edits{set("clusters/1/devices/3/memory_bytes", -5),
            set("d2d/fading", QStringLiteral("foo")), set("training/seed", QStringLiteral("nan")),
            set("clusters/1/devices/0/id", QStringLiteral("c1-d1")),
            set("clusters/2/edge_server_id", QStringLiteral("bsX")), set("model/trainer/heads", 5),
            set("extra", 1), set("training/microbatch_size", 64)};
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(patchedDefault(edits), &s, &problems));
        const QStringList paths{QStringLiteral("clusters[1].devices[3].memory_bytes"),
            QStringLiteral("d2d.fading"), QStringLiteral("training.seed"),
            QStringLiteral("clusters[1].devices[0].id"),
            QStringLiteral("clusters[2].edge_server_id"), QStringLiteral("model.trainer.heads"),
            QStringLiteral("extra"), QStringLiteral("training.microbatch_size")};
        for (const QString &path : paths) {
            QVERIFY2(findPath(problems, path),
                qPrintable(path + QStringLiteral(" missing in:\n") + joined(problems)));
        }
        // Each problem once: the reader's complaint is not repeated by the semantic pass.
        QCOMPARE(problems.size(), std::size_t(paths.size()));
    }

    void syntaxErrorHasLineAndColumn()
    {
        const QByteArray json = "{\n  \"format\": \"collapipe-scenario/1\",\n  \"name\": oops\n}\n";
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(json, &s, &problems));
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems[0].message.contains(QStringLiteral("line 3, column 11")),
            qPrintable(problems[0].message));
        QVERIFY(problems[0].path.isEmpty());
    }

    void hugeNumberLiteral()
    {
        // 1e400 overflows a double: Qt's parser rejects it, and the position is reported.
        const QByteArray json = "{\n  \"format\": \"collapipe-scenario/1\",\n  \"x\": 1e400\n}\n";
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson(json, &s, &problems));
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems[0].message.startsWith(QStringLiteral("invalid JSON at line 3, column")),
            qPrintable(problems[0].message));
    }

    void topLevelNotObject()
    {
        Scenario s;
        std::vector<ScenarioProblem> problems;
        QVERIFY(!scenarioFromJson("[1, 2]", &s, &problems));
        QCOMPARE(problems.size(), std::size_t(1));
    }

    void missingFileNamesIt()
    {
        Scenario s;
        std::vector<ScenarioProblem> problems;
        const QString path = QStringLiteral("/no/such/scenario.json");
        QVERIFY(!loadScenarioFile(path, &s, &problems));
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems[0].message.contains(path), qPrintable(problems[0].message));
    }
};

QTEST_GUILESS_MAIN(TestScenarioValidation)
#include "tst_scenario_validation.moc"
