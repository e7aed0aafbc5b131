// SPDX-License-Identifier: MIT
#include "ui/plots/title_wrap.h"

#include <QFontMetrics>

namespace collapipe {

namespace title_wrap_detail {

bool isWord(const QString &token)
{
    for (const QChar c : token) {
        if (c.isLetterOrNumber()) {
            return true;
        }
    }
    return false;
}

/// One line of a title cut into units that are never broken: words joined where a break would
/// part a legend symbol from its words, a one-letter word from the one before, or the inside of
/// brackets. `afterComma[i]` is true when unit i ends with a comma (a preferred break).
struct Units
{
    QStringList text;
    QList<bool> afterComma;
};

Units unitsOf(const QString &line)
{
    const QStringList tokens = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    Units units;
    int depth = 0; // brackets open before the current token
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString &token = tokens[i];
        bool breakBefore = i > 0 && depth == 0;
        if (breakBefore) {
            const QString &previous = tokens[i - 1];
            const bool comma = previous.endsWith(QLatin1Char(','));
            // A symbol (no letter or digit) stays with its neighbours unless a comma separates;
            // a number stays with its unit.
            breakBefore = comma
                || (isWord(previous) && isWord(token) && token.size() > 1
                    && !previous.front().isDigit());
        }
        if (breakBefore || units.text.isEmpty()) {
            units.text.append(token);
            units.afterComma.append(false);
        } else {
            units.text.last() += QLatin1Char(' ') + token;
        }
        units.afterComma.last() = token.endsWith(QLatin1Char(','));
        for (const QChar c : token) {
            if (c == QLatin1Char('[') || c == QLatin1Char('(')) {
                ++depth;
            } else if ((c == QLatin1Char(']') || c == QLatin1Char(')')) && depth > 0) {
                --depth;
            }
        }
    }
    return units;
}

/// Greedy lines of units, each as wide as fits, except that a line ends after its last comma
/// when that keeps at least half of what would fit: "Energy per round [J]," over "- - budget Ē"
/// rather than "Energy per round [J], - -" over "budget Ē".
QStringList wrapLine(const QString &line, const QFontMetrics &metrics, int width)
{
    const Units units = unitsOf(line);
    QStringList lines;
    qsizetype start = 0;
    while (start < units.text.size()) {
        QString current = units.text[start];
        qsizetype end = start + 1; // one past the last unit that fits
        qsizetype lastComma = units.afterComma[start] ? start + 1 : -1;
        int commaWidth = metrics.horizontalAdvance(current);
        while (end < units.text.size()) {
            const QString longer = current + QLatin1Char(' ') + units.text[end];
            if (metrics.horizontalAdvance(longer) > width) {
                break;
            }
            current = longer;
            ++end;
            if (units.afterComma[end - 1]) {
                lastComma = end;
                commaWidth = metrics.horizontalAdvance(current);
            }
        }
        if (end < units.text.size() && lastComma > start && lastComma < end
            && 2 * commaWidth >= metrics.horizontalAdvance(current)) {
            end = lastComma;
        }
        lines.append(units.text.mid(start, end - start).join(QLatin1Char(' ')));
        start = end;
    }
    return lines;
}

} // namespace title_wrap_detail

QString wrapTitle(const QString &title, const QFont &font, int width)
{
    const QFontMetrics metrics(font);
    QStringList out;
    for (const QString &line : titleLines(title)) {
        if (metrics.horizontalAdvance(line) <= width) {
            out.append(line);
        } else {
            out.append(title_wrap_detail::wrapLine(line, metrics, width));
        }
    }
    return out.join(QLatin1Char('\n'));
}

QStringList titleLines(const QString &text)
{
    return text.split(QLatin1Char('\n'));
}

} // namespace collapipe
