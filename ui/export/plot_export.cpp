// SPDX-License-Identifier: MIT
#include "ui/export/plot_export.h"

#include "core/store/csv_field.h"

#include <QAbstractItemModel>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSpinBox>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace collapipe {

namespace {

// QCustomPlot has no SVG writer of its own; QSvgGenerator is a paint device it can draw on.
bool saveSvg(QCustomPlot *plot, const QString &path, const QSize &size)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(plot->windowTitle());
    QCPPainter painter;
    if (!painter.begin(&generator)) {
        return false;
    }
    plot->toPainter(&painter, size.width(), size.height());
    return painter.end();
}

} // namespace

namespace plot_export_detail {

/// Hides the plots' UI-state items (kExportOmittedProperty) while it lives, then shows again
/// those that were visible.
class OmitUiState
{
public:
    explicit OmitUiState(const QList<QCustomPlot *> &plots)
    {
        for (QCustomPlot *plot : plots) {
            for (int i = 0; i < plot->itemCount(); ++i) {
                QCPAbstractItem *item = plot->item(i);
                if (item->visible() && item->property(kExportOmittedProperty).toBool()) {
                    item->setVisible(false);
                    m_hidden.push_back(item);
                }
            }
        }
    }
    ~OmitUiState()
    {
        for (QCPAbstractItem *item : m_hidden) {
            item->setVisible(true);
        }
    }
    OmitUiState(const OmitUiState &) = delete;
    OmitUiState &operator=(const OmitUiState &) = delete;

private:
    QList<QCPAbstractItem *> m_hidden;
};

} // namespace plot_export_detail

QStringList plotExportFormats()
{
    return {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")};
}

QSize PlotExportSize::logicalSize() const
{
    return {qRound(widthIn * 96.0), qRound(heightIn * 96.0)};
}

QSize PlotExportSize::pixelSize() const
{
    return {qRound(widthIn * dpi), qRound(heightIn * dpi)};
}

bool exportPlot(QCustomPlot *plot, const QString &path, QString *error, const PlotExportSize &size)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize logical = size.logicalSize();
    bool ok = false;
    if (!(size.widthIn > 0.0 && size.heightIn > 0.0 && size.dpi > 0)) {
        if (error) {
            *error
                = QObject::tr("%1: the export size must be positive (got %2 in × %3 in at %4 dpi)")
                      .arg(path)
                      .arg(size.widthIn)
                      .arg(size.heightIn)
                      .arg(size.dpi);
        }
        return false;
    }
    const plot_export_detail::OmitUiState omit({plot});
    if (suffix == QLatin1String("png")) {
        ok = plot->savePng(path, logical.width(), logical.height(), size.dpi / 96.0, -1, size.dpi,
            QCP::ruDotsPerInch);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot->savePdf(path, logical.width(), logical.height());
    } else if (suffix == QLatin1String("svg")) {
        ok = saveSvg(plot, path, logical);
    } else {
        if (error) {
            *error = QObject::tr("%1: unsupported plot format \"%2\" (supported: %3)")
                         .arg(path, suffix, plotExportFormats().join(QStringLiteral(", ")));
        }
        return false;
    }
    if (!ok && error) {
        *error = QObject::tr("%1: could not write the %2 file").arg(path, suffix);
    }
    // The save laid the plot out at the export size; put the screen layout back.
    plot->replot(QCustomPlot::rpQueuedReplot);
    return ok;
}

bool exportPlotsSideBySide(const QList<QCustomPlot *> &plots, const QString &path, QString *error,
    const PlotExportSize &size)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize logical = size.logicalSize();
    const auto fail = [&](const QString &message) {
        if (error) {
            *error = message;
        }
        return false;
    };
    if (plots.isEmpty() || !(size.widthIn > 0.0 && size.heightIn > 0.0 && size.dpi > 0)) {
        return fail(QObject::tr("%1: nothing to export or a size that is not positive").arg(path));
    }
    // Every plot is drawn by toPainter() into its slot of one painter, in logical pixels.
    const int slot = logical.width() / int(plots.size());
    const auto drawAll = [&](QCPPainter *painter) {
        for (int i = 0; i < plots.size(); ++i) {
            painter->save();
            painter->translate(i * slot, 0);
            plots[i]->toPainter(painter, slot, logical.height());
            painter->restore();
        }
    };
    const plot_export_detail::OmitUiState omit(plots);
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        QImage image(size.pixelSize(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        const int dotsPerMeter = qRound(size.dpi / 0.0254);
        image.setDotsPerMeterX(dotsPerMeter);
        image.setDotsPerMeterY(dotsPerMeter);
        QCPPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size.dpi / 96.0, size.dpi / 96.0);
        drawAll(&painter);
        painter.end();
        ok = image.save(path, "PNG");
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QSizeF(size.widthIn, size.heightIn), QPageSize::Inch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(96);
        QCPPainter painter;
        ok = painter.begin(&writer);
        if (ok) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            drawAll(&painter);
            ok = painter.end();
        }
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(logical);
        generator.setViewBox(QRect(QPoint(0, 0), logical));
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            drawAll(&painter);
            ok = painter.end();
        }
    } else {
        return fail(QObject::tr("%1: unsupported plot format \"%2\" (supported: %3)")
                        .arg(path, suffix, plotExportFormats().join(QStringLiteral(", "))));
    }
    for (QCustomPlot *plot : plots) {
        plot->replot(QCustomPlot::rpQueuedReplot); // toPainter laid it out at the export size
    }
    return ok || fail(QObject::tr("%1: could not write the %2 file").arg(path, suffix));
}

