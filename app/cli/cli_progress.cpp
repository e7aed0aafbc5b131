// SPDX-License-Identifier: MIT
#include "cli_progress.h"

#include <cmath>
#include <unistd.h>

namespace collapipe::cli {

bool stdoutIsTerminal()
{
    return ::isatty(STDOUT_FILENO) == 1;
}

ProgressPrinter::ProgressPrinter(QTextStream &out, int totalRounds, bool interactive, bool enabled)
    : m_out(out)
    , m_total(totalRounds)
    , m_interactive(interactive)
    , m_enabled(enabled)
{
    m_clock.start();
}

QString ProgressPrinter::duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) {
        return QStringLiteral("?");
    }
    const qint64 s = qint64(std::llround(seconds));
    if (s < 60) {
        return QStringLiteral("%1 s").arg(s);
    }
    if (s < 3600) {
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

void ProgressPrinter::update(const RoundRecord &record)
{
    ++m_done;
    if (std::isfinite(record.loss)) {
        m_lastLoss = record.loss;
        m_hasLoss = true;
    }
    if (!m_enabled) {
        return;
    }
    const qint64 now = m_clock.elapsed();
    // A bar redraw costs a write per ~100 ms; plain logs get a line every 2 s (Cmdenv's interval).
    const qint64 interval = m_interactive ? 100 : 2000;
    if (m_lastPrintMs >= 0 && now - m_lastPrintMs < interval && m_done < m_total) {
        return;
    }
    if (m_lastPrintMs < 0 && !m_interactive && now < interval && m_done < m_total) {
        return; // the first plain line only after 2 s: short runs print just the summary
    }
    m_lastPrintMs = now;
    print(record, m_done >= m_total);
}

void ProgressPrinter::print(const RoundRecord &record, bool final)
{
    const double elapsed = double(m_clock.nsecsElapsed()) * 1e-9;
    const double rate = elapsed > 0 ? m_done / elapsed : 0.0;
    const double eta = rate > 0 ? (m_total - m_done) / rate : NAN;
    const QString loss
        = m_hasLoss ? QStringLiteral("  loss %1").arg(m_lastLoss, 0, 'f', 4) : QString();
    const QString stats = QStringLiteral("%1/%2 rounds  %3 rounds/s  ETA %4  latency %5 s%6")
                              .arg(m_done)
                              .arg(m_total)
                              .arg(rate, 0, 'f', rate < 10 ? 2 : 0)
                              .arg(duration(eta))
                              .arg(record.latencyS, 0, 'g', 4)
                              .arg(loss);
    if (m_interactive) {
        constexpr int width = 28;
        const int filled = m_total > 0 ? int(double(width) * m_done / m_total) : width;
        const QString bar
            = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
        m_out << '\r' << '[' << bar << "] " << stats << "\x1b[K";
        m_barShown = true;
        if (final) {
            m_out << '\n';
            m_barShown = false;
        }
    } else {
        m_out << "progress: " << stats << '\n';
    }
    m_out.flush();
}

void ProgressPrinter::finish()
{
    if (m_barShown) {
        m_out << '\n';
        m_out.flush();
        m_barShown = false;
    }
}

} // namespace collapipe::cli
