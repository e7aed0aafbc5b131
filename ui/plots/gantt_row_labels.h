// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QStringList>

class QCPAxis;
class QCPPainter;
class QRectF;

namespace collapipe {

/// The Gantt's row names left of its lanes, drawn by the plot's bars item for the rows in sight
/// only (issue [7/7] "The Studio keeps up with the engine"). QCustomPlot drew every row's tick
/// label on every replot (~100 summary rows at 100 × 10, over 1,000 expanded) through a label
/// cache of 16 entries, so each label was measured, rendered to a pixmap and blitted again each
/// time: ~18 % of the GUI thread's remaining run cost. Here each distinct name is laid out once
/// (QStaticText, kept across rounds: the row cache keeps the same names) and the axis keeps its
/// margin through its padding (the widest name), so scrolling moves no column.
class GanttRowLabels
{
public:
    void setFont(const QFont &font);
    const QFont &font() const { return m_font; }
    void setColor(const QColor &color) { m_color = color; }
    /// The names of rows 0, 1, … (laid out now if new); returns the widest one's width, px.
    int setLabels(const QStringList &labels);
    const QStringList &labels() const { return m_labels; }
    int widest() const { return m_widest; }
    /// Draws the names of rows `firstRow`..`lastRow` right-aligned `gap` px left of `area`,
    /// centred on their rows of `rows`.
    void draw(QCPPainter *painter, const QCPAxis *rows, const QRectF &area, double gap,
        int firstRow, int lastRow) const;

private:
    struct Laid
    {
        QStaticText text;
        int width = 0;
    };
    const Laid &laidOut(const QString &label);

    QFont m_font;
    QColor m_color = Qt::black;
    QStringList m_labels;
    std::vector<const Laid *> m_rows; ///< into m_cache, one per label
    QHash<QString, Laid> m_cache;
    int m_widest = 0;
    int m_lineHeight = 0;
};

} // namespace collapipe
