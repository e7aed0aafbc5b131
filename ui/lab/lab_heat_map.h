// SPDX-License-Identifier: MIT
#pragma once

#include "ui/lab/lab_trace.h"

#include <QWidget>

namespace collapipe {

/// A pooled |value| image of one op's tensor (LabOpTensor::preview): rows down, columns across,
/// each axis named with its length ("token (128)", "feature (32)"), and a colour scale from 0 to
/// the largest pooled value beside it. Draws "no tensor" text when empty.
class LabHeatMap : public QWidget
{
    Q_OBJECT

public:
    explicit LabHeatMap(QWidget *parent = nullptr);

    void setTensor(const LabOpTensor &tensor);
    void clear();
    bool hasTensor() const { return m_has; }
    /// The largest pooled |value|: the top of the colour scale.
    double scaleMax() const { return m_max; }
    /// The colour of pooled value `v` on a scale topped at `max`.
    static QColor colorFor(double v, double max);

    QSize sizeHint() const override { return {260, 220}; }
    QSize minimumSizeHint() const override { return {180, 150}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    LabOpTensor m_tensor;
    bool m_has = false;
    double m_max = 0.0;
};

} // namespace collapipe
