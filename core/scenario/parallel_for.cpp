// SPDX-License-Identifier: MIT
#include "core/scenario/parallel_for.h"

#include <QFile>

#include <algorithm>
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
    if (workers == 1) {
        for (int i = 0; i < n; ++i) {
            fn(i);
        }
        return;
    }
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

} // namespace collapipe
