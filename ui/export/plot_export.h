// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

class QAbstractItemModel;
class QCustomPlot;
class QWidget;

/// Saving what the Studio shows: plots as images, tables as CSV (issue [6/6] "Export").
namespace collapipe {

/// Image formats a plot can be saved in, lower-case suffixes: png, pdf, svg.
QStringList plotExportFormats();

/// Saves `plot` to `path`, the format taken from the suffix (png, pdf, svg). `width`/`height` 0 keep
/// the widget's size. Returns false with a message naming the file on failure.
bool exportPlot(
    QCustomPlot *plot, const QString &path, QString *error, int width = 0, int height = 0);

/// Writes the model's display text as CSV (RFC 4180 quoting, header row from headerData), via
/// QSaveFile. Cells that carry a raw number in Qt::UserRole are written as that number so the
/// file holds SI values, not unit strings.
bool exportModelCsv(const QAbstractItemModel &model, const QString &path, QString *error);

/// Asks for a file name and saves the plot; errors go to a message box. For context menus.
void exportPlotInteractively(QCustomPlot *plot, QWidget *parent);
/// Same for a table model.
void exportModelInteractively(const QAbstractItemModel &model, QWidget *parent);

/// Adds "Export…" to the plot's right-click menu.
void installPlotExportMenu(QCustomPlot *plot);

} // namespace collapipe
