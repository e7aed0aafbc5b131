// SPDX-License-Identifier: MIT
#include "ui/figures/figure_style.h"

#include "core/experiment/experiment_metrics.h"
#include "core/scenario/scenario_field_paths.h"

#include <qcustomplot.h>

#include <array>

namespace collapipe::figures {
namespace {

/// Point sizes for a figure laid out at 96 px per inch and printed at its size (plot_export.h):
/// 8 pt labels read as 8 pt in a 7 in wide figure.
constexpr int kTitlePt = 9;
constexpr int kLabelPt = 8;
constexpr int kTickPt = 8;
constexpr int kLegendPt = 8;

QString withUnit(const QString &name, const QString &unit)
{
    return unit.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, unit);
}

} // namespace

QCPTextElement *resetFigure(QCustomPlot *plot, const QString &title)
{
    plot->clearPlottables();
    plot->clearItems();
    // Back to one axis rect in an otherwise empty layout: take the legend out of wherever a
    // previous figure put it, drop every other element.
    QCPLayoutGrid *layout = plot->plotLayout();
    if (QCPLayout *holder = plot->legend->layout()) {
        holder->take(plot->legend);
    }
    QCPAxisRect *rect = plot->axisRect();
    layout->take(rect);
    layout->clear();
    layout->simplify();
    const QFont titleFont(plot->font().family(), kTitlePt, QFont::Bold);
    // A one-line title wider than the figure breaks before its parenthesis instead of being cut.
    QString text = title;
    if (!text.contains(QLatin1Char('\n'))
        && QFontMetrics(titleFont).horizontalAdvance(text) > plot->width() - 16) {
        const qsizetype paren = text.lastIndexOf(QStringLiteral(" ("));
        if (paren > 0) {
            text[paren] = QLatin1Char('\n');
        }
    }
    layout->addElement(0, 0, new QCPTextElement(plot, text, titleFont));
    layout->addElement(1, 0, rect);
    layout->addElement(2, 0, plot->legend);
    layout->setRowStretchFactor(0, 0.001);
    layout->setRowStretchFactor(2, 0.001);
    auto *titleElement = static_cast<QCPTextElement *>(layout->element(0, 0));

    const QString family = plot->font().family();
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setLabelFont(QFont(family, kLabelPt));
        axis->setTickLabelFont(QFont(family, kTickPt));
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setLabel(QString());
        axis->setTickLabels(true); // showEmptyFigure() hides them
        // Plain "5e+06" as the CSV writes it, not QCustomPlot's "5·10^6" (it would also rewrite
        // the text of category ticks such as "5e+06/1e+07").
        axis->setNumberFormat(QStringLiteral("g"));
        axis->grid()->setVisible(true);
        axis->grid()->setZeroLinePen(QPen(QColor(200, 200, 200), 1));
        axis->setTickLength(0, 4);
        axis->setSubTickLength(0, 2);
    }
    plot->xAxis2->setVisible(false);
    plot->yAxis2->setVisible(false);
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(family, kLegendPt));
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setIconSize(18, 10);
    plot->legend->setRowSpacing(0);
    plot->legend->setColumnSpacing(12);
    plot->legend->setMargins(QMargins(4, 2, 4, 2));
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->setBackground(Qt::white);
    return titleElement;
}

bool showEmptyFigure(QCustomPlot *plot, const QString &note)
{
    if (QCPLayout *holder = plot->legend->layout()) {
        holder->take(plot->legend);
    }
    plot->legend->setVisible(false);
    plot->plotLayout()->simplify();
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setRange(0.0, 1.0);
        axis->setTickLabels(false);
    }
    auto *text = new QCPItemText(plot);
    text->position->setType(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(0.5, 0.5);
    text->setPositionAlignment(Qt::AlignCenter);
    text->setTextAlignment(Qt::AlignCenter);
    text->setText(note);
    text->setFont(QFont(plot->font().family(), kLabelPt + 1));
    text->setColor(QColor(110, 110, 110));
    text->setClipToAxisRect(true);
    return false;
}

void finishLegend(QCustomPlot *plot, int columns)
{
    QCPLegend *legend = plot->legend;
    const int entries = legend->itemCount();
    // The most columns (up to `columns`) whose widest entries fit the plot's width side by side:
    // a name is never cut, and short names still share a row.
    const QFontMetrics metrics(legend->font());
    const int available = plot->width() - legend->margins().left() - legend->margins().right();
    int fit = std::max(1, std::min(columns, entries));
    for (; fit > 1; --fit) {
        std::vector<int> widths(std::size_t(fit), 0);
        for (int i = 0; i < entries; ++i) {
            auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i));
            const QString name = item ? item->plottable()->name() : QString();
            const int w = legend->iconSize().width() + legend->iconTextPadding()
                + metrics.horizontalAdvance(name) + 8;
            int &col = widths[std::size_t(i % fit)];
            col = std::max(col, w);
        }
        int total = legend->columnSpacing() * (fit - 1);
        for (int w : widths) {
            total += w;
        }
        if (total <= available) {
            break;
        }
    }
    legend->setWrap(fit);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    legend->setVisible(entries > 0);
    if (entries == 0 && legend->layout()) {
        legend->layout()->take(legend);
        plot->plotLayout()->simplify();
    }
}

QColor policyColor(int index)
{
    // Okabe–Ito: distinguishable with the common colour-vision deficiencies and in grey print.
    static const std::array<QColor, 8> colors{QColor(0, 114, 178), QColor(213, 94, 0),
        QColor(0, 158, 115), QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
        QColor(120, 120, 120), QColor(240, 228, 66)};
    return colors[std::size_t(index) % colors.size()];
}

QString metricLabel(const QString &metric)
{
    const ExperimentMetric *m = findExperimentMetric(metric);
    return withUnit(metric, m ? QString::fromUtf8(m->unit) : QString());
}

QString axisLabel(const QStringList &axis)
{
    QStringList parts;
    for (const QString &path : axis) {
        const FieldInfo *field = findFieldByPath(path);
        parts << withUnit(path, field ? field->unit : QString());
    }
    return parts.join(QStringLiteral(" / "));
}

bool allNumeric(const QStringList &values)
{
    for (const QString &v : values) {
        bool ok = false;
        v.toDouble(&ok);
        if (!ok) {
            return false;
        }
    }
    return !values.isEmpty();
}

} // namespace collapipe::figures
