// SPDX-License-Identifier: MIT
// The one place that maps CLI names to policies. An explicit list, not static self-registration:
// the optimizer is a static library and the linker drops objects nothing references.
#include "core/optimizer/policy.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"

namespace collapipe {

QStringList policyNames()
{
    return {QStringLiteral("uniform"), QStringLiteral("proportional")};
}

std::unique_ptr<Policy> makePolicy(const QString &name, QString *error)
{
    if (name == QLatin1String("uniform")) {
        return std::make_unique<UniformPolicy>();
    }
    if (name == QLatin1String("proportional")) {
        return std::make_unique<ProportionalPolicy>();
    }
    if (error) {
        *error = QStringLiteral("unknown policy '%1' (valid: %2)")
                     .arg(name, policyNames().join(QStringLiteral(", ")));
    }
    return nullptr;
}

} // namespace collapipe
