// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QHash>
#include <QVariantAnimation>
#include <qcustomplot.h>

#include <vector>

namespace collapipe {

/// The pipeline Gantt of one round (spec §2.3): one row per resource (control unit, each device
/// in stage order, each link between them, the edge server), grouped by cluster; forward,
/// backward, transfer, decoder, upload and aggregation bars in distinct colours on a light
/// lane, so idle gaps (bubbles) read as empty lane. The title gives each cluster's makespan and
/// bubble fraction. In animated mode (Watch) a new round is drawn as a sweep over ~0.6 s.
/// When a cluster's edge server ran an encoder tail (EdgeTail), its edge row is labelled with
/// the blocks ("edge · blocks 4–11 + head") and so is the tooltip of its bars.
class GanttPlot : public QCustomPlot
{
    Q_OBJECT

public:
    explicit GanttPlot(QWidget *parent = nullptr);

    void setAnimated(bool animated) { m_animated = animated; }
    bool isAnimated() const { return m_animated; }
    int round() const { return m_round; }
    /// Number of rows (resources) and bars drawn for the current round.
    int rowCount() const { return static_cast<int>(m_rowLabels.size()); }
    int barCount() const { return static_cast<int>(m_bars.size()); }
    QStringList rowLabels() const { return m_rowLabels; }
    QString summary() const { return m_summary; }
    /// "blocks c–L−1 + head" for a cluster whose edge ran an encoder tail this round, else empty.
    QString edgeTailText(int cluster) const { return m_edgeTails.value(cluster); }
    static QColor kindColor(EventKind kind);
    QSize sizeHint() const override { return {520, 420}; }
    static QString kindName(EventKind kind);

    /// The cluster ids of the run's scenario (clusterLabel): rows and summary name clusters by
    /// them. Redraws the shown round.
    void setClusterIds(const QStringList &ids);

public Q_SLOTS:
    void setRecord(const collapipe::RoundRecord &record);
    void clearRound();

protected:
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    struct Bar
    {
        QCPItemRect *rect = nullptr;
        TimelineEvent event;
        int row = 0;
    };
    void buildRows(const RoundRecord &record, std::vector<int> *rowOfEvent);
    void sweepTo(double t);

    std::vector<Bar> m_bars;
    std::vector<QCPItemRect *> m_lanes;
    QStringList m_rowLabels;
    QStringList m_clusterIds;
    RoundRecord m_record;            ///< the shown round (redrawn when the cluster ids change)
    QHash<int, QString> m_edgeTails; ///< cluster → "blocks c–L−1 + head"
    QString m_summary;
    QCPTextElement *m_title = nullptr;
    QVariantAnimation m_sweep;
    double m_end = 0.0;
    int m_round = -1;
    bool m_animated = false;
};

} // namespace collapipe
