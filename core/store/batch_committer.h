// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

/// The background thread of a RunWriter (issue 17 "Speed"): runs one job at a time (a batch
/// commit) off the thread that computes the rounds. Private to core/store.
namespace collapipe {

class BatchCommitter
{
public:
    BatchCommitter() = default;
    /// Waits for the job in progress, then ends and joins the thread.
    ~BatchCommitter();
    BatchCommitter(const BatchCommitter &) = delete;
    BatchCommitter &operator=(const BatchCommitter &) = delete;

    /// Runs `job` on the committer thread (started on first use) and returns at once. Only when
    /// idle (busy() false): there is never more than one job, so never more than one batch, in
    /// flight. Whatever `job` writes is visible to the caller once busy() returned false or
    /// wait() returned. False (nothing started) when no thread could be created: the caller
    /// runs the job itself.
    bool start(std::function<void()> job);
    /// True while a job runs.
    bool busy() const;
    /// Returns once no job runs.
    void wait();
    /// True once the thread was started (for tests and the docs' "one thread per writer").
    bool started() const { return m_thread.joinable(); }

private:
    void loop();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake; ///< a job or the stop request arrived
    std::condition_variable m_done; ///< the job finished
    std::function<void()> m_job;
    bool m_busy = false;
    bool m_stop = false;
    std::thread m_thread; // last: started once the members it uses exist
};

} // namespace collapipe
