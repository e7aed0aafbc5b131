// SPDX-License-Identifier: MIT
#include "ui/plots/title_fit.h"

#include <QFontMetrics>
#include <QStringList>

namespace collapipe {

QString fitTitleText(const QString &title, const QFont &font, int width)
{
    const QFontMetrics metrics(font);
    if (metrics.horizontalAdvance(title) <= width) {
        return title;
    }
    // Clause ends: commas outside brackets, last first.
    QList<qsizetype> commas;
    int depth = 0;
    for (qsizetype i = 0; i < title.size(); ++i) {
        const QChar c = title[i];
        if (c == QLatin1Char('[') || c == QLatin1Char('(')) {
            ++depth;
        } else if ((c == QLatin1Char(']') || c == QLatin1Char(')')) && depth > 0) {
            --depth;
        } else if (c == QLatin1Char(',') && depth == 0) {
            commas.append(i);
        }
    }
    for (qsizetype k = commas.size() - 1; k >= 0; --k) {
        const QString head = title.left(commas[k]).trimmed();
        if (!head.isEmpty() && metrics.horizontalAdvance(head) <= width) {
            return head;
        }
    }
    // Whole words and an ellipsis; the first word at least.
    const QStringList words = title.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString ellipsis(QChar(0x2026));
    QString shown = words.isEmpty() ? QString() : words.front();
    for (qsizetype i = 1; i < words.size(); ++i) {
        const QString longer = shown + QLatin1Char(' ') + words[i];
        if (metrics.horizontalAdvance(longer + ellipsis) > width) {
            break;
        }
        shown = longer;
    }
    return shown + ellipsis;
}

} // namespace collapipe
