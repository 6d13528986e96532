// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// stm::fiber_executor against stm::thread_pool_executor and plain Boost.Fiber:
//
//   1. throughput: submit N tiny tasks (keeping their futures), then get
//      every result: fiber_executor(2), fiber_executor(1),
//      thread_pool_executor(2), and boost::fibers::async on one thread;
//   2. round trip: submit one tiny task and get its result, repeatedly
//      (median and p99 latency), same contenders;
//   3. ping-pong: two tasks hand a turn back and forth through a tvar (each
//      waits with retry until it is its turn): as two fiber tasks on a
//      fiber_executor(2), as two fiber tasks on a fiber_executor(1) (both
//      fibers on one thread), and as two std::threads. STM attempts,
//      retries and wake-ups per round trip come along.
//
// Every figure is the median of --rounds interleaved rounds (default and
// minimum 5) with min and max; ratios compare medians of this same run.
// Prints markdown tables; exits non-zero only if it cannot run or a result
// is wrong.
//
//   fibers [--quick] [--rounds R] [--csv FILE]
#include "common.hpp"

#include <boost/fiber/all.hpp>
#include <boost/stm.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using bench::clock_type;
using bench::seconds_since;
using bench::summarize;
using bench::summary;
using bench::with_commas;

namespace {

using bench::time_round_trips;
using bench::tiny;

bool failed = false;

template <class Submit>
double time_batch(std::size_t n, Submit submit) {  // thousand tasks/s, < 0 if wrong
  double s = bench::batch_seconds(n, submit);
  return s < 0 ? -1.0 : double(n) / s / 1e3;
}

template <class Ex>
auto stm_submit(Ex& ex) {
  return [&ex](int i) { return ex.submit(tiny, i); };
}

auto fibers_submit() {
  return [](int i) {
    return boost::fibers::async(boost::fibers::launch::post, std::allocator_arg,
                                boost::fibers::fixedsize_stack(64 * 1024), tiny, i);
  };
}

// boost::fibers::async makes its calling thread a fiber scheduler; keep
// that away from the main thread.
template <class F>
auto on_own_thread(F f) {
  decltype(f()) r{};
  std::thread([&] { r = f(); }).join();
  return r;
}

// A batch's throughput (thousand tasks/s, < 0 if a result was wrong) and
// the STM transactions it took per task (0 for a contender without STM).
struct batch_figures {
  double tput;
  double transactions;
};

struct contender {
  std::string name;
  std::function<batch_figures(std::size_t)> batch;
  std::function<std::vector<double>(std::size_t)> trips;
};

template <class Ex, class Arg>
contender executor_contender(std::string name, Arg arg) {
  return {std::move(name),
          [arg](std::size_t n) {
            Ex ex{arg};
            time_round_trips(10, stm_submit(ex));
            stm::stats s0 = stm::statistics();
            double t = time_batch(n, stm_submit(ex));
            stm::stats s1 = stm::statistics();
            return batch_figures{t, double(s1.transactions - s0.transactions) / double(n)};
          },
          [arg](std::size_t m) {
            Ex ex{arg};
            return time_round_trips(m, stm_submit(ex));
          }};
}

// ---- ping-pong ---------------------------------------------------------------

struct pong_figures {
  double us = 0, attempts = 0, retries = 0, wakeups = 0;
};

// `start(player)` runs player(0) and player(1) concurrently and returns once
// both have finished. Each player takes its turn `n` times.
template <class Start>
pong_figures ping_pong(long n, Start start) {
  stm::tvar<int> turn{0};
  auto player = [&turn, n](int me) {
    for (long i = 0; i < n; ++i)
      stm::atomically([&] {
        if (turn.get() != me) stm::retry();
        turn.set(1 - me);
      });
  };
  stm::stats s0 = stm::statistics();
  auto t0 = clock_type::now();
  start(player);
  double s = seconds_since(t0);
  stm::stats s1 = stm::statistics();
  if (turn.get() != 0) failed = true;
  double rt = double(n);  // one round trip: player 0's turn, then player 1's
  return {s * 1e6 / rt, double(s1.attempts - s0.attempts) / rt,
          double(s1.retries - s0.retries) / rt, double(s1.wakeups - s0.wakeups) / rt};
}

template <class Player>
void on_fiber_executor(std::size_t threads, Player& player) {
  stm::fiber_executor ex{threads};
  auto a = ex.submit([&] { player(0); });
  auto b = ex.submit([&] { player(1); });
  a.get();
  b.get();
}

template <class Player>
void on_threads(Player& player) {
  std::thread a([&] { player(0); });
  std::thread b([&] { player(1); });
  a.join();
  b.join();
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int rounds = 5;
  std::string csv_path;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--csv") && i + 1 < argc) {
      csv_path = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--rounds R] [--csv FILE]\n", argv[0]);
      return 2;
    }
  }
  const std::size_t tasks = quick ? 10000 : 100000;
  const std::size_t trips = quick ? 300 : 2000;
  const long pongs = quick ? 2000 : 20000;
  bench::csv csv(csv_path);

  std::vector<contender> cs;
  cs.push_back(executor_contender<stm::fiber_executor>("stm::fiber_executor(2)", std::size_t(2)));
  cs.push_back(executor_contender<stm::fiber_executor>("stm::fiber_executor(1)", std::size_t(1)));
  cs.push_back(
      executor_contender<stm::thread_pool_executor>("stm::thread_pool_executor(2)", std::size_t(2)));
  cs.push_back({"boost::fibers::async (1 thread)",
                [](std::size_t n) {
                  return batch_figures{
                      on_own_thread([n] { return time_batch(n, fibers_submit()); }), 0.0};
                },
                [](std::size_t m) {
                  return on_own_thread([m] { return time_round_trips(m, fibers_submit()); });
                }});

  std::vector<std::vector<double>> tput(cs.size()), txs(cs.size()), med(cs.size()), p99(cs.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t c = 0; c < cs.size(); ++c) {
      batch_figures b = cs[c].batch(tasks);
      if (b.tput < 0) {
        failed = true;
      } else {
        tput[c].push_back(b.tput);
        txs[c].push_back(b.transactions);
      }
      std::vector<double> us = cs[c].trips(trips);
      if (std::find_if(us.begin(), us.end(), [](double v) { return v < 0; }) != us.end()) {
        failed = true;
        continue;
      }
      med[c].push_back(bench::percentile(us, 50));
      p99[c].push_back(bench::percentile(us, 99));
    }

  std::printf("## fiber_executor\n\n%d interleaved rounds per figure (median, with min-max), %u "
              "hardware threads. Figures are comparable only within this run.\n\n",
              rounds, std::thread::hardware_concurrency());
  std::printf("### Throughput: %s tiny tasks with futures (thousand tasks/s)\n\n",
              with_commas(tasks).c_str());
  std::printf("| executor | median | min | max | vs stm::fiber_executor(2) | STM transactions per task |\n"
              "|---|---:|---:|---:|---:|---:|\n");
  std::vector<summary> t(cs.size());
  for (std::size_t c = 0; c < cs.size(); ++c) {
    t[c] = summarize(tput[c]);
    csv.row("fibers_tput", cs[c].name, double(tasks), t[c]);
    std::printf("| %s | %.1f | %.1f | %.1f | %.2fx | %.2f |\n", cs[c].name.c_str(), t[c].median,
                t[c].min, t[c].max, t[0].median > 0 ? t[c].median / t[0].median : 0.0,
                txs[c].empty() ? 0.0 : summarize(txs[c]).median);
  }
  std::printf("\n### Round trip: submit one tiny task, get its result (%s per round, microseconds)\n\n",
              with_commas(trips).c_str());
  std::printf("| executor | median | min-max of the median | p99 | min-max of the p99 | median vs stm::fiber_executor(2) |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  std::vector<summary> m(cs.size()), p(cs.size());
  for (std::size_t c = 0; c < cs.size(); ++c) {
    m[c] = summarize(med[c]);
    p[c] = summarize(p99[c]);
    csv.row("fibers_rt_median", cs[c].name, 0, m[c]);
    csv.row("fibers_rt_p99", cs[c].name, 0, p[c]);
    std::printf("| %s | %.1f | %.1f-%.1f | %.1f | %.1f-%.1f | %.2fx |\n", cs[c].name.c_str(),
                m[c].median, m[c].min, m[c].max, p[c].median, p[c].min, p[c].max,
                m[0].median > 0 ? m[c].median / m[0].median : 0.0);
  }
  std::fflush(stdout);

  // ---- ping-pong ----
  struct pong_contender {
    const char* name;
    std::function<pong_figures(long)> run;
  };
  std::vector<pong_contender> ps{
      {"2 fiber tasks, fiber_executor(2)",
       [](long n) { return ping_pong(n, [](auto& pl) { on_fiber_executor(2, pl); }); }},
      {"2 fiber tasks, fiber_executor(1)",
       [](long n) { return ping_pong(n, [](auto& pl) { on_fiber_executor(1, pl); }); }},
      {"2 std::threads", [](long n) { return ping_pong(n, [](auto& pl) { on_threads(pl); }); }}};
  std::vector<std::vector<pong_figures>> pf(ps.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t c = 0; c < ps.size(); ++c) pf[c].push_back(ps[c].run(pongs));
  std::printf("\n### Ping-pong through a tvar (%s round trips per round, per round trip)\n\n",
              with_commas(static_cast<std::size_t>(pongs)).c_str());
  std::printf("| players | microseconds | vs 2 std::threads | STM attempts | STM retries | STM wake-ups |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  auto pick = [](const std::vector<pong_figures>& v, double pong_figures::*f) {
    std::vector<double> x;
    for (const pong_figures& g : v) x.push_back(g.*f);
    return summarize(x);
  };
  const summary threads_us = pick(pf.back(), &pong_figures::us);
  for (std::size_t c = 0; c < ps.size(); ++c) {
    summary us = pick(pf[c], &pong_figures::us);
    csv.row("fibers_pingpong", ps[c].name, 0, us);
    std::printf("| %s | %s | %.2fx | %s | %s | %s |\n", ps[c].name, bench::cell(us, "%.2f").c_str(),
                threads_us.median > 0 ? us.median / threads_us.median : 0.0,
                bench::cell(pick(pf[c], &pong_figures::attempts), "%.2f").c_str(),
                bench::cell(pick(pf[c], &pong_figures::retries), "%.2f").c_str(),
                bench::cell(pick(pf[c], &pong_figures::wakeups), "%.2f").c_str());
  }
  std::printf("\nA round trip is two hand-offs (each player takes its turn once). With "
              "fiber_executor(2) the two fibers may share a thread or not, as the executor "
              "places them.\n\n");
  if (failed) std::fprintf(stderr, "fibers: a result was wrong\n");
  return failed ? 1 : 0;
}
