// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsItem>
#include <QString>

#include <functional>
#include <limits>

namespace collapipe {

/// What the canvas shows of one device in one round (issue [6/6] "Run it live"); derived from a
/// DeviceRound by RunOverlay. Fractions are plain ratios (1.0 = 100 %), NaN when unknown.
struct DeviceRunState
{
    bool idle = true;    ///< given no blocks this round
    bool away = false;   ///< not present at the round's start (churn, issue [6/7]); idle too
    int firstBlock = -1; ///< 0-based, as in RoundRecord / the decision table
    int lastBlock = -1;
    double loadFraction = 0.0;   ///< busy time / round latency
    double memoryFraction = 0.0; ///< predicted memory / capacity
    double measuredFraction = std::numeric_limits<double>::quiet_NaN(); ///< measured / capacity
    bool overCapacity = false; ///< predicted or measured memory above capacity
};

/// Run overlay of one device, a child of its DeviceItem (so it moves with it and inherits its
/// constant on-screen size): a segment chip above the icon ("blocks 0–3", "0–3" when crowded,
/// "idle", or "away" in red with a cross over the icon for a device that left), a load bar left of the icon and a memory bar right of it (red above capacity, a tick
/// at the measured value). A view only; it accepts no mouse buttons, so clicks and drags reach the
/// device item below, while its tooltip carries the round's details.
class DeviceRunBadge : public QGraphicsItem
{
public:
    explicit DeviceRunBadge(QGraphicsItem *deviceItem);
    ~DeviceRunBadge() override;
    /// Run once by the destructor, whoever deletes the item (its parent, the scene's
    /// clear()): RunOverlay forgets it there instead of deleting its items one by one.
    void setOnDestroyed(std::function<void()> callback) { m_onDestroyed = std::move(callback); }

    void setState(const DeviceRunState &state);
    const DeviceRunState &state() const { return m_state; }
    /// Compact chips drop the word "blocks" (set by the label layout pass when the full chip
    /// would cover another label).
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }
    /// The chip's text as drawn: "blocks 0–3", "0–3", "idle" or "away".
    QString segmentText() const;
    /// The chip is hidden where it would cover a label of higher priority (the canvas's label
    /// layout pass decides, see layoutCanvasLabels); the gauges stay.
    void setChipShown(bool shown);
    bool isChipShown() const { return m_chipShown; }
    /// The chip sits above the icon, or below it where above is taken (the layout pass decides).
    void setChipBelow(bool below);
    bool isChipBelow() const { return m_chipBelow; }
    /// The chip in pixels around the device's origin (its size follows the text).
    QRectF chipRect() const;
    /// Both gauges in pixels around the device's origin; null for an idle device (none drawn).
    QRectF gaugesRect() const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    std::function<void()> m_onDestroyed;
    DeviceRunState m_state;
    bool m_compact = false;
    bool m_chipShown = true;
    bool m_chipBelow = false;
    double m_chipWidths[2] = {0.0, 0.0}; ///< full and compact chip, pixels
};

} // namespace collapipe
