// SPDX-License-Identifier: MIT
#include "core/sim/run_control.h"

#include <chrono>
#include <csignal>

namespace collapipe {

namespace {

// Only lock-free atomics may be touched from a signal handler.
std::atomic<RunControl *> g_signalTarget{nullptr};
std::atomic<bool> g_signalled{false};
static_assert(std::atomic<RunControl *>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

} // namespace

extern "C" void collapipeRunControlSignal(int)
{
    g_signalled.store(true);
    RunControl *target = g_signalTarget.load();
    if (target) {
        target->requestStopFromSignal();
    }
}

RunControl::~RunControl()
{
    RunControl *self = this;
    g_signalTarget.compare_exchange_strong(self, nullptr);
}

void RunControl::requestStopFromSignal()
{
    m_bySignal.store(true);
    m_stop.store(true);
}

void RunControl::requestStop()
{
    m_stop.store(true);
    m_wake.notify_all();
}

void RunControl::requestPause()
{
    m_steps.store(0);
    m_paused.store(true);
}

void RunControl::requestResume()
{
    m_steps.store(0);
    m_paused.store(false);
    m_wake.notify_all();
}

void RunControl::requestStep()
{
    m_paused.store(true);
    m_steps.fetch_add(1);
    m_wake.notify_all();
}

bool RunControl::takeRound()
{
    if (m_stop.load()) {
        return false;
    }
    if (!m_paused.load()) {
        return true;
    }
    int steps = m_steps.load();
    while (steps > 0) {
        if (m_steps.compare_exchange_weak(steps, steps - 1)) {
            return true;
        }
    }
    return false;
}

bool RunControl::waitForRound()
{
    while (!takeRound()) {
        if (m_stop.load()) {
            return false;
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        // Poll as well: a stop from a signal handler cannot notify.
        m_wake.wait_for(lock, std::chrono::milliseconds(50));
    }
    return true;
}

void RunControl::reset()
{
    m_stop.store(false);
    m_bySignal.store(false);
    m_paused.store(false);
    m_steps.store(0);
}

bool RunControl::signalReceived()
{
    return g_signalled.load();
}

void RunControl::linkStopSignals(RunControl *control)
{
    static const bool installed = [] {
        std::signal(SIGINT, collapipeRunControlSignal);
        std::signal(SIGTERM, collapipeRunControlSignal);
        // A closed terminal (SIGHUP) stops the run like Ctrl-C, with its last rounds stored;
        // under nohup (SIGHUP ignored) it keeps running, as the user asked.
        struct sigaction hangup = {};
        if (::sigaction(SIGHUP, nullptr, &hangup) == 0 && hangup.sa_handler != SIG_IGN) {
            std::signal(SIGHUP, collapipeRunControlSignal);
        }
        return true;
    }();
    (void)installed;
    g_signalTarget.store(control);
    if (control && g_signalled.load()) {
        // A signal that came before the run was linked still stops it.
        control->requestStopFromSignal();
    }
}

} // namespace collapipe
