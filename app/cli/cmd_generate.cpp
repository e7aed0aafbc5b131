// SPDX-License-Identifier: MIT
// `collapipe generate --clusters C --devices-per-cluster K [...] -o FILE`: a synthetic scenario
// from a recipe (issue [7/7]); the topology itself is core/scenario/scenario_generator.h.
#include "cli_args.h"
#include "cli_files.h"
#include "command_registry.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include <cmath>
#include <limits>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_generate {
namespace {

constexpr int kMaxCount = 100000;
constexpr qint64 kMaxDevices = 1000000; ///< C × K: a file of ~300 MB, minutes to plan

const char *const kUsage
    = R"(usage: collapipe generate --clusters C --devices-per-cluster K -o FILE [options]

Writes a synthetic scenario (collapipe-scenario/1): C clusters of K devices each, around one or
more edge servers. Every setting other than the topology (radio, model, training, optimizer) and
the edge server and control unit capabilities come from the base scenario. The same options and
seed give the same file byte for byte. The file is written atomically and always validates.

options:
  --clusters C               number of clusters, 1..100000
  --devices-per-cluster K    devices per cluster, 1..100000 (C × K at most 1000000)
  --edge-servers E           edge servers, 1..C (default 1); cluster n is served by n mod E
  --preset-mix MIX           device kinds and their shares, e.g. phone:0.5,jetson:0.3
                             (NAME[:WEIGHT], weights > 0, normalised; a NAME that is a prefix of
                             several preset ids spreads its weight evenly over them); default:
                             every preset of the base scenario equally
  --layout grid|ring|random  where the clusters' control units go (default grid, 300 m apart);
                             devices are scattered within 60 m of their control unit
  --seed S                   seed of the device kinds and positions, 0..2^64-1 (default 1)
  --base FILE                base scenario (default: the bundled default.json); its device
                             presets are the kinds --preset-mix names
  -o, --output FILE          the file to write (never the base file, a folder, a device or FIFO,
                             or a read-only file)
exit codes: 0 ok, 1 the file could not be written, 2 bad input
)";

/// Parses "phone:0.5,jetson:0.3" against the base scenario's presets.
bool parseMix(const QString &text, const std::vector<Device> &presets,
    std::vector<PresetShare> *mix, QString *error)
{
    QStringList known;
    for (const Device &p : presets) {
        known << p.preset;
    }
    for (const QString &item : text.split(QLatin1Char(','))) {
        const QString name = item.section(QLatin1Char(':'), 0, 0).trimmed();
        const bool hasWeight = item.contains(QLatin1Char(':'));
        bool ok = true;
        const double weight
            = hasWeight ? item.section(QLatin1Char(':'), 1).trimmed().toDouble(&ok) : 1.0;
        if (!ok || !std::isfinite(weight) || weight <= 0.0) {
            *error = QStringLiteral("--preset-mix: the weight of '%1' must be a number > 0 (got "
                                    "'%2')")
                         .arg(name, item.section(QLatin1Char(':'), 1));
            return false;
        }
        std::vector<const Device *> matches;
        for (const Device &p : presets) {
            if (p.preset == name) {
                matches = {&p};
                break;
            }
            if (!name.isEmpty() && p.preset.startsWith(name)) {
                matches.push_back(&p);
            }
        }
        if (matches.empty()) {
            *error = QStringLiteral("--preset-mix: unknown preset '%1' (known: %2)")
                         .arg(name, known.join(QStringLiteral(", ")));
            return false;
        }
        for (const Device *p : matches) {
            mix->push_back(PresetShare{*p, weight / double(matches.size())});
        }
    }
    return true;
}

bool parseLayout(const QString &text, ClusterLayout *out, QString *error)
{
    if (text == QLatin1String("grid")) {
        *out = ClusterLayout::Grid;
    } else if (text == QLatin1String("ring")) {
        *out = ClusterLayout::Ring;
    } else if (text == QLatin1String("random")) {
        *out = ClusterLayout::Random;
    } else {
        *error = QStringLiteral("--layout: expected grid, ring or random (got '%1')").arg(text);
        return false;
    }
    return true;
}

/// Refuses an output that is a folder, not a regular file, read-only, or the base scenario
/// itself (same file by any path).
bool checkOutput(const QString &output, const QString &base, QString *error)
{
    const QFileInfo info(output);
    if (info.isDir()) {
        *error = QStringLiteral("-o: '%1' is a folder").arg(output);
        return false;
    }
    // A device (/dev/null), FIFO or read-only file is never replaced by the renamed temporary.
    if (!checkReplaceableFile(output, error)) {
        error->prepend(QStringLiteral("-o: "));
        return false;
    }
    if (info.exists() && info.canonicalFilePath() == QFileInfo(base).canonicalFilePath()) {
        *error
            = QStringLiteral("-o: '%1' is the base scenario; refusing to overwrite it").arg(output);
        return false;
    }
    return true;
}

