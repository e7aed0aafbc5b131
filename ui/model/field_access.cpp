// SPDX-License-Identifier: MIT
#include "ui/model/field_access.h"

#include <QCoreApplication>

namespace collapipe {

namespace {

// Binds every FieldSpec<T> of a core table to the T that locate() finds in a Scenario.
template <typename T>
std::vector<BoundField> bindTable(
    const std::vector<FieldSpec<T>> &table, std::function<T *(Scenario &)> locate)
{
    std::vector<BoundField> out;
    out.reserve(table.size());
    for (const FieldSpec<T> &spec : table) {
        BoundField field;
        field.info = spec;
        field.get = [spec, locate](const Scenario &s) -> QVariant {
            // locate() needs a mutable Scenario; reading through it never writes.
            T *item = locate(const_cast<Scenario &>(s));
            if (!item) {
                return QVariant();
            }
            if (spec.kind == FieldKind::String) {
                return spec.getString(*item);
            }
            return spec.get(*item);
        };
        field.set = [spec, locate](Scenario &s, const QVariant &value) {
            T *item = locate(s);
            if (!item) {
                return false;
            }
            if (spec.kind == FieldKind::String) {
                spec.setString(*item, value.toString());
            } else {
                spec.set(*item, value.toDouble());
            }
            return true;
        };
        out.push_back(std::move(field));
    }
    return out;
}

Device *findDevice(Scenario &s, const QString &id)
{
    for (Cluster &c : s.topology.clusters) {
        for (Device &d : c.devices) {
            if (d.id == id) {
                return &d;
            }
        }
    }
    return nullptr;
}

Cluster *findCluster(Scenario &s, const QString &id)
{
    for (Cluster &c : s.topology.clusters) {
        if (c.id == id) {
            return &c;
        }
    }
    return nullptr;
}

ControlUnit *findControlUnit(Scenario &s, const QString &id)
{
    for (Cluster &c : s.topology.clusters) {
        if (c.controlUnit.id == id) {
            return &c.controlUnit;
        }
    }
    return nullptr;
}

EdgeServer *findEdgeServer(Scenario &s, const QString &id)
{
    for (EdgeServer &e : s.topology.edgeServers) {
        if (e.id == id) {
            return &e;
        }
    }
    return nullptr;
}

std::vector<BoundField> settingsFields(const QString &section)
{
    if (section == QLatin1String("scenario")) {
        return bindTable<Scenario>(scenarioFields(), [](Scenario &s) { return &s; });
    }
    if (section == QLatin1String("model")) {
        return bindTable<ModelSettings>(modelFields(), [](Scenario &s) { return &s.model; });
    }
    if (section == QLatin1String("model.trainer")) {
        return bindTable<TransformerDims>(
            transformerDimsFields(), [](Scenario &s) { return &s.model.trainer; });
    }
    if (section == QLatin1String("model.profiled")) {
        return bindTable<TransformerDims>(
            transformerDimsFields(), [](Scenario &s) { return &s.model.profiled; });
    }
    if (section == QLatin1String("training")) {
        return bindTable<TrainingSettings>(
            trainingFields(), [](Scenario &s) { return &s.training; });
    }
    if (section == QLatin1String("training.lora")) {
        return bindTable<LoraSettings>(loraFields(), [](Scenario &s) { return &s.training.lora; });
    }
    if (section == QLatin1String("optimizer")) {
        return bindTable<OptimizerSettings>(
            optimizerFields(), [](Scenario &s) { return &s.optimizer; });
    }
    if (section == QLatin1String("d2d")) {
        return bindTable<ChannelSettings>(
            channelFields(), [](Scenario &s) { return &s.topology.d2d; });
    }
    if (section == QLatin1String("d2e")) {
        return bindTable<ChannelSettings>(
            channelFields(), [](Scenario &s) { return &s.topology.d2e; });
    }
    return {};
}

/// `block`'s fields appended to `out` keyed "<prefix>.<key>" (the path a validation problem names
/// after the node's own path) and labelled "<title>: <label>", each relevant while
/// `used(block, key)` holds: Properties edits them like any other field, one undoable
/// ChangePropertyCommand each.
template <typename B>
void appendBlock(std::vector<BoundField> *out, const std::vector<FieldSpec<B>> &table,
    const std::function<B *(Scenario &)> &locate, const QString &prefix, const char *title,
    const std::function<bool(const B &, const QString &)> &used)
{
    for (BoundField &field : bindTable<B>(table, locate)) {
        const QString key = field.info.key;
        field.info.key = prefix + QLatin1Char('.') + key;
        field.info.label = QCoreApplication::translate("FieldAccess", title).arg(field.info.label);
        field.relevant = [locate, used, key](const Scenario &s) {
            const B *block = locate(const_cast<Scenario &>(s));
            return block && used(*block, key);
        };
        out->push_back(std::move(field));
    }
}

/// A node's fields followed by its mobility block's ("mobility.<key>", shown for the node's
/// model only, mobilityFieldUsed()). The waypoint list is not a scalar: not here.
template <typename T>
std::vector<BoundField> bindNode(
    const std::vector<FieldSpec<T>> &table, const std::function<T *(Scenario &)> &locate)
{
    std::vector<BoundField> out = bindTable<T>(table, locate);
    appendBlock<Mobility>(
        &out, mobilityFields(),
        [locate](Scenario &s) {
            T *node = locate(s);
            return node ? &node->mobility : nullptr;
        },
        QStringLiteral("mobility"), QT_TRANSLATE_NOOP("FieldAccess", "Mobility: %1"),
        [](const Mobility &m, const QString &key) { return mobilityFieldUsed(m.model, key); });
    return out;
}

/// A device's fields (battery_j among them), its mobility block's and its availability block's
/// ("availability.<key>", shown for the device's model only, availabilityFieldUsed()).
std::vector<BoundField> bindDevice(const QString &id)
{
    const std::function<Device *(Scenario &)> locate
        = [id](Scenario &s) { return findDevice(s, id); };
    std::vector<BoundField> out = bindNode<Device>(deviceFields(), locate);
    appendBlock<DeviceAvailability>(
        &out, availabilityFields(),
        [locate](Scenario &s) {
            Device *d = locate(s);
            return d ? &d->availability : nullptr;
        },
        QStringLiteral("availability"), QT_TRANSLATE_NOOP("FieldAccess", "Availability: %1"),
        [](const DeviceAvailability &a, const QString &key) {
            return availabilityFieldUsed(a.kind, key);
        });
    return out;
}

} // namespace

std::vector<BoundField> boundFields(const ItemRef &ref)
{
    const QString id = ref.id;
    switch (ref.kind) {
    case ItemKind::Device:
        return bindDevice(id);
    case ItemKind::EdgeServer:
        return bindTable<EdgeServer>(
            edgeServerFields(), [id](Scenario &s) { return findEdgeServer(s, id); });
    case ItemKind::Cluster:
        return bindTable<Cluster>(
            clusterFields(), [id](Scenario &s) { return findCluster(s, id); });
    case ItemKind::ControlUnit:
        return bindNode<ControlUnit>(
            controlUnitFields(), [id](Scenario &s) { return findControlUnit(s, id); });
    case ItemKind::Settings:
        return settingsFields(id);
    }
    return {};
}

bool findBoundField(const ItemRef &ref, const QString &key, BoundField *out)
{
    for (BoundField &field : boundFields(ref)) {
        if (field.info.key == key) {
            *out = std::move(field);
            return true;
        }
    }
    return false;
}

QList<QPair<QString, QString>> settingsSections()
{
    return {
        {QStringLiteral("scenario"), QCoreApplication::translate("collapipe", "Scenario")},
        {QStringLiteral("model"), QCoreApplication::translate("collapipe", "Model")},
        {QStringLiteral("model.trainer"),
            QCoreApplication::translate("collapipe", "Model: trained width")},
        {QStringLiteral("model.profiled"),
            QCoreApplication::translate("collapipe", "Model: profiled width (cost model)")},
        {QStringLiteral("training"), QCoreApplication::translate("collapipe", "Training")},
        {QStringLiteral("training.lora"),
            QCoreApplication::translate("collapipe", "Training: LoRA adapters")},
        {QStringLiteral("optimizer"), QCoreApplication::translate("collapipe", "Optimizer")},
        {QStringLiteral("d2d"), QCoreApplication::translate("collapipe", "D2D channel")},
        {QStringLiteral("d2e"), QCoreApplication::translate("collapipe", "D2E channel")},
    };
}

QString fieldToolTip(const FieldInfo &info)
{
    QString tip = QStringLiteral("<b>%1</b> (<code>%2</code>)").arg(info.label, info.key);
    if (!info.unit.isEmpty()) {
        tip += QCoreApplication::translate("collapipe", "<br>Unit: %1").arg(info.unit);
    }
    const QString range = fieldRangeText(info);
    if (!range.isEmpty()) {
        tip += QCoreApplication::translate("collapipe", "<br>Valid: %1").arg(range);
    }
    if (info.kind == FieldKind::Enum) {
        tip += QCoreApplication::translate("collapipe", "<br>One of: %1")
                   .arg(info.enumValues.join(QStringLiteral(", ")));
    }
    if (!info.help.isEmpty()) {
        tip += QStringLiteral("<br>") + info.help.toHtmlEscaped();
    }
    return tip;
}

} // namespace collapipe
