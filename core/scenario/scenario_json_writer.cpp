// SPDX-License-Identifier: MIT
// scenarioToJson(): keys in the field-table order ("format" first, "id" first in each object), not
// QJsonObject's alphabetical order, so a file saved by the Studio reads like the bundled ones and
// diffs stay small. Numbers use the shortest text that reads back to the same double.
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>
#include <type_traits>

namespace collapipe {
namespace {

/// Indented JSON emitter (4 spaces, like QJsonDocument::Indented) with caller-chosen key order.
class JsonWriter
{
public:
    void open(char bracket, const QString &key = QString())
    {
        prefix(key);
        m_out += bracket;
        m_first.push_back(true);
    }

    void close(char bracket)
    {
        const bool empty = m_first.back();
        m_first.pop_back();
        if (!empty) {
            newline();
        }
        m_out += bracket;
    }

    void string(const QString &key, const QString &value) { raw(key, quoted(value)); }
    void boolean(const QString &key, bool value) { raw(key, value ? "true" : "false"); }

    void number(const QString &key, double value)
    {
        // JSON has no NaN/inf: write null, which the reader reports as "must be a number".
        if (!std::isfinite(value)) {
            raw(key, "null");
            return;
        }
        // "6e+13" -> "6e13", "1e-09" -> "1e-9": same double, easier to read and edit by hand.
        static const QRegularExpression exponent(QStringLiteral("e\\+?(-?)0*(\\d)"));
        raw(key, formatFieldNumber(value).replace(exponent, QStringLiteral("e\\1\\2")).toLatin1());
    }

    QByteArray finish() { return m_out + '\n'; }

private:
    static QByteArray quoted(const QString &text)
    {
        // Let Qt do the escaping: serialise a one-element array and strip the brackets.
        const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
        return array.mid(1, array.size() - 2);
    }

    void raw(const QString &key, const QByteArray &text)
    {
        prefix(key);
        m_out += text;
    }

    void newline()
    {
        m_out += '\n';
        m_out += QByteArray(4 * static_cast<qsizetype>(m_first.size()), ' ');
    }

    void prefix(const QString &key)
    {
        if (!m_first.empty()) {
            if (!m_first.back()) {
                m_out += ',';
            }
            m_first.back() = false;
            newline();
        }
        if (!key.isEmpty()) {
            m_out += quoted(key) + ": ";
        }
    }

    QByteArray m_out;
    std::vector<bool> m_first; ///< per open container: nothing written into it yet
};

template <typename T> void writeField(JsonWriter &w, const FieldSpec<T> &f, const T &t)
{
    switch (f.kind) {
    case FieldKind::String:
        w.string(f.key, f.getString(t));
        break;
    case FieldKind::Bool:
        w.boolean(f.key, f.get(t) != 0.0);
        break;
    case FieldKind::Enum:
        w.string(f.key, f.enumValues.value(static_cast<qsizetype>(f.get(t))));
        break;
    case FieldKind::Real:
    case FieldKind::Integer:
        w.number(f.key, f.get(t));
        break;
    }
}

template <typename T>
void writeFields(JsonWriter &w, const std::vector<FieldSpec<T>> &fields, const T &t)
{
    for (const FieldSpec<T> &f : fields) {
        // optimizer.warm_start is written only when on: every scenario without it keeps its
        // file, and so its experiment points their fingerprints (core/experiment), as they were
        // before the option existed (as a device's availability block is written only when it
        // comes and goes).
        // addOmittedDefaults() (below) puts it back for a --set or an experiment axis.
        if constexpr (std::is_same_v<T, OptimizerSettings>) {
            if (f.key == QLatin1String("warm_start") && t.warmStart == WarmStart::Off) {
                continue;
            }
        }
        writeField(w, f, t);
    }
}

template <typename T>
void writeObject(
    JsonWriter &w, const QString &key, const std::vector<FieldSpec<T>> &fields, const T &t)
{
    w.open('{', key);
    writeFields(w, fields, t);
    w.close('}');
}

/// A node's fields and, when it moves, its "mobility" block with the fields its model reads.
template <typename T>
void writeNode(
    JsonWriter &w, const QString &key, const std::vector<FieldSpec<T>> &fields, const T &t)
{
    w.open('{', key);
    writeFields(w, fields, t);
    const Mobility &m = t.mobility;
    if (m.isMobile()) {
        w.open('{', QStringLiteral("mobility"));
        for (const FieldSpec<Mobility> &f : mobilityFields()) {
            if (mobilityFieldUsed(m.model, f.key)) {
                writeField(w, f, m);
            }
        }
        if (mobilityFieldUsed(m.model, QStringLiteral("waypoints"))) {
            w.open('[', QStringLiteral("waypoints"));
            for (const Position &p : m.waypoints) {
                writeObject(w, QString(), waypointFields(), p);
            }
            w.close(']');
        }
        w.close('}');
    }
    // Only a device that comes and goes says so: the files of always-present devices stay as
    // they were before availability existed.
    if constexpr (std::is_same_v<T, Device>) {
        if (t.availability.kind != AvailabilityKind::Always) {
            writeObject(w, QStringLiteral("availability"), availabilityFields(), t.availability);
        }
    }
    w.close('}');
}

} // namespace

void addOmittedDefaults(QJsonObject *root)
{
    const QString section = QStringLiteral("optimizer");
    QJsonObject optimizer = root->value(section).toObject();
    if (root->value(section).isObject() && !optimizer.contains(QStringLiteral("warm_start"))) {
        optimizer.insert(QStringLiteral("warm_start"), QStringLiteral("off"));
        root->insert(section, optimizer);
    }
}

QByteArray scenarioToJson(const Scenario &s)
{
    JsonWriter w;
    w.open('{');
    w.string(QStringLiteral("format"), QLatin1String(kScenarioFormat));
    writeFields(w, scenarioFields(), s);
    w.open('[', QStringLiteral("edge_servers"));
    for (const EdgeServer &e : s.topology.edgeServers) {
        writeObject(w, QString(), edgeServerFields(), e);
    }
    w.close(']');
    w.open('[', QStringLiteral("clusters"));
    for (const Cluster &c : s.topology.clusters) {
        w.open('{');
        writeFields(w, clusterFields(), c);
        writeNode(w, QStringLiteral("control_unit"), controlUnitFields(), c.controlUnit);
        w.open('[', QStringLiteral("devices"));
        for (const Device &d : c.devices) {
            writeNode(w, QString(), deviceFields(), d);
        }
        w.close(']');
        w.close('}');
    }
    w.close(']');
    writeObject(w, QStringLiteral("d2d"), channelFields(), s.topology.d2d);
    writeObject(w, QStringLiteral("d2e"), channelFields(), s.topology.d2e);
    w.open('{', QStringLiteral("model"));
    writeFields(w, modelFields(), s.model);
    writeObject(w, QStringLiteral("trainer"), transformerDimsFields(), s.model.trainer);
    writeObject(w, QStringLiteral("profiled"), transformerDimsFields(), s.model.profiled);
    w.close('}');
    w.open('{', QStringLiteral("training"));
    writeFields(w, trainingFields(), s.training);
    writeObject(w, QStringLiteral("lora"), loraFields(), s.training.lora);
    w.close('}');
    writeObject(w, QStringLiteral("optimizer"), optimizerFields(), s.optimizer);
    w.close('}');
    return w.finish();
}

} // namespace collapipe
