// SPDX-License-Identifier: MIT
#pragma once

#include <QHashFunctions>
#include <QList>
#include <QString>

namespace collapipe {

/// What a topology item is. Settings is the non-spatial part of a scenario; its id names the
/// section ("scenario", "model", "model.trainer", "model.profiled", "training", "optimizer",
/// "d2d", "d2e").
enum class ItemKind {
    EdgeServer,
    Cluster,
    ControlUnit,
    Device,
    Settings
};

/// A stable handle on one item of a TopologyDocument: ids are unique across a valid scenario and
/// survive undo/redo, unlike indices or pointers. Views keep ItemRefs, never pointers into the
/// Scenario.
struct ItemRef
{
    ItemKind kind = ItemKind::Device;
    QString id;

    bool isNull() const { return id.isEmpty(); }
    friend bool operator==(const ItemRef &a, const ItemRef &b)
    {
        return a.kind == b.kind && a.id == b.id;
    }
    friend bool operator!=(const ItemRef &a, const ItemRef &b) { return !(a == b); }
};

inline size_t qHash(const ItemRef &ref, size_t seed = 0)
{
    return qHashMulti(seed, static_cast<int>(ref.kind), ref.id);
}

using ItemRefList = QList<ItemRef>;

/// Human name of a kind ("device", "edge server", ...), for command texts and messages.
QString itemKindName(ItemKind kind);

} // namespace collapipe
