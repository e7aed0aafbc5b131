// SPDX-License-Identifier: MIT
#pragma once

#include <qcustomplot.h>

namespace collapipe {

/// A legend entry for a reference line (a QCPItemStraightLine: budget, memory limit), which
/// QCustomPlot's legend cannot name because it is an item, not a plottable: the line's pen as
/// the icon, then its name. Lets a panel's legend name every curve it draws.
class ReferenceLegendItem : public QCPAbstractLegendItem
{
    Q_OBJECT

public:
    ReferenceLegendItem(QCPLegend *legend, const QString &name, const QPen &pen);

    QString name() const { return m_name; }

protected:
    void draw(QCPPainter *painter) override;
    QSize minimumOuterSizeHint() const override;

private:
    QString m_name;
    QPen m_pen;
};

} // namespace collapipe
