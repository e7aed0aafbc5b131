// SPDX-License-Identifier: MIT
// Semantic checks on a Scenario struct: field ranges from the table, then the rules that span
// fields (ids, topology references, batch/micro-batch, head split). Every problem is reported.
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace collapipe {
namespace {

class Validator
{
public:
    void add(const QString &path, const QString &message) { m_problems.push_back({path, message}); }

    template <typename T>
    void checkFields(const QString &path, const std::vector<FieldSpec<T>> &fields, const T &t)
    {
        checkFields(path, QLatin1StringView(), fields, t);
    }

    /// The fields of a struct at path + suffix (e.g. a device's ".mobility").
    template <typename T>
    void checkFields(const QString &path, QLatin1StringView suffix,
        const std::vector<FieldSpec<T>> &fields, const T &t)
    {
        for (const FieldSpec<T> &f : fields) {
            // Built only for a problem: a 1,000-device scenario is validated on every edit
            // (each drag step), and its fields are almost always fine (issue [7/7]).
            const auto fieldPath = [&] {
                const QString at = path + suffix;
                return at.isEmpty() ? f.key : at + QLatin1Char('.') + f.key;
            };
            if (f.kind == FieldKind::String) {
                const QString value = f.getString(t);
                if (f.required && value.trimmed().isEmpty()) {
                    add(fieldPath(), QStringLiteral("must not be empty"));
                } else if (f.required && escapeControlCharacters(value) != value) {
                    // Ids and references name things in messages, tables, exports and the
                    // store: a line break in one would split every line it is printed on.
                    add(fieldPath(),
                        QStringLiteral("must not contain control characters (got \"%1\")")
                            .arg(value));
                }
                continue;
            }
            const QString reason = checkFieldValue(f, f.get(t));
            if (!reason.isEmpty()) {
                add(fieldPath(), reason);
            }
        }
    }

    /// Ids share one namespace: a cluster, a control unit, a device and a server may not collide,
    /// because runs, plots and the store address them by id alone.
    /// `ownerPath` is the object's path; the problem names its ".id".
    void checkId(const QString &id, const QString &ownerPath)
    {
        if (id.trimmed().isEmpty()) {
            return; // reported by checkFields as "must not be empty"
        }
        const auto it = m_ids.constFind(id);
        if (it != m_ids.constEnd()) {
            add(ownerPath + QStringLiteral(".id"),
                QStringLiteral("duplicate id \"%1\" (first used at %2.id)").arg(id, it.value()));
            return;
        }
        m_ids.insert(id, ownerPath);
    }

    void checkDims(const QString &path, const TransformerDims &d)
    {
        checkFields(path, transformerDimsFields(), d);
        if (d.heads > 0 && d.dModel > 0 && d.dModel % d.heads != 0) {
            add(path + QStringLiteral(".heads"),
                QStringLiteral("must divide d_model %1 (got %2)").arg(d.dModel).arg(d.heads));
        }
    }

    std::vector<ScenarioProblem> m_problems;

private:
    QHash<QString, QString> m_ids;
};

/// A node's mobility block: every field's range, each waypoint, and the rules between fields.
void checkMobility(Validator &v, const QString &nodePath, const Mobility &m)
{
    v.checkFields(nodePath, QLatin1StringView(".mobility"), mobilityFields(), m);
    if (m.waypoints.empty() && m.model != MobilityModel::Waypoints
        && !(m.model == MobilityModel::RandomWaypoint && m.maxSpeedMps < m.minSpeedMps)) {
        return; // the common case: no path string built
    }
    const QString path = nodePath + QStringLiteral(".mobility");
    for (std::size_t i = 0; i < m.waypoints.size(); ++i) {
        v.checkFields(
            path + QStringLiteral(".waypoints[%1]").arg(i), waypointFields(), m.waypoints[i]);
    }
    if (m.model == MobilityModel::Waypoints && m.waypoints.empty()) {
        v.add(path + QStringLiteral(".waypoints"),
            QStringLiteral("model waypoints needs at least one waypoint (got 0)"));
    }
    if (m.model == MobilityModel::RandomWaypoint && m.maxSpeedMps < m.minSpeedMps) {
        v.add(path + QStringLiteral(".max_speed_mps"),
            QStringLiteral("must not be below min_speed_mps %1 (got %2)")
                .arg(formatFieldNumber(m.minSpeedMps), formatFieldNumber(m.maxSpeedMps)));
    }
}

void checkHasClusters(Validator &v, const Topology &t)
{
    if (t.clusters.empty()) {
        v.add(
            QStringLiteral("clusters"), QStringLiteral("at least one cluster is required (got 0)"));
    }
}

void checkTopology(Validator &v, const Topology &t)
{
    const QString serversPath = QStringLiteral("edge_servers");
    if (t.edgeServers.empty()) {
        v.add(serversPath, QStringLiteral("at least one edge server is required (got 0)"));
    }
    QSet<QString> serverIds;
    for (std::size_t i = 0; i < t.edgeServers.size(); ++i) {
        const QString path = serversPath + QStringLiteral("[%1]").arg(i);
        v.checkFields(path, edgeServerFields(), t.edgeServers[i]);
        v.checkId(t.edgeServers[i].id, path);
        serverIds.insert(t.edgeServers[i].id);
    }

    checkHasClusters(v, t);
    QSet<QString> servedIds;
    for (std::size_t i = 0; i < t.clusters.size(); ++i) {
        const Cluster &c = t.clusters[i];
        const QString path = QStringLiteral("clusters[%1]").arg(i);
        v.checkFields(path, clusterFields(), c);
        v.checkId(c.id, path);
        if (!c.edgeServerId.trimmed().isEmpty() && !serverIds.contains(c.edgeServerId)) {
            QStringList known(serverIds.begin(), serverIds.end());
            known.sort();
            v.add(path + QStringLiteral(".edge_server_id"),
                QStringLiteral("no edge server has id \"%1\" (known: %2)")
                    .arg(c.edgeServerId, known.join(QStringLiteral(", "))));
        }
        servedIds.insert(c.edgeServerId);
        const QString cuPath = path + QStringLiteral(".control_unit");
        v.checkFields(cuPath, controlUnitFields(), c.controlUnit);
        v.checkId(c.controlUnit.id, cuPath);
        checkMobility(v, cuPath, c.controlUnit.mobility);
        if (c.devices.empty()) {
            v.add(path + QStringLiteral(".devices"),
                QStringLiteral("a cluster needs at least one device (got 0)"));
        }
        for (std::size_t k = 0; k < c.devices.size(); ++k) {
            const QString devicePath = path + QStringLiteral(".devices[%1]").arg(k);
            v.checkFields(devicePath, deviceFields(), c.devices[k]);
            const DeviceAvailability &a = c.devices[k].availability;
            v.checkFields(devicePath, QLatin1StringView(".availability"), availabilityFields(), a);
            if (a.kind == AvailabilityKind::Trace && a.file.trimmed().isEmpty()) {
                v.add(devicePath + QStringLiteral(".availability.file"),
                    QStringLiteral("must name a CSV file when the model is \"trace\""));
            }
            v.checkId(c.devices[k].id, devicePath);
            checkMobility(v, devicePath, c.devices[k].mobility);
        }
    }
    for (std::size_t i = 0; i < t.edgeServers.size(); ++i) {
        const QString &id = t.edgeServers[i].id;
        if (!id.trimmed().isEmpty() && !servedIds.contains(id)) {
            v.add(serversPath + QStringLiteral("[%1]").arg(i),
                QStringLiteral("edge server \"%1\" serves no cluster (no cluster has "
                               "edge_server_id \"%1\")")
                    .arg(id));
        }
    }
    v.checkFields(QStringLiteral("d2d"), channelFields(), t.d2d);
    v.checkFields(QStringLiteral("d2e"), channelFields(), t.d2e);
}

void checkModel(Validator &v, const ModelSettings &m)
{
    v.checkFields(QStringLiteral("model"), modelFields(), m);
    v.checkDims(QStringLiteral("model.trainer"), m.trainer);
    v.checkDims(QStringLiteral("model.profiled"), m.profiled);
    if (m.family == ModelFamily::Transformer && m.decoderBlocks < 1) {
        v.add(QStringLiteral("model.decoder_blocks"),
            QStringLiteral("the transformer family needs at least 1 decoder block (got %1)")
                .arg(m.decoderBlocks));
    }
    const int q = m.bytesPerElement;
    if (q != 1 && q != 2 && q != 4 && q != 8) {
        v.add(QStringLiteral("model.bytes_per_element"),
            QStringLiteral("must be 1, 2, 4 or 8 (got %1)").arg(q));
    }
}

void checkTraining(Validator &v, const TrainingSettings &t, const ModelSettings &m)
{
    v.checkFields(QStringLiteral("training"), trainingFields(), t);
    v.checkFields(QStringLiteral("training.lora"), loraFields(), t.lora);
    // A rank above a projection's smaller side adds parameters instead of saving them; every
    // adapted projection has d_model on one side (core/MODEL.md "Parameter-efficient
    // fine-tuning"), so that is the bound, for the trained and the profiled width alike.
    const int width = std::min(m.trainer.dModel, m.profiled.dModel);
    if (t.mode == TrainingMode::Lora && t.lora.rank > width) {
        v.add(QStringLiteral("training.lora.rank"),
            QStringLiteral("must not exceed d_model %1 (model.trainer and model.profiled) when "
                           "training.mode is lora (got %2)")
                .arg(width)
                .arg(t.lora.rank));
    }
    if (t.dataset.trimmed().isEmpty()) {
        v.add(QStringLiteral("training.dataset"), QStringLiteral("must not be empty"));
    }
    if (t.microbatchSize > t.batchSize) {
        v.add(QStringLiteral("training.microbatch_size"),
            QStringLiteral("must not exceed batch_size %1 (got %2)")
                .arg(t.batchSize)
                .arg(t.microbatchSize));
    }
}

/// What only a trained run needs: it tokenizes text, so the trainer's vocabulary must hold the
/// character tokenizer's ids (the cost model's model.profiled has no such floor).
void checkTrained(Validator &v, const ModelSettings &m)
{
    if (m.trainer.vocabSize < kCharacterVocabSize) {
        v.add(QStringLiteral("model.trainer.vocab_size"),
            QStringLiteral("must be >= %1 when training.train is on, for the character "
                           "tokenizer's ids (got %2)")
                .arg(kCharacterVocabSize)
                .arg(m.trainer.vocabSize));
    }
}

void checkOptimizer(Validator &v, const Scenario &s)
{
    const OptimizerSettings &o = s.optimizer;
    v.checkFields(QStringLiteral("optimizer"), optimizerFields(), o);
    if (o.policy.trimmed().isEmpty()) {
        v.add(QStringLiteral("optimizer.policy"), QStringLiteral("must not be empty"));
    }
    // The chunk rule (core/types/pipeline_schedule.h chunksFit()): a device's blocks must split
    // into v chunks, so no device can run interleaved with v above the encoder's block count.
    if (!o.autoSchedule && chunksOf(o.schedule, o.interleave) > s.model.encoderBlocks) {
        v.add(QStringLiteral("optimizer.interleave"),
            QStringLiteral("%1 chunks per device need at least %1 encoder blocks; "
                           "model.encoder_blocks is %2 (got %3)")
                .arg(chunksOf(o.schedule, o.interleave))
                .arg(s.model.encoderBlocks)
                .arg(o.interleave));
    }
    if (o.slCutBlocks > s.model.encoderBlocks) {
        v.add(QStringLiteral("optimizer.sl_cut_blocks"),
            QStringLiteral("must not exceed model.encoder_blocks %1 (got %2)")
                .arg(s.model.encoderBlocks)
                .arg(o.slCutBlocks));
    }
}

} // namespace

std::vector<ScenarioProblem> validateScenario(const Scenario &s)
{
    Validator v;
    v.checkFields(QString(), scenarioFields(), s);
    checkTopology(v, s.topology);
    checkModel(v, s.model);
    checkTraining(v, s.training, s.model);
    if (s.training.train) {
        checkTrained(v, s.model);
    }
    checkOptimizer(v, s);
    return std::move(v.m_problems);
}

std::vector<ScenarioProblem> validateTrainedModel(const Scenario &s)
{
    Validator v;
    checkHasClusters(v, s.topology);
    checkModel(v, s.model);
    checkTraining(v, s.training, s.model);
    checkTrained(v, s.model);
    return std::move(v.m_problems);
}

} // namespace collapipe
