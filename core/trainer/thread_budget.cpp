// SPDX-License-Identifier: MIT
#include "core/trainer/thread_budget.h"

#include "core/trainer/kernel_path.h"

#include <QFile>

#include <atomic>
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

void parallelFor(int n, int threads, const std::function<void(int)> &fn)
{
    const int workers = std::max(1, std::min(threads, n));
    std::atomic<int> next{0};
    // The workers compute with the caller's kernel mode (kernel_path.h is per thread).
    const kernels::Mode mode = kernels::currentMode();
    const auto loop = [&]() {
        const kernels::ModeScope scope(mode);
        for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
            fn(i);
        }
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) {
        pool.emplace_back(loop);
    }
    loop();
    for (std::thread &t : pool) {
        t.join();
    }
}

} // namespace collapipe
