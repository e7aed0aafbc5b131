// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>

class QAbstractItemModel;
class QCustomPlot;
class QMenu;
class QWidget;

/// Saving what the Studio shows: plots as images, tables as CSV (issue [6/6] "Export").
namespace collapipe {

/// A plot item (QCPAbstractItem) whose dynamic property of this name is true shows UI state, not
/// data (the selected-round cursor): exports leave it out, the screen keeps it.
inline constexpr char kExportOmittedProperty[] = "collapipeExportOmitted";

/// Image formats a plot can be saved in, lower-case suffixes: png, pdf, svg.
QStringList plotExportFormats();

/// The printed size of an exported plot (issue [1/7] #10). The default suits a one-column
/// figure of a paper: 7 in × 4.5 in at 300 dpi (2100 × 1350 px). The plot is laid out at
/// 96 px per inch (fonts and lines as on screen, relative to the page) and rendered at `dpi`.
struct PlotExportSize
{
    double widthIn = 7.0;
    double heightIn = 4.5;
    int dpi = 300;

    /// The layout size, 96 logical px per inch.
    QSize logicalSize() const;
    /// The raster size in pixels: inches × dpi.
    QSize pixelSize() const;
};

/// Saves `plot` to `path` at `size`, the format taken from the suffix (png with the dpi stored,
/// pdf, svg), without the items marked kExportOmittedProperty. Returns false with a message
/// naming the file on failure. The on-screen plot is unchanged.
bool exportPlot(
    QCustomPlot *plot, const QString &path, QString *error, const PlotExportSize &size = {});

/// Saves `plots` side by side in one file at `size` (the whole picture; each plot gets an equal
/// share of the width), the format taken from the suffix as in exportPlot(): PNG raster at the
/// dpi, PDF and SVG as vectors. For views that compare plots (the Pipeline Lab). False with a
/// message naming the file on failure; the on-screen plots are unchanged.
bool exportPlotsSideBySide(const QList<QCustomPlot *> &plots, const QString &path, QString *error,
    const PlotExportSize &size);

/// Where the legend lands when `plot` is laid out at `logicalSize`, and whether it is whole
/// (inside the plot and given at least the height its entries need). An empty rect when the
/// legend is hidden. Leaves the on-screen layout as it was.
QRect legendRectAt(QCustomPlot *plot, const QSize &logicalSize, bool *whole = nullptr);

/// "energy-queues.png" for the energy queue plot: its objectName, else its title, in lower case,
/// words joined by '-', only [a-z0-9-]; "plot" when it has neither.
QString defaultPlotFileName(const QCustomPlot *plot, const QString &suffix = QStringLiteral("png"));

/// Writes the model's display text as CSV (RFC 4180 quoting, header row from headerData), via
/// QSaveFile. Cells that carry a raw number in Qt::UserRole are written as that number so the
/// file holds SI values, not unit strings.
bool exportModelCsv(const QAbstractItemModel &model, const QString &path, QString *error);

/// Asks for the size (inches and dpi, publication default) and a file name (after the plot's
/// title) and saves the plot; errors go to a message box. For context menus.
void exportPlotInteractively(QCustomPlot *plot, QWidget *parent);
/// Same for a table model.
void exportModelInteractively(const QAbstractItemModel &model, QWidget *parent);

/// Adds "Export…" to the plot's right-click menu; `moreActions` (if set) adds the panel's own
/// entries below it each time the menu opens.
void installPlotExportMenu(
    QCustomPlot *plot, const std::function<void(QMenu *)> &moreActions = nullptr);

} // namespace collapipe
