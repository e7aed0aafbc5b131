// SPDX-License-Identifier: MIT
#pragma once

#include "ui/experiments/experiment_draft.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QTableWidget;

namespace collapipe {

/// The experiment editor of the Experiments view: name, axes (a field of the scenario's field
/// table and its values or range), policies, seeds, rounds, training on/off. Fields come from
/// scenarioFieldPaths(), so the choices are the paths `--set` and experiment files accept.
class ExperimentForm : public QWidget
{
    Q_OBJECT

public:
    explicit ExperimentForm(QWidget *parent = nullptr);

    ExperimentDraft draft() const;
    void setDraft(const ExperimentDraft &draft);
    /// The base scenario (inline object or file path) and how the form names it.
    void setBaseScenario(const QJsonValue &scenario, const QString &description);

    void addAxis(const QString &path = {}, const QString &values = {});
    QTableWidget *axesTable() const { return m_axes; }
    QListWidget *policyList() const { return m_policies; }

private:
    QLineEdit *m_name;
    QTableWidget *m_axes;
    QListWidget *m_policies;
    QLineEdit *m_seeds;
    QSpinBox *m_rounds;
    QCheckBox *m_train;
    QLabel *m_base;
    QJsonValue m_scenario;
};

} // namespace collapipe
