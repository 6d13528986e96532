// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The flagship demo: the seed's threadpool1 scenario. A pool of up to 300
// workers gets 1,000 tasks that each sleep for a second. A watcher prints a
// progress line whenever the pool's counters change, and at the end the STM
// statistics say how many transaction attempts and retries each task cost:
// because every idle worker waits on its own slot, handing out a task wakes
// one thread, not all of them.
//
//   threadpool1 [--quick] [--workers N] [--tasks N] [--sleep-ms N] [--quiet]
#include <boost/stm.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

namespace stm = boost::stm;

int main(int argc, char** argv) {
  std::size_t workers = 300, tasks = 1000;
  long sleep_ms = 1000;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return std::strtol(argv[++i], nullptr, 10);
    };
    if (a == "--quick") sleep_ms = 10, quiet = true;
    else if (a == "--workers") workers = static_cast<std::size_t>(next());
    else if (a == "--tasks") tasks = static_cast<std::size_t>(next());
    else if (a == "--sleep-ms") sleep_ms = next();
    else if (a == "--quiet") quiet = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--workers N] [--tasks N] [--sleep-ms N] [--quiet]\n",
                   argv[0]);
      return 2;
    }
  }

  //[threadpool1_pool
  stm::thread_pool pool{workers, std::chrono::seconds(1)};
  //]

  // Progress: the watcher reads the counters (in the committing transaction,
  // so they are consistent); changes_only drops repeats; the printing itself
  // is I/O, so it happens after the commit. Commits finish their after-commit
  // actions in any order, so each line carries its commit's sequence number
  // and stale lines are skipped.
  //[threadpool1_progress
  using counts = std::tuple<std::size_t, std::size_t, std::size_t, std::size_t, std::size_t>;
  // seq numbers the lines, printed is the newest one printed, ended counts
  // the printing actions that have finished.
  stm::tvar<std::size_t> seq{0}, printed{0}, ended{0};
  std::mutex out_m;
  auto progress = stm::atomically_watch(
      [&] {
        return counts{pool.tasks_scheduled(), pool.tasks_finished(), pool.live_threads(),
                      pool.free_threads(), pool.tasks().size()};
      },
      stm::changes_only([&](const counts& c) {
        std::size_t n = seq.get() + 1;
        seq.set(n);
        stm::after_commit([&, c, n] {
          {
            std::lock_guard<std::mutex> g(out_m);
            if (n > printed.get()) {
              if (!quiet || std::get<1>(c) == std::get<0>(c))
                std::printf(
                    "%zu scheduled, %zu finished, %zu threads live, %zu free, %zu tasks queued\n",
                    std::get<0>(c), std::get<1>(c), std::get<2>(c), std::get<3>(c),
                    std::get<4>(c));
              printed.set(n);
            }
          }
          ended.modify([](std::size_t e) { return e + 1; });  // the last touch
        });
      }));
  //]

  stm::stats before = stm::statistics();
  auto t0 = std::chrono::steady_clock::now();
  //[threadpool1_schedule
  for (std::size_t i = 0; i < tasks; ++i)
    pool.schedule([sleep_ms] { std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms)); });
  pool.join();
  //]
  // Let the progress printer catch up with the last commit.
  stm::atomically([&] { if (printed.get() < seq.get()) stm::retry(); });
  // Workers retiring later would still change the counters: stop watching,
  // then wait for every printing action already queued, since they use
  // this function's variables.
  progress.cancel();
  stm::atomically([&] { if (ended.get() < seq.get()) stm::retry(); });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stm::stats after = stm::statistics();

  std::size_t done = pool.tasks_finished();
  double attempts = double(after.attempts - before.attempts) / double(tasks);
  double retries = double(after.retries - before.retries) / double(tasks);
  double wakeups = double(after.wakeups - before.wakeups) / double(tasks);
  double futile = double(after.futile_wakeups - before.futile_wakeups) / double(tasks);
  std::printf("\n%zu tasks of %ld ms on up to %zu workers: %.2f s, %.1f tasks/s\n", done, sleep_ms,
              workers, secs, double(done) / secs);
  std::printf("per task: %.2f transaction attempts, %.2f retries, %.2f wake-ups (%.2f futile)\n",
              attempts, retries, wakeups, futile);
  std::printf("threads live at the end: %zu (idle ones retire after the keep-alive)\n",
              pool.live_threads());
  return done == tasks ? 0 : 1;
}
