// SPDX-License-Identifier: MIT
// Range checks shared by validation and the UI (one message wording everywhere).
#include "core/scenario/scenario_fields.h"

#include <QLocale>

#include <cmath>

namespace collapipe {

QString formatFieldNumber(double value)
{
    if (std::isnan(value)) {
        return QStringLiteral("nan");
    }
    if (std::isinf(value)) {
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    }
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString fieldRangeText(const FieldInfo &field)
{
    const bool hasMin = field.minBound != Bound::None;
    const bool hasMax = field.maxBound != Bound::None;
    if (hasMin && hasMax) {
        return (field.minBound == Bound::Inclusive ? QStringLiteral("[") : QStringLiteral("("))
            + formatFieldNumber(field.minValue) + QStringLiteral(", ")
            + formatFieldNumber(field.maxValue)
            + (field.maxBound == Bound::Inclusive ? QStringLiteral("]") : QStringLiteral(")"));
    }
    if (hasMin) {
        return (field.minBound == Bound::Inclusive ? QStringLiteral(">= ") : QStringLiteral("> "))
            + formatFieldNumber(field.minValue);
    }
    if (hasMax) {
        return (field.maxBound == Bound::Inclusive ? QStringLiteral("<= ") : QStringLiteral("< "))
            + formatFieldNumber(field.maxValue);
    }
    return QString();
}

QString checkFieldValue(const FieldInfo &field, double value)
{
    // Formatted only for a problem: validation checks every field of every device per edit.
    const auto got = [value] { return QStringLiteral(" (got %1)").arg(formatFieldNumber(value)); };
    if (!std::isfinite(value)) {
        return QStringLiteral("must be a finite number") + got();
    }
    if (field.kind == FieldKind::String) {
        return QString(); // strings carry no numeric range
    }
    if (field.kind != FieldKind::Real && value != std::floor(value)) {
        return QStringLiteral("must be an integer") + got();
    }
    if (field.kind == FieldKind::Bool && value != 0.0 && value != 1.0) {
        return QStringLiteral("must be 0 or 1") + got();
    }
    if (field.kind == FieldKind::Enum) {
        if (value < 0 || value >= field.enumValues.size()) {
            return QStringLiteral("must be one of %1")
                       .arg(field.enumValues.join(QStringLiteral(", ")))
                + got();
        }
        return QString();
    }
    const bool belowMin = (field.minBound == Bound::Inclusive && value < field.minValue)
        || (field.minBound == Bound::Exclusive && value <= field.minValue);
    const bool aboveMax = (field.maxBound == Bound::Inclusive && value > field.maxValue)
        || (field.maxBound == Bound::Exclusive && value >= field.maxValue);
    if (!belowMin && !aboveMax) {
        return QString();
    }
    // Name the side that was violated: "must be > 0 (got -5)" reads better than the whole range.
    if (belowMin) {
        return QStringLiteral("must be ")
            + (field.minBound == Bound::Inclusive ? QStringLiteral(">= ") : QStringLiteral("> "))
            + formatFieldNumber(field.minValue) + got();
    }
    return QStringLiteral("must be ")
        + (field.maxBound == Bound::Inclusive ? QStringLiteral("<= ") : QStringLiteral("< "))
        + formatFieldNumber(field.maxValue) + got();
}

} // namespace collapipe
