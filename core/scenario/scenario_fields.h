// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

/// The scenario's field table (style.md rule 10): every scalar field of every struct in scenario.h
/// is declared once here with its JSON key, unit, default, valid range and help text. JSON
/// read/write, validateScenario() and the UI's property editor and tooltips all read these tables,
/// so a range changes in one place only.
namespace collapipe {

/// How a field's value is held. Real/Integer/Bool/Enum go through FieldSpec::get/set as a double
/// (Bool: 0 or 1; Enum: the index into FieldInfo::enumValues); String goes through
/// FieldSpec::getString/setString.
enum class FieldKind {
    Real,
    Integer,
    Bool,
    Enum,
    String
};

/// One end of a valid range.
enum class Bound {
    None,      ///< unbounded on this side
    Inclusive, ///< the limit itself is allowed
    Exclusive  ///< the limit itself is not allowed
};

/// Everything about a field that does not depend on the struct it lives in.
struct FieldInfo
{
    QString key;   ///< JSON key, snake_case (e.g. "memory_bytes")
    QString label; ///< short human label for the UI (e.g. "Memory")
    QString
        unit; ///< SI unit string ("B", "FLOP/s", "W", "J", "m", "Hz", "dBm/Hz", "dB", ...) or ""
    QString help; ///< one or two sentences for tooltips
    FieldKind kind = FieldKind::Real;
    bool required = false; ///< missing from JSON is an error (ids); otherwise the default is used
    double minValue = 0.0;
    Bound minBound = Bound::None;
    double maxValue = 0.0;
    Bound maxBound = Bound::None;
    QStringList enumValues; ///< Enum only: the JSON strings, in enum order
};

/// A field of struct T with its accessors.
template <typename T> struct FieldSpec : FieldInfo
{
    std::function<double(const T &)> get;                ///< not String
    std::function<void(T &, double)> set;                ///< not String; value assumed valid
    std::function<QString(const T &)> getString;         ///< String only
    std::function<void(T &, const QString &)> setString; ///< String only

    /// The value a default-constructed T holds (the JSON default when the key is missing).
    /// Note: nested structs with context-dependent defaults (d2e bandwidth 20 MHz vs d2d 10 MHz,
    /// profiled vs trainer dims) take their default from the parent struct, not from T{}.
    double defaultValue() const { return get ? get(T{}) : 0.0; }
};

/// Returns "" when value is acceptable for the field (finite, integral for Integer/Bool/Enum,
/// within the range), else the reason, e.g. "must be > 0 (got -5)". The UI uses it to refuse a
/// value inline with the same message validateScenario() would give.
QString checkFieldValue(const FieldInfo &field, double value);

/// The range as text for tooltips, e.g. "(0, 1e+15]" or ">= 1"; "" when unbounded.
QString fieldRangeText(const FieldInfo &field);

/// Shortest round-trip text of a double ("-5", "1e+12", "0.1", "nan", "inf").
QString formatFieldNumber(double value);

/// Top-level strings: name, description.
const std::vector<FieldSpec<Scenario>> &scenarioFields();
const std::vector<FieldSpec<EdgeServer>> &edgeServerFields();
/// Cluster scalars only (id, name, edge_server_id); control_unit and devices are nested.
const std::vector<FieldSpec<Cluster>> &clusterFields();
const std::vector<FieldSpec<ControlUnit>> &controlUnitFields();
const std::vector<FieldSpec<Device>> &deviceFields();
/// A device's nested "availability" object (written only when its model is not "always").
const std::vector<FieldSpec<DeviceAvailability>> &availabilityFields();
/// A device's or control unit's "mobility" block (scalars; "waypoints" is nested, each one
/// {x_m, y_m} per waypointFields()).
const std::vector<FieldSpec<Mobility>> &mobilityFields();
const std::vector<FieldSpec<Position>> &waypointFields();
/// Whether `model` reads the mobility field `key` ("model" always; "waypoints" for waypoints).
/// The JSON writer writes only these; the property editor shows only these.
bool mobilityFieldUsed(MobilityModel model, const QString &key);
/// Whether availability model `kind` reads the field `key` of availabilityFields() ("model"
/// always; mean_up_s, mean_down_s and seed for markov; file for trace). The property editor
/// shows only these.
bool availabilityFieldUsed(AvailabilityKind kind, const QString &key);

/// Shared by "d2d" and "d2e".
const std::vector<FieldSpec<ChannelSettings>> &channelFields();
/// Model scalars; "trainer" and "profiled" are nested TransformerDims.
const std::vector<FieldSpec<ModelSettings>> &modelFields();
const std::vector<FieldSpec<TransformerDims>> &transformerDimsFields();
/// Training scalars; "lora" is the nested LoraSettings.
const std::vector<FieldSpec<TrainingSettings>> &trainingFields();
const std::vector<FieldSpec<LoraSettings>> &loraFields();
const std::vector<FieldSpec<OptimizerSettings>> &optimizerFields();

/// Largest seed a JSON number holds exactly (2^53); larger seeds are rejected.
inline constexpr double kMaxExactJsonInteger = 9007199254740992.0;

} // namespace collapipe
