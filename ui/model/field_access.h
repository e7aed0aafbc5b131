// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario_fields.h"
#include "ui/model/item_ref.h"

#include <QVariant>

#include <functional>
#include <vector>

namespace collapipe {

/// One field of one item, bound to that item by id: FieldInfo (key, label, unit, range, help)
/// from the core field table plus accessors over a whole Scenario. The UI builds its editors and
/// tooltips from these, so units and ranges live only in core/scenario/scenario_fields.
struct BoundField
{
    FieldInfo info;
    /// double for Real/Integer/Bool/Enum, QString for String; invalid if the item is gone.
    std::function<QVariant(const Scenario &)> get;
    /// Writes an already checked value; false if the item is gone.
    std::function<bool(Scenario &, const QVariant &)> set;
    /// Whether the field means anything in the item's current state (e.g. a mobility field of
    /// another model, mobilityFieldUsed()); empty = always. Editors hide the others.
    std::function<bool(const Scenario &)> relevant;
};

/// The fields of ref's field table (devices, edge servers, clusters, control units, or a
/// Settings section named by ref.id). Empty for an unknown kind/section.
std::vector<BoundField> boundFields(const ItemRef &ref);

/// The field with that key; false if ref's table has no such key.
bool findBoundField(const ItemRef &ref, const QString &key, BoundField *out);

/// Settings sections in display order, with their titles.
QList<QPair<QString, QString>> settingsSections();

/// Tooltip text for a field: label, unit, valid range and help.
QString fieldToolTip(const FieldInfo &info);

} // namespace collapipe
