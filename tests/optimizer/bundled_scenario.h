// SPDX-License-Identifier: MIT
#pragma once

// A bundled scenario (resources/scenarios/NAME) for the optimizer tests; aborts with the
// loader's problems if it does not load, since every assertion after would be meaningless.
#include "core/scenario/scenario_json.h"

#include <QStringList>
#include <QtGlobal>

namespace collapipe::testing {

inline Scenario loadBundled(const QString &name)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    const QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + name;
    if (!loadScenarioFile(path, &s, &problems)) {
        QStringList text;
        for (const ScenarioProblem &p : problems) {
            text << p.toString();
        }
        qFatal("cannot load %s: %s", qPrintable(path), qPrintable(text.join(QLatin1Char(';'))));
    }
    return s;
}

} // namespace collapipe::testing
