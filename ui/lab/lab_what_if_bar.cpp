// SPDX-License-Identifier: MIT
#include "ui/lab/lab_what_if_bar.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace collapipe {

LabWhatIfBar::LabWhatIfBar(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout)
    , m_reset(new QPushButton(tr("Reset")))
    , m_apply(new QPushButton(tr("Apply speeds…")))
{
    setObjectName(QStringLiteral("labWhatIf"));
    m_reset->setObjectName(QStringLiteral("labWhatIfReset"));
    m_reset->setToolTip(tr("Every factor back to 1 × (the plan as the cost model timed it)"));
    m_apply->setObjectName(QStringLiteral("labWhatIfApply"));
    m_apply->setToolTip(tr("Write the stage speeds into the scenario: each device's compute "
                           "FLOP/s times its factor (undoable, one step per device). The links' "
                           "rates come from the channel model and are not scenario fields."));
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(6);
    m_grid->setVerticalSpacing(2);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_grid);
    layout->addStretch(1);
    layout->addWidget(m_reset);
    layout->addWidget(m_apply);
    connect(m_reset, &QPushButton::clicked, this, &LabWhatIfBar::reset);
    connect(m_apply, &QPushButton::clicked, this, [this] { Q_EMIT applyRequested(whatIf()); });
}

QDoubleSpinBox *LabWhatIfBar::makeBox(const QString &prefix, const QString &toolTip)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(0.1, 10.0);
    box->setDecimals(2);
    box->setSingleStep(0.25);
    box->setValue(1.0);
    box->setPrefix(prefix + QLatin1Char(' '));
    box->setSuffix(QStringLiteral(" ×"));
    box->setToolTip(toolTip);
    box->setAccelerated(true); // holding an arrow sweeps the factor: the charts follow
    connect(box, &QDoubleSpinBox::valueChanged, this, &LabWhatIfBar::changed);
    return box;
}

void LabWhatIfBar::setPlan(const LabPlan &plan)
{
    QStringList names;
    for (int j = 0; j < plan.stageCount; ++j) {
        names << QStringLiteral("S%1").arg(j);
    }
    names << plan.linkNames;
    if (names == m_names) {
        return; // same chain: the user's factors stay
    }
    m_names = names;
    m_stages.clear();
    m_links.clear();
    while (QLayoutItem *item = m_grid->takeAt(0)) {
        delete item->widget(); // the boxes and the row labels
        delete item;
    }
    if (!plan.ok) {
        return;
    }
    m_grid->addWidget(new QLabel(tr("What if · stage speed")), 0, 0);
    m_grid->addWidget(new QLabel(tr("link rate")), 1, 0, Qt::AlignRight);
    for (int j = 0; j < plan.stageCount; ++j) {
        auto *box = makeBox(QStringLiteral("S%1").arg(j),
            tr("Stage %1 (%2) computes this many times as fast as planned")
                .arg(j)
                .arg(plan.stageNames.value(j)));
        m_stages << box;
        m_grid->addWidget(box, 0, j + 1);
    }
    for (int l = 0; l < plan.linkNames.size(); ++l) {
        auto *box = makeBox(plan.linkNames[l],
            tr("Link %1 carries this many times the planned rate (activations and gradients)")
                .arg(plan.linkNames[l]));
        m_links << box;
        m_grid->addWidget(box, 1, l + 1);
    }
}

LabWhatIf LabWhatIfBar::whatIf() const
{
    LabWhatIf w;
    for (const QDoubleSpinBox *box : m_stages) {
        w.stageSpeed.push_back(box->value());
    }
    for (const QDoubleSpinBox *box : m_links) {
        w.linkRate.push_back(box->value());
    }
    return w;
}

void LabWhatIfBar::reset()
{
    m_silent = true; // one re-timing, not one per box
    for (QDoubleSpinBox *box : std::as_const(m_stages)) {
        box->setValue(1.0);
    }
    for (QDoubleSpinBox *box : std::as_const(m_links)) {
        box->setValue(1.0);
    }
    m_silent = false;
    changed();
}

void LabWhatIfBar::changed()
{
    if (!m_silent) {
        Q_EMIT whatIfChanged(whatIf());
    }
}

} // namespace collapipe
