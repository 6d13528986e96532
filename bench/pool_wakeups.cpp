// The seed's yardstick: what handing out tasks costs as idle workers grow.
// For 50, 300 and 1,000 idle workers, 1,000 tiny tasks are scheduled one
// transaction at a time, and we count STM attempts, retries, wake-ups and
// context switches per task, for:
//   pool   stm::thread_pool: each idle worker retries on its own slot;
//   naive  every idle worker retries on the shared task list (what the
//          seed started from): each new task wakes every idle worker.
// Counts, not times, so the figures are stable run to run.
//
//   pool_wakeups [--quick] [--tasks N] [--workers a,b,c]
#include <boost/stm.hpp>

#include <sys/resource.h>

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

long context_switches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_nvcsw + u.ru_nivcsw;
}

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
  std::vector<std::size_t> idles{50, 300, 1000};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      idles = {50, 300};
      tasks = 300;
    } else if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) {
      tasks = std::strtoul(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--workers") && i + 1 < argc) {
      idles.clear();
      std::stringstream ss(argv[++i]);
      std::string x;
      while (std::getline(ss, x, ',')) idles.push_back(std::strtoul(x.c_str(), nullptr, 10));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--tasks N] [--workers a,b,c]\n", argv[0]);
      return 2;
    }
  }
  std::printf("## Handing out %zu tasks to idle workers (per task)\n\n", tasks);
  std::printf("| idle workers | variant | attempts | retries | wake-ups | futile wake-ups | context switches | seconds |\n");
  std::printf("|---:|---|---:|---:|---:|---:|---:|---:|\n");
  std::vector<figures> ours;
  for (std::size_t idle : idles) {
    figures p = run_pool(idle, tasks);
    figures n = run_naive(idle, tasks);
    ours.push_back(p);
    for (auto [name, f] : {std::pair<const char*, figures>{"stm::thread_pool", p}, {"naive shared list", n}})
      std::printf("| %zu | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.3f |\n", idle, name, f.attempts,
                  f.retries, f.wakeups, f.futile, f.csw, f.seconds);
  }
  const figures& first = ours.front();
  const figures& last = ours.back();
  std::printf("\nTargets at %zu idle workers: attempts <= 8 per task (%.2f: %s), retries <= 1.5 (%.2f: %s),\n"
              "within 1.5x of the %zu-worker figure (attempts %.2fx: %s, retries %.2fx: %s).\n",
              idles.back(), last.attempts, last.attempts <= 8 ? "met" : "MISSED", last.retries,
              last.retries <= 1.5 ? "met" : "MISSED", idles.front(), last.attempts / first.attempts,
              last.attempts <= 1.5 * first.attempts ? "met" : "MISSED", last.retries / first.retries,
              last.retries <= 1.5 * first.retries ? "met" : "MISSED");
  return 0;
}
