// SPDX-License-Identifier: MIT
// libFuzzer harness: scenario JSON -> parser + validator (scenario_json.h). Never a crash; the
// parser's verdict agrees with validateScenario(); a scenario that validates survives
// save -> load -> save byte for byte, in memory and through saveScenarioFile/loadScenarioFile.
#include "core/scenario/scenario_json.h"
#include "tests/fuzz/fuzz_check.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

using namespace collapipe;

namespace {

QByteArray problemsText(const std::vector<ScenarioProblem> &problems)
{
    QStringList lines;
    for (const ScenarioProblem &p : problems) {
        lines << p.toString();
    }
    return lines.join(QLatin1Char('\n')).toUtf8();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    Scenario s;
    std::vector<ScenarioProblem> problems;
    const bool ok = scenarioFromJson(json, &s, &problems);
    if (ok != problems.empty()) {
        fuzz::fail(
            "scenarioFromJson's result disagrees with its problem list", problemsText(problems));
    }
    for (const ScenarioProblem &p : problems) {
        if (p.toString().isEmpty()) {
            fuzz::fail("a problem without text");
        }
    }
    // Whatever could be read, even from a refused file, must be safe to validate (the UI does).
    const std::vector<ScenarioProblem> semantic = validateScenario(s);
    if (!ok) {
        return 0;
    }
    if (!semantic.empty()) {
        fuzz::fail(
            "scenarioFromJson accepted what validateScenario refuses", problemsText(semantic));
    }

    const QByteArray saved = scenarioToJson(s);
    Scenario reloaded;
    std::vector<ScenarioProblem> reloadProblems;
    if (!scenarioFromJson(saved, &reloaded, &reloadProblems)) {
        fuzz::fail("a valid scenario does not load after saving",
            problemsText(reloadProblems) + "\n--- saved:\n" + saved);
    }
    if (scenarioToJson(reloaded) != saved) {
        fuzz::fail("save -> load -> save changed the scenario",
            saved + "\n--- after the round trip:\n" + scenarioToJson(reloaded));
    }

    // The same through the file API (QSaveFile), in one folder kept for the whole process.
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fuzz.json"));
    QString error;
    if (!saveScenarioFile(path, s, &error)) {
        fuzz::fail("saveScenarioFile failed", error.toUtf8());
    }
    Scenario fromFile;
    std::vector<ScenarioProblem> fileProblems;
    if (!loadScenarioFile(path, &fromFile, &fileProblems)) {
        fuzz::fail("loadScenarioFile refused a saved valid scenario", problemsText(fileProblems));
    }
    if (scenarioToJson(fromFile) != saved) {
        fuzz::fail("saveScenarioFile -> loadScenarioFile changed the scenario");
    }
    return 0;
}
