// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QElapsedTimer>
#include <QTextStream>

/// Run progress for the terminal (style.md rule 5: on a time interval, never per round): on a
/// terminal a redrawn bar with rounds/s and ETA; otherwise a plain status line every ~2 s.
namespace collapipe::cli {

class ProgressPrinter
{
public:
    /// `interactive`: stdout is a terminal (isatty). `enabled` false prints nothing.
    ProgressPrinter(QTextStream &out, int totalRounds, bool interactive, bool enabled);
    void update(const RoundRecord &record);
    /// Ends the bar's line (terminal) so the summary starts on a fresh line.
    void finish();

    /// "1:05" / "12 s" style durations for ETA and elapsed times.
    static QString duration(double seconds);

private:
    void print(const RoundRecord &record, bool final);

    QTextStream &m_out;
    int m_total;
    bool m_interactive;
    bool m_enabled;
    int m_done = 0;
    double m_lastLoss = 0.0;
    bool m_hasLoss = false;
    QElapsedTimer m_clock;
    qint64 m_lastPrintMs = -1;
    bool m_barShown = false;
};

/// True when stdout is a terminal.
bool stdoutIsTerminal();

} // namespace collapipe::cli
