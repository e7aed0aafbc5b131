// SPDX-License-Identifier: MIT
#include "cli_table.h"

#include "core/scenario/display_text.h"

#include <algorithm>
#include <cmath>

namespace collapipe::cli {

QString formatNumber(double value)
{
    if (std::isnan(value)) {
        return QStringLiteral("-");
    }
    if (std::isinf(value)) {
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    }
    return QString::number(value, 'g', 4);
}

QString formatDelta(double delta, double percent)
{
    if (std::isnan(delta)) {
        return QStringLiteral("-");
    }
    if (delta == 0.0) {
        return QStringLiteral("0");
    }
    QString text = (delta > 0 ? QStringLiteral("+") : QString()) + QString::number(delta, 'g', 4);
    if (!std::isnan(percent)) {
        text += QStringLiteral(" (%1%2 %)")
                    .arg(percent > 0 ? QStringLiteral("+") : QString())
                    .arg(percent, 0, 'f', 1);
    }
    return text;
}

TextTable::TextTable(QStringList header)
{
    addRow(std::move(header));
}

void TextTable::addRow(QStringList row)
{
    // Cells hold run names, ids and messages from the store: a newline in one would split a row.
    for (QString &cell : row) {
        cell = escapeControlCharacters(cell);
    }
    m_rows.push_back(std::move(row));
}

void TextTable::print(QTextStream &out) const
{
    std::vector<qsizetype> widths;
    for (const QStringList &row : m_rows) {
        widths.resize(std::max(widths.size(), std::size_t(row.size())), 0);
        for (qsizetype c = 0; c < row.size(); ++c) {
            widths[std::size_t(c)] = std::max(widths[std::size_t(c)], row[c].size());
        }
    }
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        const QStringList &row = m_rows[r];
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            line += c + 1 == row.size() ? row[c] : row[c].leftJustified(widths[std::size_t(c)] + 2);
        }
        out << line << '\n';
        if (r == 0) {
            qsizetype total = 0;
            for (qsizetype w : widths) {
                total += w + 2;
            }
            out << QString(std::max<qsizetype>(total - 2, 0), QLatin1Char('-')) << '\n';
        }
    }
}

} // namespace collapipe::cli
