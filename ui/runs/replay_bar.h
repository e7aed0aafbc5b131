// SPDX-License-Identifier: MIT
#pragma once

#include <QToolBar>

class QLabel;
class QPushButton;
class QSlider;

namespace collapipe {

/// The replay scrubber (issue [1/7] #5) as a full-width tool bar above the canvas and the plot
/// docks, so a stored run can be scrubbed while its plots and its topology stay in view. It also
/// carries the read-only banner of the replayed scenario (#4) and its "Edit a copy" action.
/// Shown only while a replay is open: a restored window layout cannot show it empty.
class ReplayBar : public QToolBar
{
    Q_OBJECT

public:
    explicit ReplayBar(QWidget *parent = nullptr);

    /// A replay of run `runId` ("name") with `rounds` rounds opened: shows the bar.
    void openRun(qint64 runId, const QString &name, int rounds);
    /// No replay: hides the bar.
    void closeRun();
    bool isActive() const { return m_active; }
    /// The canvas shows the run's scenario read-only (banner and "Edit a copy") or an editable
    /// copy (neither).
    void setReadOnly(bool readOnly, const QString &reason = QString());

    QSlider *slider() const { return m_slider; }
    QLabel *banner() const { return m_banner; }
    /// "Replay of run #N “name”", elided with "…" past a fixed width (full text in its tooltip).
    QLabel *titleLabel() const { return m_title; }
    QLabel *roundLabel() const { return m_round; }
    QPushButton *editCopyButton() const { return m_editCopy; }

    void setVisible(bool visible) override;

public Q_SLOTS:
    /// The replay selected stored round `round` (its number t); moves the slider silently.
    void setRound(int round, int index);

Q_SIGNALS:
    /// The user moved the slider to position `index` (0-based in the stored run).
    void indexChanged(int index);
    void editCopyRequested();
    void closeRequested();

private:
    QLabel *m_title;
    QLabel *m_banner;
    QPushButton *m_editCopy;
    QSlider *m_slider;
    QLabel *m_round;
    int m_rounds = 0;
    bool m_active = false;
};

} // namespace collapipe
