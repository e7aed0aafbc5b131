// SPDX-License-Identifier: MIT
#include "cli_scenario.h"

#include "core/scenario/display_text.h"
#include "core/scenario/scenario_json.h"

namespace collapipe::cli {

bool collectScenarioSets(const QCommandLineParser &parser, const QStringList &options,
    std::vector<SetAssignment> *sets, QString *error)
{
    for (const QString &text : parser.values(QStringLiteral("set"))) {
        SetAssignment set;
        if (!parseAssignment(text, &set, error)) {
            return false;
        }
        sets->push_back(set);
    }
    for (const ScenarioShortcut &s : kScenarioShortcuts) {
        const QString option = QLatin1String(s.option);
        if (options.contains(option) && parser.isSet(option)) {
            sets->push_back({QLatin1String(s.path), parser.value(option)});
        }
    }
    return true;
}

bool loadScenarioWithSets(const QString &path, const std::vector<SetAssignment> &sets,
    Scenario *out, QStringList *problems)
{
    Scenario base;
    std::vector<ScenarioProblem> found;
    if (!loadScenarioFile(path, &base, &found)) {
        for (const ScenarioProblem &p : found) {
            *problems << escapeControlCharacters(
                p.path.isEmpty() ? p.message : QStringLiteral("%1: %2").arg(path, p.toString()));
        }
        return false;
    }
    return patchScenario(base, sets, out, problems);
}

} // namespace collapipe::cli
