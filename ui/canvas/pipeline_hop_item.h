// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsItem>

#include <functional>

namespace collapipe {

/// One hop of a cluster's pipeline in the shown round (spec §1.3 step 4, §2.3): activations flow
/// control unit → stage 1 → … → stage S over D2D, then the last stage's D2E hop to the edge
/// server. Drawn as an arrow in the direction of the data flow, its width growing with the link's
/// rate (log scale). Ends are in metres, the stroke and arrowhead in pixels. A view only: it
/// accepts no mouse buttons; its tooltip gives the link's numbers.
class PipelineHopItem : public QGraphicsItem
{
public:
    enum class Kind {
        D2D,
        D2E
    };
    explicit PipelineHopItem(QGraphicsItem *parent = nullptr);
    ~PipelineHopItem() override;
    /// Run once by the destructor, whoever deletes the item (its parent, the scene's
    /// clear()): RunOverlay forgets it there instead of deleting its items one by one.
    void setOnDestroyed(std::function<void()> callback) { m_onDestroyed = std::move(callback); }

    void setEnds(const QPointF &from, const QPointF &to);
    void setMetresPerPixel(double metresPerPixel);
    /// rateBps ≤ 0 or NaN means unknown (the control unit's hop): drawn at the base width.
    void setActivity(Kind kind, double rateBps);

    Kind kind() const { return m_kind; }
    double rateBps() const { return m_rateBps; }
    QLineF line() const { return m_line; }
    /// Stroke width in pixels that the rate maps to: 1.5 px at ≤ 1 Mbit/s .. 6 px at ≥ 1 Gbit/s.
    static double widthForRate(double rateBps);

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    std::function<void()> m_onDestroyed;
    QLineF m_line;
    double m_metresPerPixel = 1.0;
    Kind m_kind = Kind::D2D;
    double m_rateBps = 0.0;
};

} // namespace collapipe
