// SPDX-License-Identifier: MIT
#pragma once

#include "ui/lab/lab_schedule_source.h"
#include "ui/lab/lab_trace.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;

namespace collapipe {

class LabHeatMap;

/// The Lab's look inside the stepped op (issue [4/7] "The Lab"): for the schedule picked in its
/// box, the op of the current step as the real trainer ran it — what the tensor is, its shape
/// with axis names, its Frobenius norm and largest |value|, and a pooled |value| heat map with a
/// colour scale (LabHeatMap). Without a tensor it says why in words ("press Next", "running the
/// trainer…", "not executed by the trainer yet: …"), never an empty panel. Only shows: LabView
/// decides what (from LabTraceLoader's cache).
class LabTensorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit LabTensorPanel(QWidget *parent = nullptr);

    /// The schedules to pick from (the charts' names, in order); keeps the pick when it stays.
    void setSchedules(const QStringList &names);
    QComboBox *scheduleBox() const { return m_which; }
    int currentSchedule() const;

    /// Shows `tensor` of op `op` of schedule `schedule`.
    void showTensor(
        const QString &schedule, const LabEvent &op, int chunks, const LabOpTensor &tensor);
    /// Shows a sentence instead of a tensor (header: which op, may be empty).
    void showMessage(const QString &header, const QString &message);

    /// What is shown now (tests): the tensor, if one is.
    const std::optional<LabOpTensor> &shownTensor() const { return m_shown; }
    QString headerText() const;
    QString detailText() const;
    LabHeatMap *heatMap() const { return m_map; }

Q_SIGNALS:
    /// The user picked another schedule in the box.
    void scheduleChanged(int index);

private:
    QComboBox *m_which;
    QLabel *m_header;
    QLabel *m_detail;
    LabHeatMap *m_map;
    std::optional<LabOpTensor> m_shown;
};

} // namespace collapipe
