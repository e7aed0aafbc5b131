// SPDX-License-Identifier: MIT
// `collapipe merge OUT SHARD...`: the shard databases of one experiment into one (issue [5/7]).
#include "cli_args.h"
#include "command_registry.h"
#include "core/experiment/experiment_merge.h"
#include "core/scenario/display_text.h"

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_merge {
namespace {

const char kUsage[] = R"(usage: collapipe merge OUT.sqlite SHARD.sqlite...

Merges the shard databases of one experiment (collapipe experiment --shard i/N) into OUT
(created if missing). Only completed runs are copied, each point once (by its fingerprint):
a point OUT or an earlier shard already has is skipped, so merging again is harmless.
Every shard is checked before anything is written and never changed: a shard of another
experiment, a database with runs that belong to no experiment, or an OUT that holds another
experiment is refused with a message naming the file.
exit codes: 0 merged, 2 refused or failed (the message names the file).
)";

int runMerge(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")}));
    if (!parseArgs(&parser, QStringLiteral("merge"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    QStringList files = parser.positionalArguments();
    if (files.size() < 2) {
        err << "collapipe merge: expected OUT and at least one SHARD (see collapipe merge "
               "--help)\n";
        return ExitBadInput;
    }
    const QString outPath = files.takeFirst();
    MergeSummary summary;
    QString error;
    if (!mergeExperimentShards(outPath, files, &summary, &error)) {
        err << "collapipe merge: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    out << "merged " << files.size() << " shard(s) of experiment "
        << (summary.experimentId.isEmpty() ? QStringLiteral("(none: no runs)")
                                           : summary.experimentId)
        << " into " << escapeControlCharacters(outPath) << ": " << summary.copied
        << " run(s) copied, " << summary.duplicates << " duplicate point(s) skipped, "
        << summary.incomplete << " unfinished run(s) not copied\n";
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("merge"),
    QStringLiteral("merge an experiment's shard databases into one"), runMerge);

} // namespace
} // namespace collapipe::cli::verb_merge
