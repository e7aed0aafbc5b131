// SPDX-License-Identifier: MIT
#include "core/store/batch_committer.h"

#include <csignal>
#include <pthread.h>
#include <system_error>
#include <utility>

namespace collapipe {

BatchCommitter::~BatchCommitter()
{
    if (!m_thread.joinable()) {
        return;
    }
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_done.wait(lock, [this] { return !m_busy; });
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

bool BatchCommitter::start(std::function<void()> job)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_job = std::move(job);
        m_busy = true;
    }
    if (!m_thread.joinable()) {
        // The stop signals (SIGINT, SIGTERM, SIGHUP: RunControl) and the other asynchronous ones
        // go to the thread that computes the rounds, never to this one: a signal interrupting a
        // commit's write() would only slow it down, and the handlers belong to the run loop.
        sigset_t blocked;
        sigset_t previous;
        sigemptyset(&blocked);
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGPIPE,
                 SIGWINCH}) {
            sigaddset(&blocked, s);
        }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous); // inherited by the new thread
        try {
            m_thread = std::thread([this] { loop(); });
        } catch (const std::system_error &) {
            pthread_sigmask(SIG_SETMASK, &previous, nullptr);
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_job = nullptr;
            m_busy = false;
            return false;
        }
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    } else {
        m_wake.notify_one();
    }
    return true;
}

bool BatchCommitter::busy() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_busy;
}

void BatchCommitter::wait()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [this] { return !m_busy; });
}

void BatchCommitter::loop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || m_busy; });
        if (m_busy) {
            std::function<void()> job = std::move(m_job);
            m_job = nullptr;
            lock.unlock();
            job();
            lock.lock();
            m_busy = false;
            m_done.notify_all();
            continue;
        }
        return; // stop, nothing left to run
    }
}

} // namespace collapipe
