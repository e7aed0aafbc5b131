// SPDX-License-Identifier: MIT
#include "ui/runs/replay_bar.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>

#include <algorithm>

namespace collapipe {

ReplayBar::ReplayBar(QWidget *parent)
    : QToolBar(tr("Replay"), parent)
    , m_title(new QLabel)
    , m_banner(new QLabel)
    , m_editCopy(new QPushButton(tr("Edit a copy")))
    , m_slider(new QSlider(Qt::Horizontal))
    , m_round(new QLabel)
{
    setObjectName(QStringLiteral("replayToolBar"));
    setMovable(false);
    setFloatable(false);
    auto *content = new QWidget;
    auto *row = new QHBoxLayout(content);
    row->setContentsMargins(6, 2, 6, 2);
    row->setSpacing(8);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    // Dark text on a pale amber: a state to notice, not an error; readable in light and dark.
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #4d3800; border: 1px solid #e0c36a; "
                       "border-radius: 3px; padding: 2px 6px; }"));
    m_editCopy->setToolTip(tr("Make the replayed scenario an editable, untitled document "
                              "(the stored run is not changed)"));
    // A long run name must never widen the window past a 1280 px screen, nor be squeezed to one
    // letter by the banner beside it (issue [1/7] polish): the title is elided to a fixed width in
    // openRun() (full text in its tooltip) and keeps the width of what it shows.
    m_title->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    m_slider->setMinimumWidth(160);
    m_slider->setToolTip(tr("Scrub the stored run: plots, Gantt, decision table and canvas "
                            "follow (← → step one round)"));
    m_slider->setEnabled(false);
    m_round->setMinimumWidth(m_round->fontMetrics().horizontalAdvance(tr("round 00000 / 00000")));
    auto *close = new QToolButton;
    close->setText(tr("Close replay"));
    close->setToolTip(tr("Close the replay (the canvas keeps the scenario)"));
    row->addWidget(m_title);
    row->addWidget(m_banner);
    row->addWidget(m_editCopy);
    row->addWidget(m_slider, 1);
    row->addWidget(m_round);
    row->addWidget(close);
    addWidget(content);
    connect(m_slider, &QSlider::valueChanged, this, &ReplayBar::indexChanged);
    connect(m_editCopy, &QPushButton::clicked, this, &ReplayBar::editCopyRequested);
    connect(close, &QToolButton::clicked, this, &ReplayBar::closeRequested);
    setReadOnly(false);
    QToolBar::setVisible(false);
}

void ReplayBar::setVisible(bool visible)
{
    QToolBar::setVisible(visible && m_active);
}

void ReplayBar::openRun(qint64 runId, const QString &name, int rounds)
{
    m_active = true;
    m_rounds = rounds;
    const QString title = name.isEmpty() ? tr("Replay of run #%1").arg(runId)
                                         : tr("Replay of run #%1 “%2”").arg(runId).arg(name);
    // 260 px holds "Replay of run #12345" and a short name; a longer name ends in "…".
    constexpr int kTitleMaxWidth = 260;
    const QFontMetrics metrics(m_title->font());
    m_title->setText(metrics.elidedText(title, Qt::ElideRight, kTitleMaxWidth));
    m_title->setToolTip(title);
    m_title->setFixedWidth(metrics.horizontalAdvance(m_title->text()) + 4);
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(rounds - 1, 0));
    m_slider->setValue(0);
    m_slider->setEnabled(rounds > 1);
    m_round->setText(rounds > 0 ? tr("round – / %1").arg(rounds) : tr("no rounds stored"));
    setVisible(true);
}

void ReplayBar::closeRun()
{
    m_active = false;
    m_rounds = 0;
    setReadOnly(false);
    setVisible(false);
}

void ReplayBar::setReadOnly(bool readOnly, const QString &reason)
{
    m_banner->setText(reason.isEmpty() ? tr("Read-only: the run's own scenario") : reason);
    m_banner->setVisible(readOnly);
    m_editCopy->setVisible(readOnly);
}

void ReplayBar::setRound(int round, int index)
{
    const QSignalBlocker block(m_slider);
    m_slider->setValue(index);
    m_round->setText(tr("round %1 (%2 / %3)").arg(round).arg(index + 1).arg(m_rounds));
}

} // namespace collapipe
