// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_row_labels.h"

#include <QFontMetrics>
#include <qcustomplot.h>

#include <algorithm>

namespace collapipe {

namespace {
/// Distinct names kept laid out; a run of 100,000 devices expanded would otherwise grow the
/// cache without bound (it is rebuilt from the rows in use when it passes this).
constexpr qsizetype kRowLabelCacheLimit = 20'000;
} // namespace

void GanttRowLabels::setFont(const QFont &font)
{
    m_font = font;
    m_cache.clear();
    m_lineHeight = QFontMetrics(m_font).height();
    setLabels(QStringList(m_labels));
}

const GanttRowLabels::Laid &GanttRowLabels::laidOut(const QString &label)
{
    auto it = m_cache.find(label);
    if (it == m_cache.end()) {
        Laid laid;
        laid.text.setText(label);
        laid.text.setTextFormat(Qt::PlainText);
        laid.text.setPerformanceHint(QStaticText::AggressiveCaching);
        laid.text.prepare(QTransform(), m_font);
        laid.width = QFontMetrics(m_font).horizontalAdvance(label);
        it = m_cache.insert(label, std::move(laid));
    }
    return *it;
}

int GanttRowLabels::setLabels(const QStringList &labels)
{
    if (m_cache.size() > kRowLabelCacheLimit) {
        m_cache.clear(); // the pointers in m_rows are rebuilt below
    }
    m_labels = labels;
    m_rows.clear();
    m_rows.reserve(std::size_t(labels.size()));
    m_widest = 0;
    if (m_lineHeight == 0) {
        m_lineHeight = QFontMetrics(m_font).height();
    }
    // QHash keeps its nodes' addresses only until it rehashes: all names first, then pointers.
    for (const QString &label : labels) {
        m_widest = std::max(m_widest, laidOut(label).width);
    }
    for (const QString &label : labels) {
        m_rows.push_back(&*m_cache.constFind(label));
    }
    return m_widest;
}

void GanttRowLabels::draw(QCPPainter *painter, const QCPAxis *rows, const QRectF &area, double gap,
    int firstRow, int lastRow) const
{
    firstRow = std::max(firstRow, 0);
    lastRow = std::min(lastRow, int(m_rows.size()) - 1);
    if (firstRow > lastRow) {
        return;
    }
    painter->save();
    painter->setFont(m_font);
    painter->setPen(m_color);
    const double right = area.left() - gap;
    for (int row = firstRow; row <= lastRow; ++row) {
        const Laid &laid = *m_rows[std::size_t(row)];
        const double y = rows->coordToPixel(row) - m_lineHeight / 2.0;
        painter->drawStaticText(QPointF(right - laid.width, y), laid.text);
    }
    painter->restore();
}

} // namespace collapipe
