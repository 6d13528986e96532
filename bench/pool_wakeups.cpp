// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The seed's yardstick: what handing out tasks costs as idle workers grow.
// For 50, 300 and 1,000 idle workers, 1,000 tiny tasks are scheduled one
// transaction at a time, and we count STM attempts, retries, wake-ups and
// context switches per task, for:
//   pool   stm::thread_pool: each idle worker retries on its own slot;
//   naive  every idle worker retries on the shared task list (what the
//          seed started from): each new task wakes every idle worker.
// Counts, not times, so the pool's figures are stable run to run; the
// naive design's depend on timing. Each figure is the median of --rounds
// interleaved rounds (at least 5; each round runs both variants once for
// every worker count), with min and max.
//
//   pool_wakeups [--quick] [--tasks N] [--workers a,b,c] [--rounds R]
#include "common.hpp"

#include <boost/stm.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

struct figures {
  double attempts, retries, wakeups, futile, csw, seconds;
};

using bench::context_switches;

template <class Schedule, class Join>
figures measure(std::size_t tasks, Schedule schedule, Join join) {
  stm::stats b = stm::statistics();
  long c0 = context_switches();
  auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < tasks; ++i) schedule();
  join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  long c1 = context_switches();
  stm::stats a = stm::statistics();
  double n = double(tasks);
  return {double(a.attempts - b.attempts) / n, double(a.retries - b.retries) / n,
          double(a.wakeups - b.wakeups) / n, double(a.futile_wakeups - b.futile_wakeups) / n,
          double(c1 - c0) / n, secs};
}

figures run_pool(std::size_t idle, std::size_t tasks) {
  stm::thread_pool pool{idle, std::chrono::seconds(60)};
  // Start `idle` workers and let them all go idle.
  stm::tvar<bool> open{false};
  for (std::size_t i = 0; i < idle; ++i)
    pool.schedule([&] { stm::atomically([&] { if (!open.get()) stm::retry(); }); });
  stm::atomically([&] { if (pool.live_threads() < idle) stm::retry(); });
  open.set(true);
  pool.join();
  stm::atomically([&] { if (pool.free_threads() < idle) stm::retry(); });
  return measure(tasks, [&] { pool.schedule([] {}); }, [&] { pool.join(); });
}

figures run_naive(std::size_t idle, std::size_t tasks) {
  stm::tlist<stm::task> list;
  stm::tvar<std::size_t> finished{0}, ready{0};
  stm::tvar<bool> stop{false};
  std::vector<std::thread> ws;
  const std::uint64_t r0 = stm::statistics().retries;
  for (std::size_t i = 0; i < idle; ++i)
    ws.emplace_back([&] {
      stm::atomically([&] { ready.set(ready.get() + 1); });
      for (;;) {
        stm::task t = stm::atomically([&] {
          if (std::optional<stm::task> x = list.try_pop_front()) return *x;
          if (stop.get()) return stm::task{};
          stm::retry();
        });
        if (!t) return;
        t();
        stm::atomically([&] { finished.set(finished.get() + 1); });
      }
    });
  // Wait until every worker has blocked on the empty list (each one retry).
  stm::atomically([&] { if (ready.get() < idle) stm::retry(); });
  while (stm::statistics().retries - r0 < idle) std::this_thread::yield();
  figures f = measure(
      tasks, [&] { list.push_back([] {}); },
      [&] { stm::atomically([&] { if (finished.get() < tasks) stm::retry(); }); });
  stop.set(true);
  for (auto& t : ws) t.join();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t tasks = 1000;
  int rounds = 5;
  std::vector<std::size_t> idles{50, 300, 1000};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      idles = {50, 300};
      tasks = 300;
    } else if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) {
      tasks = std::strtoul(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--workers") && i + 1 < argc) {
      idles.clear();
      std::stringstream ss(argv[++i]);
      std::string x;
      while (std::getline(ss, x, ',')) idles.push_back(std::strtoul(x.c_str(), nullptr, 10));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--tasks N] [--workers a,b,c] [--rounds R]\n", argv[0]);
      return 2;
    }
  }
  // runs[k][v]: every round's figures for idles[k], variant v (0 pool, 1 naive).
  std::vector<std::vector<std::vector<figures>>> runs(idles.size(), std::vector<std::vector<figures>>(2));
  for (int r = 0; r < rounds; ++r)
    for (std::size_t k = 0; k < idles.size(); ++k) {
      runs[k][0].push_back(run_pool(idles[k], tasks));
      runs[k][1].push_back(run_naive(idles[k], tasks));
    }
  auto pick = [](const std::vector<figures>& v, double figures::*f) {
    std::vector<double> x;
    for (const figures& g : v) x.push_back(g.*f);
    return bench::summarize(x);
  };
  std::printf("## Handing out %zu tasks to idle workers (per task)\n\n", tasks);
  std::printf("%d interleaved rounds: median (min-max).\n\n", rounds);
  std::printf("| idle workers | variant | attempts | retries | wake-ups | futile wake-ups | context switches | seconds |\n");
  std::printf("|---:|---|---:|---:|---:|---:|---:|---:|\n");
  const char* names[2] = {"stm::thread_pool", "naive shared list"};
  for (std::size_t k = 0; k < idles.size(); ++k)
    for (int v = 0; v < 2; ++v) {
      const std::vector<figures>& f = runs[k][static_cast<std::size_t>(v)];
      std::printf("| %zu | %s | %s | %s | %s | %s | %s | %s |\n", idles[k], names[v],
                  bench::cell(pick(f, &figures::attempts), "%.2f").c_str(),
                  bench::cell(pick(f, &figures::retries), "%.2f").c_str(),
                  bench::cell(pick(f, &figures::wakeups), "%.2f").c_str(),
                  bench::cell(pick(f, &figures::futile), "%.2f").c_str(),
                  bench::cell(pick(f, &figures::csw), "%.1f").c_str(),
                  bench::cell(pick(f, &figures::seconds), "%.3f").c_str());
    }
  const std::vector<figures>& first_runs = runs.front()[0];
  const std::vector<figures>& last_runs = runs.back()[0];
  const double first_att = pick(first_runs, &figures::attempts).median;
  const double first_ret = pick(first_runs, &figures::retries).median;
  const double att = pick(last_runs, &figures::attempts).median;
  const double ret = pick(last_runs, &figures::retries).median;
  std::printf("\nTargets at %zu idle workers (medians): attempts <= 8 per task (%.2f: %s), retries <= 1.5 (%.2f: %s),\n"
              "within 1.5x of the %zu-worker figure (attempts %.2fx: %s, retries %.2fx: %s).\n",
              idles.back(), att, att <= 8 ? "met" : "MISSED", ret, ret <= 1.5 ? "met" : "MISSED",
              idles.front(), att / first_att, att <= 1.5 * first_att ? "met" : "MISSED", ret / first_ret,
              ret <= 1.5 * first_ret ? "met" : "MISSED");
  return 0;
}
