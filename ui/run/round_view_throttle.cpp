// SPDX-License-Identifier: MIT
#include "ui/run/round_view_throttle.h"

#include <algorithm>

namespace collapipe {

RoundViewThrottle::RoundViewThrottle(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RoundViewThrottle::deliver);
    m_clock.start();
}

void RoundViewThrottle::setThrottling(bool on)
{
    m_throttling = on;
    if (!on && m_hasPending) {
        m_timer.start(0); // soon, unless a record delivered at once supersedes it
    }
}

void RoundViewThrottle::setRecord(const RoundRecord &record)
{
    setShared(shareRoundCopy(record));
}

void RoundViewThrottle::setShared(const SharedRound &record)
{
    if (!record) {
        return;
    }
    m_pending = record;
    m_hasPending = true;
    if (!m_throttling) {
        deliver();
        return;
    }
    if (!m_timer.isActive()) {
        m_timer.start(int(std::max<qint64>(0, m_nextAllowedMs - m_clock.elapsed())));
    }
}

void RoundViewThrottle::dropPending()
{
    m_timer.stop();
    m_hasPending = false;
    m_pending.reset();
}

void RoundViewThrottle::deliver()
{
    m_timer.stop();
    if (!m_hasPending) {
        return;
    }
    m_hasPending = false;
    const qint64 start = m_clock.elapsed();
    ++m_deliveries;
    // Held here until the next one: the views may keep it (the Gantt does) without a copy.
    const SharedRound record = m_pending;
    Q_EMIT recordChanged(*record);
    Q_EMIT sharedChanged(record);
    m_nextAllowedMs = m_clock.elapsed() + m_minIntervalMs;
    // The views' cost includes the replots they queued (QCustomPlot::rpQueuedReplot): measured
    // once the event loop is back here, after them.
    QTimer::singleShot(0, this, [this, start] {
        const qint64 now = m_clock.elapsed();
        m_nextAllowedMs = now + std::max<qint64>(m_minIntervalMs, m_idleFactor * (now - start));
        if (m_timer.isActive()) {
            m_timer.start(int(m_nextAllowedMs - now));
        }
    });
}

} // namespace collapipe
