// SPDX-License-Identifier: MIT
#include "cli_args.h"

#include "core/scenario/display_text.h"

namespace collapipe::cli {

void addCommonOptions(QCommandLineParser *parser)
{
    parser->setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser->addOption(QCommandLineOption(
        {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("show this help")));
    parser->addOption(QCommandLineOption(QStringLiteral("db"),
        QStringLiteral("run database (default: the app-data folder's runs.sqlite)"),
        QStringLiteral("DB")));
}

bool parseArgs(
    QCommandLineParser *parser, const QString &verb, const QStringList &args, QTextStream &err)
{
    if (!parser->parse(QStringList{QStringLiteral("collapipe")} + args)) {
        QString text = parser->errorText();
        // "-1" reads as an unknown option "1": name the value as it was typed.
        for (const QString &name : parser->unknownOptionNames()) {
            bool number = false;
            name.toDouble(&number);
            if (number && args.contains(QLatin1Char('-') + name)) {
                text = QStringLiteral("'-%1' is not an option; a negative number is not a valid "
                                      "value here")
                           .arg(name);
                break;
            }
        }
        err << "collapipe " << verb << ": " << escapeControlCharacters(text) << " (see collapipe "
            << verb << " --help)\n";
        return false;
    }
    // An empty --db would silently mean the default database, so a script whose variable is
    // empty would read or write the wrong file.
    if (parser->optionNames().contains(QLatin1String("db")) && parser->isSet(QStringLiteral("db"))
        && parser->value(QStringLiteral("db")).isEmpty()) {
        err << "collapipe " << verb << ": --db: expected a file path (got '')\n";
        return false;
    }
    return true;
}

bool helpRequested(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("help"));
}

bool parseRunId(const QString &text, std::int64_t *id, QString *error)
{
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok);
    if (!ok || value < 1) {
        *error = QStringLiteral("run id: expected a positive integer (got '%1')").arg(text);
        return false;
    }
    *id = value;
    return true;
}

bool parseInt(
    const QString &option, const QString &text, int min, int max, int *out, QString *error)
{
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        *error = QStringLiteral("%1: expected an integer in [%2, %3] (got '%4')")
                     .arg(option)
                     .arg(min)
                     .arg(max)
                     .arg(text);
        return false;
    }
    *out = int(value);
    return true;
}

bool parseOnOff(const QString &option, const QString &text, bool *out, QString *error)
{
    const QString t = text.toLower();
    if (t == QLatin1String("on") || t == QLatin1String("true") || t == QLatin1String("yes")
        || t == QLatin1String("1")) {
        *out = true;
        return true;
    }
    if (t == QLatin1String("off") || t == QLatin1String("false") || t == QLatin1String("no")
        || t == QLatin1String("0")) {
        *out = false;
        return true;
    }
    *error = QStringLiteral("%1: expected on or off (got '%2')").arg(option, text);
    return false;
}

} // namespace collapipe::cli
