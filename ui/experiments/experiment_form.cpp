// SPDX-License-Identifier: MIT
#include "ui/experiments/experiment_form.h"

#include "core/optimizer/policy.h"
#include "core/scenario/scenario_field_paths.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace collapipe {
namespace {

/// Paths a user can pick without an index: every field of the field table; indexed ones
/// (clusters[i]...) are offered with index 0 and can be edited in place.
QStringList pickablePaths()
{
    QStringList paths;
    for (const FieldPath &f : scenarioFieldPaths()) {
        if (f.info->kind == FieldKind::String) {
            continue; // names and ids are not something to sweep
        }
        QString path = f.pattern;
        path.replace(QStringLiteral("[i]"), QStringLiteral("[0]"));
        path.replace(QStringLiteral("[k]"), QStringLiteral("[0]"));
        paths << path;
    }
    return paths;
}

} // namespace

ExperimentForm::ExperimentForm(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLineEdit)
    , m_axes(new QTableWidget(0, 2))
    , m_policies(new QListWidget)
    , m_seeds(new QLineEdit)
    , m_rounds(new QSpinBox)
    , m_train(new QCheckBox(tr("Train (real Eigen model; off: cost model only, fast)")))
    , m_base(new QLabel)
{
    m_axes->setObjectName(QStringLiteral("experimentAxes"));
    m_axes->setHorizontalHeaderLabels({tr("Field"), tr("Values (a, b, … or from:to:step)")});
    m_axes->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_axes->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_axes->verticalHeader()->setVisible(false);
    m_axes->setMinimumHeight(110);
    auto *add = new QPushButton(tr("Add axis"));
    auto *remove = new QPushButton(tr("Remove axis"));
    connect(add, &QPushButton::clicked, this, [this] { addAxis(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_axes->currentRow() >= 0 ? m_axes->currentRow() : m_axes->rowCount() - 1;
        if (row >= 0) {
            m_axes->removeRow(row);
        }
    });
    auto *axisButtons = new QHBoxLayout;
    axisButtons->addWidget(add);
    axisButtons->addWidget(remove);
    axisButtons->addStretch();

    m_policies->setObjectName(QStringLiteral("experimentPolicies"));
    for (const QString &name : policyNames()) {
        auto *item = new QListWidgetItem(name, m_policies);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    m_policies->setMaximumHeight(110);
    m_seeds->setObjectName(QStringLiteral("experimentSeeds"));
    m_seeds->setToolTip(
        tr("Seeds (training.seed), comma separated: each point runs once per seed"));
    m_rounds->setRange(1, 100000);
    m_rounds->setObjectName(QStringLiteral("experimentRounds"));
    m_train->setObjectName(QStringLiteral("experimentTrain"));
    m_base->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Base"), m_base);
    form->addRow(tr("Seeds"), m_seeds);
    form->addRow(tr("Rounds"), m_rounds);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Axes (a grid: every combination)")));
    layout->addWidget(m_axes, 1);
    layout->addLayout(axisButtons);
    layout->addWidget(new QLabel(tr("Policies")));
    layout->addWidget(m_policies);
    layout->addWidget(m_train);
    setDraft(ExperimentDraft{});
}

void ExperimentForm::addAxis(const QString &path, const QString &values)
{
    const int row = m_axes->rowCount();
    m_axes->insertRow(row);
    auto *field = new QComboBox;
    field->setEditable(true); // an indexed path (devices[2]) is typed in place
    field->addItems(pickablePaths());
    field->setCurrentText(path.isEmpty() ? QStringLiteral("optimizer.v") : path);
    m_axes->setCellWidget(row, 0, field);
    m_axes->setItem(row, 1, new QTableWidgetItem(values));
}

ExperimentDraft ExperimentForm::draft() const
{
    ExperimentDraft d;
    d.name = m_name->text();
    d.scenario = m_scenario;
    for (int row = 0; row < m_axes->rowCount(); ++row) {
        const auto *field = qobject_cast<QComboBox *>(m_axes->cellWidget(row, 0));
        const QTableWidgetItem *values = m_axes->item(row, 1);
        d.axes.push_back({field ? field->currentText().trimmed() : QString(),
            values ? values->text() : QString()});
    }
    for (int i = 0; i < m_policies->count(); ++i) {
        if (m_policies->item(i)->checkState() == Qt::Checked) {
            d.policies << m_policies->item(i)->text();
        }
    }
    d.seeds = m_seeds->text();
    d.rounds = m_rounds->value();
    d.train = m_train->isChecked();
    return d;
}

void ExperimentForm::setDraft(const ExperimentDraft &draft)
{
    m_name->setText(draft.name);
    m_scenario = draft.scenario;
    m_axes->setRowCount(0);
    for (const DraftAxis &axis : draft.axes) {
        addAxis(axis.path, axis.values);
    }
    for (int i = 0; i < m_policies->count(); ++i) {
        QListWidgetItem *item = m_policies->item(i);
        item->setCheckState(draft.policies.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
    m_seeds->setText(draft.seeds);
    m_rounds->setValue(draft.rounds);
    m_train->setChecked(draft.train);
    m_base->setText(draft.scenario.isString() ? draft.scenario.toString()
            : draft.scenario.isObject()       ? tr("the scenario saved in the experiment file")
                                              : tr("none yet: Use canvas"));
}

void ExperimentForm::setBaseScenario(const QJsonValue &scenario, const QString &description)
{
    m_scenario = scenario;
    m_base->setText(description);
}

} // namespace collapipe