/// Reads the recipe from the options; false + a message naming the option and the value.
bool readRecipe(const QCommandLineParser &parser, const std::vector<Device> &presets,
    GeneratorRecipe *recipe, QString *error)
{
    if (!parser.isSet(QStringLiteral("clusters"))
        || !parser.isSet(QStringLiteral("devices-per-cluster"))) {
        *error = QStringLiteral("--clusters and --devices-per-cluster are required");
        return false;
    }
    if (!parseInt(QStringLiteral("--clusters"), parser.value(QStringLiteral("clusters")), 1,
            kMaxCount, &recipe->clusters, error)
        || !parseInt(QStringLiteral("--devices-per-cluster"),
            parser.value(QStringLiteral("devices-per-cluster")), 1, kMaxCount,
            &recipe->devicesPerCluster, error)) {
        return false;
    }
    if (qint64(recipe->clusters) * recipe->devicesPerCluster > kMaxDevices) {
        *error = QStringLiteral("--clusters × --devices-per-cluster: at most %1 devices (got %2)")
                     .arg(kMaxDevices)
                     .arg(qint64(recipe->clusters) * recipe->devicesPerCluster);
        return false;
    }
    if (parser.isSet(QStringLiteral("edge-servers"))
        && !parseInt(QStringLiteral("--edge-servers"), parser.value(QStringLiteral("edge-servers")),
            1, recipe->clusters, &recipe->edgeServers, error)) {
        return false;
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        const QString text = parser.value(QStringLiteral("seed"));
        recipe->seed = text.toULongLong(&ok);
        if (!ok) {
            *error
                = QStringLiteral("--seed: expected an integer in [0, 2^64-1] (got '%1')").arg(text);
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("layout"))
        && !parseLayout(parser.value(QStringLiteral("layout")), &recipe->layout, error)) {
        return false;
    }
    if (parser.isSet(QStringLiteral("preset-mix"))) {
        return parseMix(parser.value(QStringLiteral("preset-mix")), presets, &recipe->mix, error);
    }
    for (const Device &p : presets) {
        recipe->mix.push_back(PresetShare{p, 1.0});
    }
    if (recipe->mix.empty()) {
        recipe->mix.push_back(PresetShare{Device{}, 1.0}); // a base without presets
    }
    return true;
}

int runGenerate(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption(QCommandLineOption(
        {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("show this help")));
    for (const char *name : {"clusters", "devices-per-cluster", "edge-servers", "preset-mix",
             "layout", "seed", "base"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    parser.addOption(QCommandLineOption(
        {QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("FILE")));
    if (!parseArgs(&parser, QStringLiteral("generate"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    auto refuse = [&err](const QString &message) {
        err << "collapipe generate: " << escapeControlCharacters(message)
            << " (see collapipe generate --help)\n";
        return int(ExitBadInput);
    };
    if (!parser.positionalArguments().isEmpty()) {
        return refuse(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    }
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        return refuse(QStringLiteral("-o FILE is required"));
    }
    const QString base = parser.isSet(QStringLiteral("base"))
        ? parser.value(QStringLiteral("base"))
        : QDir(bundledScenarioDir()).filePath(QStringLiteral("default.json"));
    QString error;
    if (!checkOutput(output, base, &error)) {
        return refuse(error);
    }
    Scenario baseScenario;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(base, &baseScenario, &problems)) {
        err << "collapipe generate: --base: " << escapeControlCharacters(base) << ": "
            << problems.size() << (problems.size() == 1 ? " problem\n" : " problems\n");
        for (const ScenarioProblem &p : problems) {
            err << "  " << escapeControlCharacters(p.toString()) << '\n';
        }
        return ExitBadInput;
    }
    GeneratorRecipe recipe;
    if (!readRecipe(parser, devicePresetsOf(baseScenario), &recipe, &error)) {
        return refuse(error);
    }
    const Scenario scenario = generateScenario(baseScenario, recipe);
    // The generator only combines valid parts; checking anyway means a file this verb writes
    // always loads (a base whose limits the new topology breaks is named here, not at run time).
    problems = validateScenario(scenario);
    if (!problems.empty()) {
        err << "collapipe generate: the generated scenario is not valid:\n";
        for (const ScenarioProblem &p : problems) {
            err << "  " << escapeControlCharacters(p.toString()) << '\n';
        }
        return ExitBadInput;
    }
    if (!saveScenarioFile(output, scenario, &error)) {
        err << "collapipe generate: " << escapeControlCharacters(error) << '\n';
        return ExitRunFailed;
    }
    out << "wrote " << output << ": " << recipe.clusters << " × " << recipe.devicesPerCluster
        << " devices, " << scenario.topology.edgeServers.size()
        << (scenario.topology.edgeServers.size() == 1 ? " edge server" : " edge servers")
        << ", seed " << recipe.seed << '\n';
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("generate"),
    QStringLiteral("write a synthetic scenario: C clusters × K devices from presets"), runGenerate);

} // namespace
} // namespace collapipe::cli::verb_generate
