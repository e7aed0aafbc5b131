// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QGraphicsView>

namespace collapipe {

class ScaleBarStrip;
class TopologyScene;

/// The canvas view: wheel zoom under the cursor, middle-button pan, fit to the topology, a metre
/// grid behind, both sized to the current zoom, and a scale bar in a strip of its own below the
/// viewport (ScaleBarStrip: nothing of the topology is ever under it).
class TopologyView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    /// Zoom range, pixels per metre: 50 km across a 1000 px view to 2 cm per pixel.
    static constexpr double kMinZoom = 0.02;
    static constexpr double kMaxZoom = 50.0;
    /// Screen pixels per metre.
    double zoom() const;
    void setShowGrid(bool show);

    void zoomIn();
    void zoomOut();
    /// Fits the whole topology as drawn (icons, every label shown, hulls, run chips) inside the
    /// view with a small margin: the zoom is corrected after the label pass ran at it, since
    /// labels keep their pixel size and may change sides. While the scene builds a new scenario
    /// in steps, the fit waits for its items (TopologyScene::topologyBuilt) and frames the nodes
    /// with a guessed margin for their labels.
    void fitTopology();
    /// True from a fit until the user zooms or scrolls: a resized view fits again (the window's
    /// first fit ran before its final layout).
    bool isFitted() const;
    /// Selects the item a ref names and scrolls it into view (Settings refs are ignored).
    void focusRef(const ItemRef &ref);
    /// Follows the scene's tool: rubber band for Select, cursor per tool.
    void syncToolMode();

    /// The run overlay's key: shown or hidden (View > Run legend, remembered), and in which
    /// corner of the canvas, so it can be moved off the clusters it would cover.
    void setLegendVisible(bool visible);
    bool isLegendVisible() const;
    void setLegendCorner(Qt::Corner corner);
    /// The default: the corner where the legend covers the least of the topology on screen.
    void setLegendCornerAutomatic();
    /// The corner used now (the automatic choice resolved).
    Qt::Corner legendCorner() const;
    /// True when the legend is shown as its title row alone ("Round n · key"): automatic
    /// placement, and every corner would cover a device or server icon or label with the whole
    /// key. Hovering it shows the whole key.
    bool isLegendCompact() const;
    /// View > Run legend: "Show", "Out of the way (automatic)" and the four corners.
    QList<QAction *> legendActions() const { return m_legendActions; }
    /// Where the legend is drawn now (viewport pixels); null when hidden or no round is shown.
    QRectF legendRect() const;
    /// Where the scale bar is drawn, in viewport pixels: below the viewport's bottom edge, in the
    /// view's scale-bar strip (its top at viewport()->height() or lower).
    QRectF scaleBarRect() const;

Q_SIGNALS:
    void zoomChanged(double pixelsPerMetre);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    /// Runs the scene's label pass deferred while the window was hidden (a big file opened).
    void showEvent(QShowEvent *event) override;
    /// A deferred label pass runs before the first paint at the latest: until it has run, the
    /// level of detail is not applied and every device would be drawn.
    void paintEvent(QPaintEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    /// Keeps the scale bar's strip under the viewport.
    void resizeEvent(QResizeEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void scaleBy(double factor);
    struct LegendPlace
    {
        Qt::Corner corner = Qt::TopLeftCorner;
        bool compact = false;
    };
    /// One pass over the top-level items (and the run chips): the corner and size that cover
    /// the least.
    LegendPlace legendPlace() const;
    /// A run chip shown by `item` (a device's segment chip, an edge server's tail chip) in
    /// viewport pixels; null for any other item or a hidden chip.
    static QRectF runChipRect(const QGraphicsItem *item, const QTransform &viewportTransform);
    QRectF legendRectAt(Qt::Corner corner, bool compact = false) const;
    /// Schedules a repaint of the legend where the last frame drew it and where it goes now.
    void updateLegendArea();
    void zoomUpdated();
    /// True when a fit measures what is drawn (a topology of fewer than 2,000 nodes); a bigger
    /// one is framed by a guessed margin for its labels.
    bool measuresFit() const;

    TopologyScene *m_scene;
    ScaleBarStrip *m_scaleBar;
    Qt::Corner m_legendCorner = Qt::TopLeftCorner;
    bool m_legendAuto = true;
    bool m_legendHover = false; // the pointer is over a compact legend: show the whole key
    QRectF m_legendDrawn;       // where the last frame drew it (viewport pixels)
    QList<QAction *> m_legendActions;
    QAction *m_legendShown = nullptr;
    bool m_panning = false;
    bool m_showGrid = true;
    bool m_fitWhenBuilt = false; ///< a fit asked for while the scene was being built
    bool m_fitted = false;       ///< fitted, and not zoomed or scrolled by the user since
    bool m_refitQueued = false;
    QSize m_fittedSize; ///< the viewport's size at the last fit
    QPoint m_panStart;
};

/// A "nice" length (1, 2 or 5 × 10^n) close to target; used for grid steps and the scale bar.
double niceLength(double target);

} // namespace collapipe
