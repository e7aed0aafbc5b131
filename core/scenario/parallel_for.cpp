// SPDX-License-Identifier: MIT
#include "core/scenario/parallel_for.h"

#include "core/types/vector_state.h"

#include <QFile>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace collapipe {

int physicalCoreCount()
{
    QFile f(QStringLiteral("/proc/cpuinfo"));
    std::set<std::pair<int, int>> cores;
    if (f.open(QIODevice::ReadOnly)) {
        int phys = 0;
        for (const QByteArray &line : f.readAll().split('\n')) {
            const int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            const QByteArray key = line.left(colon).trimmed();
            if (key == "physical id") {
                phys = line.mid(colon + 1).trimmed().toInt();
            } else if (key == "core id") {
                cores.insert({phys, line.mid(colon + 1).trimmed().toInt()});
            }
        }
    }
    if (!cores.empty()) {
        return int(cores.size());
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw > 0 ? int(hw) : 1;
}

int resolveThreadCount(int requested)
{
    return requested >= 1 ? requested : physicalCoreCount();
}

namespace {

/// parallelFor() on threads of its own, started and joined per call: the path for a caller that
/// finds the persistent pool busy (another thread's parallelFor, or a nested one).
void parallelForOnNewThreads(int n, int workers, const std::function<void(int)> &fn)
{
    // Dynamic hand-out: an index per fetch, so a slow item does not hold a fixed share back.
    std::atomic<int> next{0};
    const auto loop = [&]() {
        for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
            fn(i);
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(std::size_t(workers - 1));
    for (int w = 1; w < workers; ++w) {
        pool.emplace_back(loop);
    }
    loop();
    for (std::thread &t : pool) {
        t.join();
    }
}

/// Helper threads that outlive a parallelFor() call (issue [5/7] "Speed"): a cost-only DSSDA
/// round solves its clusters in ~0.2 ms each, and starting a thread per round cost more than the
/// second core saved — the start itself, and each new thread's empty thread-local memos
/// (resource_search.cpp, runPipeline()'s shapes, the surrogate's rates). Idle helpers sleep on a
/// condition variable (no spinning on a shared machine). One job at a time; a caller that finds
/// the pool busy, or a call from a helper (nested), takes parallelForOnNewThreads().
class PersistentWorkerPool
{
public:
    /// Helpers kept at most; a call asking for more takes parallelForOnNewThreads().
    static constexpr int kMaxHelpers = 64;

    ~PersistentWorkerPool()
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        for (std::thread &t : m_threads) {
            t.join();
        }
    }

    /// Runs fn(0..n−1) on the caller and `helpers` pool threads; false (nothing run) when the
    /// pool is busy or the caller is one of its helpers.
    bool run(int n, int helpers, const std::function<void(int)> &fn)
    {
        if (t_isPoolHelper || helpers > kMaxHelpers) {
            return false;
        }
        bool idle = false;
        if (!m_busy.compare_exchange_strong(idle, true)) {
            return false;
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        if (m_stopping) {
            m_busy = false;
            return false;
        }
        while (int(m_threads.size()) < helpers) {
            m_threads.emplace_back([this] { helperLoop(); });
        }
        m_fn = &fn;
        m_n = n;
        m_next.store(0);
        m_wanted = helpers;
        m_claimed = 0;
        m_open = true;
        ++m_generation;
        lock.unlock();
        m_wake.notify_all();
        runItems();
        lock.lock();
        m_open = false; // every index is taken: a helper that wakes now has nothing to do
        m_done.wait(lock, [this] { return m_active == 0; });
        m_fn = nullptr;
        m_busy = false;
        return true;
    }

private:
    void runItems()
    {
        for (int i = m_next.fetch_add(1); i < m_n; i = m_next.fetch_add(1)) {
            (*m_fn)(i);
        }
    }

    void helperLoop()
    {
        t_isPoolHelper = true;
        std::uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(m_mutex);
        while (true) {
            m_wake.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping) {
                return;
            }
            seen = m_generation;
            if (!m_open || m_claimed >= m_wanted) {
                continue; // a job for fewer helpers, or one already over
            }
            ++m_claimed;
            ++m_active;
            lock.unlock();
            // A helper's upper AVX state is whatever its last job left (vector_state.h).
            clearUpperVectorState();
            runItems();
            lock.lock();
            if (--m_active == 0) {
                m_done.notify_all();
            }
        }
    }

    static thread_local bool t_isPoolHelper;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::vector<std::thread> m_threads;
    const std::function<void(int)> *m_fn = nullptr;
    int m_n = 0;
    std::atomic<int> m_next{0};
    int m_wanted = 0;
    int m_claimed = 0;
    int m_active = 0;
    bool m_open = false;
    std::atomic<bool> m_busy{false}; ///< a job runs (set before the mutex is taken)
    bool m_stopping = false;
    std::uint64_t m_generation = 0;
};

thread_local bool PersistentWorkerPool::t_isPoolHelper = false;

PersistentWorkerPool &persistentWorkerPool()
{
    static PersistentWorkerPool pool;
    return pool;
}

} // namespace

void parallelFor(int n, int threads, const std::function<void(int)> &fn)
{
    const int workers = std::max(1, std::min(threads, n));
    if (workers == 1) {
        for (int i = 0; i < n; ++i) {
            fn(i);
        }
        return;
    }
    if (!persistentWorkerPool().run(n, workers - 1, fn)) {
        parallelForOnNewThreads(n, workers, fn);
    }
}

bool parallelForOnIdlePool(int n, int threads, const std::function<void(int)> &fn)
{
    const int workers = std::max(1, std::min(threads, n));
    if (workers == 1) {
        for (int i = 0; i < n; ++i) {
            fn(i);
        }
        return true;
    }
    return persistentWorkerPool().run(n, workers - 1, fn);
}

} // namespace collapipe
