// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The flagship demo: the seed's threadpool1 scenario. A pool of up to 300
// workers gets 1,000 tasks that each sleep for a second. A watcher follows
// the pool's counters as they change, and at the end the STM statistics say
// how many transaction attempts and retries each task cost: because every
// idle worker waits on its own slot, handing out a task wakes one thread,
// not all of them.
//
// On a terminal the progress is one line, redrawn in place (tasks done,
// threads live and free, rate); --log prints a line for every change of the
// counters instead (about 2,000 lines), --quiet only the summary, which is
// also what a run whose output is not a terminal prints.
//
//   threadpool1 [--quick] [--workers N] [--tasks N] [--sleep-ms N] [--log | --quiet]
#include <boost/stm.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include <unistd.h>

namespace stm = boost::stm;

int main(int argc, char** argv) {
  std::size_t workers = 300, tasks = 1000;
  long sleep_ms = 1000;
  enum class show { live, log, quiet } mode = isatty(STDOUT_FILENO) ? show::live : show::quiet;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return std::strtol(argv[++i], nullptr, 10);
    };
    if (a == "--quick") sleep_ms = 10, mode = show::quiet;
    else if (a == "--workers") workers = static_cast<std::size_t>(next());
    else if (a == "--tasks") tasks = static_cast<std::size_t>(next());
    else if (a == "--sleep-ms") sleep_ms = next();
    else if (a == "--quiet") mode = show::quiet;
    else if (a == "--log") mode = show::log;
    else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--workers N] [--tasks N] [--sleep-ms N] [--log | --quiet]\n",
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
  // and stale lines are skipped. The live line is redrawn at most every
  // 100 ms, and once more when the last task is done.
  auto t0 = std::chrono::steady_clock::now();
  auto drawn = t0 - std::chrono::seconds(1);
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
              auto [scheduled, finished, live, free, queued] = c;
              auto now = std::chrono::steady_clock::now();
              if (mode == show::log) {
                std::printf("%zu scheduled, %zu finished, %zu threads live, %zu free, %zu queued\n",
                            scheduled, finished, live, free, queued);
              } else if (mode == show::live &&
                         (now - drawn >= std::chrono::milliseconds(100) || finished == tasks)) {
                double secs = std::chrono::duration<double>(now - t0).count();
                std::printf("\r%zu/%zu tasks done, %zu threads live, %zu free, %.0f tasks/s   ",
                            finished, tasks, live, free, secs > 0 ? double(finished) / secs : 0.0);
                std::fflush(stdout);
                drawn = now;
              }
              printed.set(n);
            }
          }
          ended.modify([](std::size_t e) { return e + 1; });  // the last touch
        });
      }));
  //]

  stm::stats before = stm::statistics();
  t0 = std::chrono::steady_clock::now();
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
  if (mode == show::live) std::printf("\n");
  std::printf("\n%zu tasks of %ld ms on up to %zu workers: %.2f s, %.1f tasks/s\n", done, sleep_ms,
              workers, secs, double(done) / secs);
  std::printf("per task: %.2f transaction attempts, %.2f retries, %.2f wake-ups (%.2f futile)\n",
              attempts, retries, wakeups, futile);
  std::printf("threads live at the end: %zu (idle ones retire after the keep-alive)\n",
              pool.live_threads());
  return done == tasks ? 0 : 1;
}
