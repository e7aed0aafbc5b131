// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

namespace collapipe {

/// The canvas's scale bar, in a strip of its own below the canvas's viewport (TopologyView
/// reserves it with viewport margins): nothing of the topology is ever drawn under it, at any
/// zoom or scroll, so it never covers a label and no label pass has to avoid it (before, drawn
/// over the bottom-left corner of the canvas, it covered cluster names scrolled there).
class ScaleBarStrip : public QWidget
{
public:
    explicit ScaleBarStrip(QWidget *parent = nullptr);

    /// The strip's height in pixels.
    static int stripHeight();
    void setPixelsPerMetre(double pixelsPerMetre);
    /// The bar's length, metres: a "nice" length about 120 px long at the current zoom.
    double barMetres() const;
    /// The bar and its text, in the strip's own pixels.
    QRectF barRect() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString text() const;

    double m_pixelsPerMetre = 1.0;
};

} // namespace collapipe