QRect legendRectAt(QCustomPlot *plot, const QSize &logicalSize, bool *whole)
{
    if (whole) {
        *whole = false;
    }
    if (!plot->legend || !plot->legend->visible()) {
        return {};
    }
    // The same three passes QCustomPlot's own layout runs before drawing.
    const auto layOut = [plot](const QRect &rect) {
        plot->plotLayout()->setOuterRect(rect);
        plot->plotLayout()->update(QCPLayoutElement::upPreparation);
        plot->plotLayout()->update(QCPLayoutElement::upMargins);
        plot->plotLayout()->update(QCPLayoutElement::upLayout);
    };
    const QRect screen = plot->viewport();
    const QRect page(QPoint(0, 0), logicalSize);
    layOut(page);
    const QRect legend = plot->legend->outerRect();
    const QSize needed = plot->legend->minimumOuterSizeHint();
    layOut(screen);
    if (whole) {
        *whole = page.contains(legend) && legend.height() >= needed.height()
            && legend.width() >= needed.width();
    }
    return legend;
}

QString defaultPlotFileName(const QCustomPlot *plot, const QString &suffix)
{
    // The plot's short name when it has one ("energy-queues"), else its title.
    QString title = plot->objectName();
    for (int i = 0; i < plot->plotLayout()->elementCount() && title.isEmpty(); ++i) {
        if (const auto *text = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i))) {
            title = text->text();
        }
    }
    QString slug;
    for (const QChar c : title.toLower()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c.isDigit()) {
            slug += c;
        } else if (!slug.isEmpty() && !slug.endsWith(QLatin1Char('-'))) {
            slug += QLatin1Char('-');
        }
    }
    while (slug.endsWith(QLatin1Char('-'))) {
        slug.chop(1);
    }
    return (slug.isEmpty() ? QStringLiteral("plot") : slug) + QLatin1Char('.') + suffix;
}

bool exportModelCsv(const QAbstractItemModel &model, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error) {
            *error = QObject::tr("%1: %2").arg(path, file.errorString());
        }
        return false;
    }
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c) {
        cells << csvField(model.headerData(c, Qt::Horizontal).toString());
    }
    QByteArray out = cells.join(QLatin1Char(',')).toUtf8() + '\n';
    for (int r = 0; r < model.rowCount(); ++r) {
        cells.clear();
        for (int c = 0; c < model.columnCount(); ++c) {
            const QModelIndex index = model.index(r, c);
            const QVariant raw = model.data(index, Qt::UserRole);
            const bool numeric = raw.typeId() == QMetaType::Double || raw.typeId() == QMetaType::Int
                || raw.typeId() == QMetaType::LongLong;
            cells << csvField(
                numeric ? QString::number(raw.toDouble(), 'g', 17) : model.data(index).toString());
        }
        out += cells.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    if (file.write(out) != out.size() || !file.commit()) {
        if (error) {
            *error = QObject::tr("%1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

void exportPlotInteractively(QCustomPlot *plot, QWidget *parent)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Export plot"));
    auto *form = new QFormLayout(&dialog);
    auto *width = new QDoubleSpinBox;
    auto *height = new QDoubleSpinBox;
    for (QDoubleSpinBox *box : {width, height}) {
        box->setRange(1.0, 40.0);
        box->setDecimals(2);
        box->setSingleStep(0.25);
        box->setSuffix(QStringLiteral(" in"));
    }
    auto *dpi = new QSpinBox;
    dpi->setRange(72, 1200);
    dpi->setSuffix(QStringLiteral(" dpi"));
    static PlotExportSize last; // the session remembers the size last used
    width->setValue(last.widthIn);
    height->setValue(last.heightIn);
    dpi->setValue(last.dpi);
    auto *pixels = new QLabel;
    const auto showPixels = [&] {
        const PlotExportSize s{width->value(), height->value(), dpi->value()};
        pixels->setText(
            QObject::tr("%1 × %2 px").arg(s.pixelSize().width()).arg(s.pixelSize().height()));
    };
    for (QDoubleSpinBox *box : {width, height}) {
        QObject::connect(box, &QDoubleSpinBox::valueChanged, &dialog, showPixels);
    }
    QObject::connect(dpi, &QSpinBox::valueChanged, &dialog, showPixels);
    showPixels();
    form->addRow(QObject::tr("Width"), width);
    form->addRow(QObject::tr("Height"), height);
    form->addRow(QObject::tr("Resolution"), dpi);
    form->addRow(QString(), pixels);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    last = {width->value(), height->value(), dpi->value()};
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export plot"),
        defaultPlotFileName(plot),
        QObject::tr("PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!exportPlot(plot, path, &error, last)) {
        QMessageBox::warning(parent, QObject::tr("Export plot"), error);
    }
}

void exportModelInteractively(const QAbstractItemModel &model, QWidget *parent)
{
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export table"),
        QStringLiteral("table.csv"), QObject::tr("CSV (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!exportModelCsv(model, path, &error)) {
        QMessageBox::warning(parent, QObject::tr("Export table"), error);
    }
}

void installPlotExportMenu(QCustomPlot *plot, const std::function<void(QMenu *)> &moreActions)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        plot, &QWidget::customContextMenuRequested, plot, [plot, moreActions](const QPoint &pos) {
            QMenu menu(plot);
            menu.addAction(
                QObject::tr("Export plot…"), plot, [plot] { exportPlotInteractively(plot, plot); });
            if (moreActions) {
                menu.addSeparator();
                moreActions(&menu);
            }
            menu.exec(plot->mapToGlobal(pos));
        });
}

} // namespace collapipe
