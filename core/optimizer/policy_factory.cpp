// SPDX-License-Identifier: MIT
// The one place that maps CLI names to policies. An explicit list, not static self-registration:
// the optimizer is a static library and the linker drops objects nothing references.
#include "core/optimizer/baseline_policies.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/oracle_policy.h"
#include "core/optimizer/policy.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"

namespace collapipe {

QStringList policyNames()
{
    return {QStringLiteral("uniform"), QStringLiteral("proportional"),
        // Issue [3/6] ("dssra" is accepted by makePolicy() as an alias of "dssda").
        QStringLiteral("dssda"), QStringLiteral("dssda-myopic"), QStringLiteral("dssda-fixed-m"),
        QStringLiteral("dssda-equal-bw"), QStringLiteral("fl"), QStringLiteral("sl"),
        QStringLiteral("oracle")};
}

std::unique_ptr<Policy> makePolicy(const QString &name, QString *error)
{
    if (name == QLatin1String("uniform")) {
        return std::make_unique<UniformPolicy>();
    }
    if (name == QLatin1String("proportional")) {
        return std::make_unique<ProportionalPolicy>();
    }
    if (name == QLatin1String("dssda") || name == QLatin1String("dssra")) {
        return std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::Full, name);
    }
    if (name == QLatin1String("dssda-myopic")) {
        return std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::Myopic);
    }
    if (name == QLatin1String("dssda-fixed-m")) {
        return std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::FixedM);
    }
    if (name == QLatin1String("dssda-equal-bw")) {
        return std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::EqualBandwidth);
    }
    if (name == QLatin1String("fl")) {
        return std::make_unique<FederatedFullPolicy>();
    }
    if (name == QLatin1String("sl")) {
        return std::make_unique<SplitFixedCutPolicy>();
    }
    if (name == QLatin1String("oracle")) {
        return std::make_unique<OraclePolicy>();
    }
    if (error) {
        *error = QStringLiteral("unknown policy '%1' (valid: %2)")
                     .arg(name, policyNames().join(QStringLiteral(", ")));
    }
    return nullptr;
}

} // namespace collapipe
