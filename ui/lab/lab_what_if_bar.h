// SPDX-License-Identifier: MIT
#pragma once

#include "ui/lab/lab_schedule_source.h"

#include <QList>
#include <QWidget>

class QDoubleSpinBox;
class QGridLayout;
class QPushButton;

namespace collapipe {

/// "What if" in place (issue [4/7] "The Lab"): one factor per stage (compute speed) and per link
/// of the chain (rate, both directions), 1 × = as planned. Every change is announced at once so
/// the Lab re-times all its schedules (retimeLabPlan()); nothing here touches the scenario:
/// "Apply speeds" asks the owner to write the stages' speeds into the scenario (one undoable edit
/// per device), "Reset" sets every factor back to 1.
class LabWhatIfBar : public QWidget
{
    Q_OBJECT

public:
    explicit LabWhatIfBar(QWidget *parent = nullptr);

    /// One spin box per stage and per link of `plan`; the factors start at 1 unless the plan has
    /// the same stages and links as before (a replan of the same cluster keeps them).
    void setPlan(const LabPlan &plan);
    LabWhatIf whatIf() const;
    QList<QDoubleSpinBox *> stageBoxes() const { return m_stages; }
    QList<QDoubleSpinBox *> linkBoxes() const { return m_links; }
    QPushButton *resetButton() const { return m_reset; }
    QPushButton *applyButton() const { return m_apply; }

public Q_SLOTS:
    void reset();

Q_SIGNALS:
    /// A factor changed (also after reset()).
    void whatIfChanged(const collapipe::LabWhatIf &whatIf);
    /// "Apply speeds": stage j's device should compute stageSpeed[j] times as fast.
    void applyRequested(const collapipe::LabWhatIf &whatIf);

private:
    QDoubleSpinBox *makeBox(const QString &prefix, const QString &toolTip);
    void changed();

    QGridLayout *m_grid;
    QList<QDoubleSpinBox *> m_stages;
    QList<QDoubleSpinBox *> m_links;
    QStringList m_names; ///< stage and link names of the plan the boxes are for
    QPushButton *m_reset;
    QPushButton *m_apply;
    bool m_silent = false;
};

} // namespace collapipe
