// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include <vector>

/// Plain-text tables and number formatting for the CLI verbs.
namespace collapipe::cli {

/// Four significant digits, "—" for NaN (not measured), "inf" for infinities.
QString formatNumber(double value);

/// Signed with a percentage, e.g. "+0.012 (+3.1 %)"; "0" for zero; "—" for NaN.
QString formatDelta(double delta, double percent);

/// A left-aligned text table: the first row is the header, underlined. Every cell is passed
/// through escapeControlCharacters(), so each row is one line whatever the cells hold.
class TextTable
{
public:
    explicit TextTable(QStringList header);
    void addRow(QStringList row);
    void print(QTextStream &out) const;
    bool isEmpty() const { return m_rows.empty(); }

private:
    std::vector<QStringList> m_rows;
};

} // namespace collapipe::cli
