// SPDX-License-Identifier: MIT
#include "ui/export/plot_export.h"

#include "core/store/csv_field.h"

#include <QAbstractItemModel>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace collapipe {

namespace {

// QCustomPlot has no SVG writer of its own; QSvgGenerator is a paint device it can draw on.
bool saveSvg(QCustomPlot *plot, const QString &path, int width, int height)
{
    const QSize size(width > 0 ? width : plot->width(), height > 0 ? height : plot->height());
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

QStringList plotExportFormats()
{
    return {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")};
}

bool exportPlot(QCustomPlot *plot, const QString &path, QString *error, int width, int height)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = plot->savePng(path, width, height);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot->savePdf(path, width, height);
    } else if (suffix == QLatin1String("svg")) {
        ok = saveSvg(plot, path, width, height);
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
    return ok;
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
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export plot"),
        QStringLiteral("plot.png"),
        QObject::tr("PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!exportPlot(plot, path, &error)) {
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

void installPlotExportMenu(QCustomPlot *plot)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint &pos) {
        QMenu menu(plot);
        menu.addAction(
            QObject::tr("Export plot…"), plot, [plot] { exportPlotInteractively(plot, plot); });
        menu.exec(plot->mapToGlobal(pos));
    });
}

} // namespace collapipe
