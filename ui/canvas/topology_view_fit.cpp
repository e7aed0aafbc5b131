// SPDX-License-Identifier: MIT
// TopologyView's fit: framing the topology as drawn, and staying fitted while the view resizes.
#include "ui/canvas/canvas_extents.h"
#include "ui/canvas/scale_bar_strip.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"

#include <QTimer>

#include <algorithm>

namespace collapipe {

namespace topology_view_fit {

// Fit: what is drawn (icons, labels, hulls) keeps this far from the viewport's edges. The scale
// bar has a strip of its own below the viewport (ScaleBarStrip), so no room is kept for it.
constexpr double kFitMarginPx = 12.0;
// The first guess of what icons and labels add around the outermost nodes (pixels); the fit
// then measures what is drawn and corrects it.
constexpr double kFitGuessSidePx = 60.0;
constexpr double kFitGuessTopPx = 48.0;
constexpr double kFitGuessBottomPx = 40.0;
// Zoom, measure, correct: at most this many label passes per fit (two in the bundled
// scenarios; each is one label pass).
constexpr int kFitPasses = 5;
// A topology of more nodes is framed by the guess alone: its label pass is long (~0.7 s at
// 100,000 devices) and the window must not wait for several (issue [7/7]).
constexpr int kFitMeasureNodes = TopologyScene::kChunkedBuildNodes;

} // namespace topology_view_fit

void TopologyView::fitTopology()
{
    m_fitWhenBuilt = m_scene->isMakingItems();
    if (m_fitWhenBuilt) {
        return; // the items are not all made: fitting now would frame part of the topology
    }
    m_fitted = true;
    m_fittedSize = viewport()->size();
    QRectF rect = m_scene->topologyRect();
    if (rect.isNull()) {
        rect = QRectF(-100, -100, 200, 200);
    }
    // Icons and labels keep their size in pixels while positions scale with the zoom, and the
    // label pass picks each label's side at the zoom it runs at: so the fit zooms, lets the
    // pass run, measures what is drawn around the nodes and corrects, until everything drawn
    // (every label whole: "Bus depot" was cut at the top at 1600 × 1000) lies inside the view.
    const QRectF area
        = QRectF(viewport()->rect())
              .adjusted(topology_view_fit::kFitMarginPx, topology_view_fit::kFitMarginPx,
                  -topology_view_fit::kFitMarginPx, -topology_view_fit::kFitMarginPx);
    const auto zoomFor = [&](const QMarginsF &around) {
        const double width = std::max(area.width() - around.left() - around.right(), 40.0);
        const double height = std::max(area.height() - around.top() - around.bottom(), 40.0);
        return std::clamp(
            std::min(width / std::max(rect.width(), 1.0), height / std::max(rect.height(), 1.0)),
            kMinZoom, kMaxZoom);
    };
    const auto apply = [&](double z) {
        setTransform(QTransform::fromScale(z, z));
        centerOn(rect.center());
        zoomUpdated();
    };
    double z
        = zoomFor(QMarginsF(topology_view_fit::kFitGuessSidePx, topology_view_fit::kFitGuessTopPx,
            topology_view_fit::kFitGuessSidePx, topology_view_fit::kFitGuessBottomPx));
    apply(z);
    // A scene still laying its labels out (built in steps) or a big one is framed by the guess.
    if (m_scene->isBuilding() || m_scene->areLabelsDeferred() || !measuresFit()) {
        return;
    }
    double fitting = 0.0; // the largest zoom measured to fit
    for (int pass = 0; pass < topology_view_fit::kFitPasses; ++pass) {
        const QRectF drawn = drawnCanvasExtent(m_scene, viewportTransform());
        if (drawn.isNull()) {
            break;
        }
        const QRectF nodes = viewportTransform().mapRect(rect);
        const QMarginsF around(std::max(nodes.left() - drawn.left(), 0.0),
            std::max(nodes.top() - drawn.top(), 0.0), std::max(drawn.right() - nodes.right(), 0.0),
            std::max(drawn.bottom() - nodes.bottom(), 0.0));
        const bool fits = drawn.width() <= area.width() && drawn.height() <= area.height();
        const double next = zoomFor(around);
        if (fits) {
            fitting = std::max(fitting, z);
            if (next < z * 1.02) {
                break; // no room to grow by much: done
            }
        }
        // Too big: shrink by at least 3 % (labels may change sides on the way).
        const double tried = fits ? next : std::min(next, z * 0.97);
        if (tried <= fitting || tried == z) {
            break;
        }
        z = tried;
        apply(z);
    }
    if (fitting > 0.0 && fitting != z) {
        z = fitting;
        apply(z);
    }
    // Centre what is drawn (not the nodes alone) in the view.
    const QRectF drawn = drawnCanvasExtent(m_scene, viewportTransform());
    if (!drawn.isNull()) {
        const QPointF shift = (drawn.center() - area.center()) / z;
        centerOn(mapToScene(viewport()->rect().center()) + shift);
        viewport()->update();
    }
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    // Also called when the viewport alone resizes (a scroll bar shows or hides).
    QGraphicsView::resizeEvent(event);
    const QRect port = viewport()->geometry();
    m_scaleBar->setGeometry(
        port.left(), port.bottom() + 1, port.width(), ScaleBarStrip::stripHeight());
    // A view the user has not zoomed or scrolled since its fit stays fitted: the Studio's first
    // fit ran before the window had its final layout (docks restored, scroll bars shown), and a
    // fit kept at its old zoom in a smaller view cut the topology's edges ("Bus depot" at the
    // top at 1600 × 1000). Once per event-loop turn, however many resizes it brings.
    if (m_fitted && !m_refitQueued && viewport()->size() != m_fittedSize) {
        m_refitQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_refitQueued = false;
            if (m_fitted && viewport()->size() != m_fittedSize) {
                fitTopology();
            }
        });
    }
}

bool TopologyView::isFitted() const
{
    return m_fitted;
}

bool TopologyView::measuresFit() const
{
    return m_scene->itemCount(ItemKind::Device) + m_scene->itemCount(ItemKind::ControlUnit)
        + m_scene->itemCount(ItemKind::EdgeServer)
        < topology_view_fit::kFitMeasureNodes;
}

} // namespace collapipe
