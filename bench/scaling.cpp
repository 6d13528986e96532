// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// How the STM core and the thread-pool executor scale with cores, against
// what a user would pick instead, all in one run on one machine:
//
//   R   read-mostly: 16 tvars holding a constant sum; each operation reads
//       all 16 (and checks the sum) or, every --write-every operations,
//       moves one unit between two of them. STM against std::shared_mutex
//       and one std::mutex. Also pure reads (no writer at all).
//   B   bank: transfers between A accounts (random pair, random amount),
//       A = 8, 64, 1024; STM against one global std::mutex and a mutex per
//       account (taken in address order). The total is checked at the end.
//   R and B also run GCC's transactional memory (__transaction_atomic,
//   libitm) where the compiler takes -fgnu-tm (see gnu_tm/gnu_tm.hpp), with
//   a second thread registered throughout so that libitm runs its STM.
//   E   executor throughput: N tiny tasks with futures from P producers
//       (1 and 4), submitted then all read, on W workers; ours (submit, and
//       map with one producer) against boost::asio::thread_pool (post +
//       std::promise) and oneTBB (task_arena::enqueue + std::promise, if
//       found at build time). The sum of the results is checked.
//
// Every workload is swept over --threads (threads, or workers for E). Every
// figure is the median of --rounds rounds, rounds interleaved (each
// contender once per round). A wrong sum, a torn read or a lost task makes
// the program exit 1. Prints markdown tables; with --csv FILE also rows
// "series,name,x,median,min,max" for plots.
//
// --threads defaults to 1, 2, 4, ... up to the machine's hardware threads.
//
//   scaling [--quick] [--threads 1,2,4,8,16] [--rounds R] [--ms T]
//           [--tasks N] [--only R|B|E] [--write-every K] [--csv FILE] [--sites]
//
// --sites (or BOOST_STM_CONFLICT_SITES=1) also prints, after each E table,
// the STM's restarts by conflict site (see stm::conflict_sites()) of the
// stm submit and map runs: which of the pool's tvars the transactions
// fought over, by number of workers.
#include "common.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/stm.hpp>

#if defined(BOOST_STM_HAVE_GNU_TM)
#include "gnu_tm/gnu_tm.hpp"
#endif
#if defined(BOOST_STM_HAVE_TBB)
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using bench::clock_type;
using bench::summarize;
using bench::summary;

namespace {

std::atomic<bool> failed{false};

void fail(const char* what) {
  std::fprintf(stderr, "scaling: WRONG RESULT: %s\n", what);
  failed = true;
}

using bench::padded;

// Runs `threads` threads for `ms` milliseconds, each calling op(rng) in a
// loop; returns million operations per second.
template <class Op>
double run_timed(unsigned threads, unsigned ms, Op op) {
  std::atomic<bool> stop{false};
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  std::vector<padded<std::uint64_t>> counts(threads);
  std::vector<std::thread> ts;
  for (unsigned t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      std::minstd_rand rng(t * 7919 + 1);
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      std::uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        for (int k = 0; k < 64; ++k) op(rng);
        n += 64;
      }
      counts[t].v = n;
    });
  while (ready.load() < threads) std::this_thread::yield();
  auto t0 = clock_type::now();
  go.store(true, std::memory_order_release);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  stop.store(true);
  for (auto& t : ts) t.join();
  double s = bench::seconds_since(t0);
  std::uint64_t total = 0;
  for (auto& c : counts) total += c.v;
  return double(total) / s / 1e6;
}

// 1, 2, 4, ... up to the machine's hardware threads, and that number.
std::vector<unsigned> default_threads() {
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  std::vector<unsigned> v;
  for (unsigned t = 1; t < hw; t *= 2) v.push_back(t);
  v.push_back(hw);
  return v;
}

struct options {
  std::vector<unsigned> threads = default_threads();
  unsigned rounds = 5;
  unsigned ms = 200;  // per R and B measurement
  std::size_t tasks = 200000;
  unsigned write_every = 100;
  std::string only;
  std::string csv;
};

struct contender {
  std::string name;
  std::function<double(unsigned threads)> run;  // a figure; negative: not run
};

// One table: a row per contender, a column per thread count, the figure's
// median (min-max) and, for each contender after the first, its median over
// the reference's (`ref`, an index) in the last rows.
void sweep(const char* title, const char* unit, const options& o, std::vector<contender>& cs,
           std::size_t ref, bench::csv& out, const char* series) {
  std::vector<std::vector<std::vector<double>>> fig(
      cs.size(), std::vector<std::vector<double>>(o.threads.size()));
  for (unsigned r = 0; r < o.rounds; ++r)
    for (std::size_t ti = 0; ti < o.threads.size(); ++ti)
      for (std::size_t c = 0; c < cs.size(); ++c) {
        double v = cs[c].run(o.threads[ti]);
        if (v >= 0) fig[c][ti].push_back(v);
      }
  std::printf("\n### %s\n\n%s, median (min-max) of %u rounds.\n\n| contender |", title, unit,
              o.rounds);
  for (unsigned t : o.threads) std::printf(" %u |", t);
  std::printf("\n|---|");
  for (std::size_t i = 0; i < o.threads.size(); ++i) std::printf("---|");
  std::printf("\n");
  std::vector<std::vector<summary>> sum(cs.size());
  for (std::size_t c = 0; c < cs.size(); ++c) {
    std::printf("| %s |", cs[c].name.c_str());
    for (std::size_t ti = 0; ti < o.threads.size(); ++ti) {
      sum[c].push_back(summarize(fig[c][ti]));
      std::printf(" %s |", bench::cell(sum[c][ti], "%.3g").c_str());
      out.row(series, cs[c].name, o.threads[ti], sum[c][ti]);
    }
    std::printf("\n");
  }
  for (std::size_t c = 0; c < cs.size(); ++c) {
    if (c == ref) continue;
    std::printf("| %s / %s |", cs[ref].name.c_str(), cs[c].name.c_str());
    for (std::size_t ti = 0; ti < o.threads.size(); ++ti) {
      if (sum[c][ti].valid && sum[ref][ti].valid && sum[c][ti].median > 0)
        std::printf(" %.2fx |", sum[ref][ti].median / sum[c][ti].median);
      else
        std::printf(" - |");
    }
    std::printf("\n");
  }
  std::fflush(stdout);
}

// ---- R: read-mostly ------------------------------------------------------------

constexpr int n_vars = 16;
constexpr long per_var = 1000;

struct stm_vars {
  // Each tvar on a line of its own, as a user laying out hot data would.
  padded<stm::tvar<long>> v[n_vars];
  stm_vars() {
    for (auto& p : v) p.v.set(per_var);
  }
  long read() {
    return stm::atomically([&] {
      long s = 0;
      for (auto& p : v) s += p.v.get();
      return s;
    });
  }
  void move(int a, int b) {
    stm::atomically([&] {
      v[a].v.set(v[a].v.get() - 1);
      v[b].v.set(v[b].v.get() + 1);
    });
  }
};

template <class Mutex, bool Shared>
struct locked_vars {
  Mutex m;
  padded<long> v[n_vars];
  locked_vars() {
    for (auto& p : v) p.v = per_var;
  }
  long read() {
    auto sum = [&] {
      long s = 0;
      for (auto& p : v) s += p.v;
      return s;
    };
    if constexpr (Shared) {
      std::shared_lock<Mutex> g(m);
      return sum();
    } else {
      std::lock_guard<Mutex> g(m);
      return sum();
    }
  }
  void move(int a, int b) {
    std::lock_guard<Mutex> g(m);
    --v[a].v;
    ++v[b].v;
  }
};

#if defined(BOOST_STM_HAVE_GNU_TM)
struct gnu_tm_vars {
  gnu_tm::cells c{n_vars, per_var};
  long read() { return c.sum(); }
  void move(int a, int b) { c.transfer(std::size_t(a), std::size_t(b), 1); }
};
#endif

template <class Vars>
double read_mostly(unsigned threads, unsigned ms, unsigned write_every) {
  auto vars = std::make_unique<Vars>();
  double mops = run_timed(threads, ms, [&](std::minstd_rand& rng) {
    if (write_every && rng() % write_every == 0) {
      int a = int(rng() % n_vars), b = int((a + 1 + rng() % (n_vars - 1)) % n_vars);
      vars->move(a, b);
    } else if (vars->read() != n_vars * per_var) {
      fail("a read-mostly reader saw a torn sum");
    }
  });
  if (vars->read() != n_vars * per_var) fail("the read-mostly sum changed");
  return mops;
}

// ---- B: bank -------------------------------------------------------------------

constexpr long initial_balance = 1000;

struct stm_bank {
  std::vector<std::unique_ptr<padded<stm::tvar<long>>>> acc;
  explicit stm_bank(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      acc.push_back(std::make_unique<padded<stm::tvar<long>>>());
      acc.back()->v.set(initial_balance);
    }
  }
  void transfer(std::size_t a, std::size_t b, long x) {
    stm::atomically([&] {
      stm::tvar<long>& from = acc[a]->v;
      stm::tvar<long>& to = acc[b]->v;
      from.set(from.get() - x);
      to.set(to.get() + x);
    });
  }
  long total() {
    return stm::atomically([&] {
      long s = 0;
      for (auto& p : acc) s += p->v.get();
      return s;
    });
  }
};

struct global_mutex_bank {
  std::mutex m;
  std::vector<padded<long>> acc;
  explicit global_mutex_bank(std::size_t n) : acc(n, padded<long>{initial_balance}) {}
  void transfer(std::size_t a, std::size_t b, long x) {
    std::lock_guard<std::mutex> g(m);
    acc[a].v -= x;
    acc[b].v += x;
  }
  long total() {
    long s = 0;
    for (auto& p : acc) s += p.v;
    return s;
  }
};

struct mutex_per_account_bank {
  struct alignas(64) account {
    std::mutex m;
    long balance = initial_balance;
  };
  std::vector<std::unique_ptr<account>> acc;
  explicit mutex_per_account_bank(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) acc.push_back(std::make_unique<account>());
  }
  void transfer(std::size_t a, std::size_t b, long x) {
    account* p = acc[a].get();
    account* q = acc[b].get();
    std::scoped_lock g(p->m, q->m);  // deadlock-free for any order
    p->balance -= x;
    q->balance += x;
  }
  long total() {
    long s = 0;
    for (auto& p : acc) s += p->balance;
    return s;
  }
};

#if defined(BOOST_STM_HAVE_GNU_TM)
struct gnu_tm_bank {
  gnu_tm::cells c;
  explicit gnu_tm_bank(std::size_t n) : c(n, initial_balance) {}
  void transfer(std::size_t a, std::size_t b, long x) { c.transfer(a, b, x); }
  long total() { return c.sum(); }
};
#endif

template <class Bank>
double bank(unsigned threads, unsigned ms, std::size_t accounts) {
  auto b = std::make_unique<Bank>(accounts);
  double mops = run_timed(threads, ms, [&](std::minstd_rand& rng) {
    std::size_t from = rng() % accounts;
    std::size_t to = (from + 1 + rng() % (accounts - 1)) % accounts;
    b->transfer(from, to, long(rng() % 10));
  });
  if (b->total() != long(accounts) * initial_balance) fail("the bank's total changed");
  return mops;
}

// ---- E: executor throughput -------------------------------------------------------

// Seconds for `producers` threads to submit n tasks between them (keeping the
// futures), then read every result; negative (and a failure) on a wrong sum.
template <class Submit>
double produce(std::size_t n, unsigned producers, Submit submit) {
  using future_type = decltype(submit(0));
  std::vector<std::vector<future_type>> fs(producers);
  std::atomic<long long> sum{0};
  auto t0 = clock_type::now();
  std::vector<std::thread> ts;
  for (unsigned p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      std::size_t lo = n * p / producers, hi = n * (p + 1) / producers;
      fs[p].reserve(hi - lo);
      for (std::size_t i = lo; i < hi; ++i) fs[p].push_back(submit(int(i)));
      long long s = 0;
      for (auto& f : fs[p]) s += f.get();
      sum += s;
    });
  for (auto& t : ts) t.join();
  double s = bench::seconds_since(t0);
  if (sum.load() != bench::expected_sum(n)) {
    fail("an executor lost or corrupted a task");
    return -1;
  }
  return s;
}

// --sites: the conflict sites (stm/stats.hpp) of the stm runs, restarts by
// site name and number of workers, summed over the rounds. Taken while the
// executor still lives, since its names go with it; a worker's tvars count
// under one name for all workers, tvars nobody named (the futures, mostly)
// under "(unnamed)".
struct site_table {
  std::map<std::string, std::map<unsigned, std::uint64_t>> restarts;  // name -> workers -> n
  std::map<unsigned, std::uint64_t> tasks;                             // workers -> tasks
};
std::map<std::string, site_table> g_sites;  // "stm submit", "stm map"

void start_sites() {
  if (stm::recording_conflict_sites()) stm::clear_conflict_sites();
}

void take_sites(const char* kind, unsigned workers, std::size_t tasks) {
  if (!stm::recording_conflict_sites()) return;
  site_table& t = g_sites[kind];
  t.tasks[workers] += tasks;
  for (const stm::conflict_site& s : stm::conflict_sites(std::size_t(-1))) {
    std::string name = s.name.empty() ? "(unnamed)" : s.name;
    if (name.rfind("thread_pool.worker_", 0) == 0) {
      std::size_t plus = name.find('+');
      name = "thread_pool.worker_*" + (plus == std::string::npos ? "" : name.substr(plus));
    }
    t.restarts[name][workers] += s.restarts();
  }
  stm::clear_conflict_sites();
}

void print_sites(const char* kind) {
  auto it = g_sites.find(kind);
  if (it == g_sites.end()) return;
  const site_table& t = it->second;
  std::vector<std::pair<std::uint64_t, std::string>> order;
  for (const auto& [name, by] : t.restarts) {
    std::uint64_t sum = 0;
    for (const auto& [w, n] : by) sum += n;
    order.emplace_back(sum, name);
  }
  std::sort(order.rbegin(), order.rend());
  if (order.size() > 10) order.resize(10);
  std::printf("\n%s, restarts per 1,000 tasks by conflict site (the tvar that had changed; "
              "thread_pool.tasks+N is the task list's tvar at offset N), by workers:\n\n| site |",
              kind);
  for (const auto& [w, n] : t.tasks) std::printf(" %u |", w);
  std::printf("\n|---|");
  for (std::size_t i = 0; i < t.tasks.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (const auto& [sum, name] : order) {
    std::printf("| %s |", name.c_str());
    const auto& by = t.restarts.at(name);
    for (const auto& [w, n] : t.tasks) {
      auto f = by.find(w);
      std::printf(" %.2f |", f == by.end() ? 0.0 : 1000.0 * double(f->second) / double(n));
    }
    std::printf("\n");
  }
  std::fflush(stdout);
  g_sites.erase(it);
}

double stm_submit(std::size_t n, unsigned workers, unsigned producers) {
  stm::thread_pool_executor ex{workers};
  for (int i = 0; i < 20; ++i) (void)ex.submit(bench::tiny, i).get();
  start_sites();
  double s = produce(n, producers, [&](int i) { return ex.submit(bench::tiny, i); });
  take_sites("stm submit", workers, n);
  return s;
}

double stm_map(std::size_t n, unsigned workers) {
  stm::thread_pool_executor ex{workers};
  for (int i = 0; i < 20; ++i) (void)ex.submit(bench::tiny, i).get();
  std::vector<int> in(n);
  for (std::size_t i = 0; i < n; ++i) in[i] = int(i);
  auto t0 = clock_type::now();
  long long sum = 0;
  start_sites();
  for (int r : ex.map(bench::tiny, in)) sum += r;
  double s = bench::seconds_since(t0);
  take_sites("stm map", workers, n);
  if (sum != bench::expected_sum(n)) {
    fail("map lost or corrupted a task");
    return -1;
  }
  return s;
}

double asio_submit(std::size_t n, unsigned workers, unsigned producers) {
  boost::asio::thread_pool pool{workers};
  return produce(n, producers, [&](int i) {
    std::promise<int> p;
    std::future<int> f = p.get_future();
    boost::asio::post(pool, [p = std::move(p), i]() mutable { p.set_value(bench::tiny(i)); });
    return f;
  });
}

#if defined(BOOST_STM_HAVE_TBB)
double tbb_enqueue(std::size_t n, unsigned workers, unsigned producers) {
  tbb::task_arena arena(int(workers), 0);  // no slot reserved for the producers
  arena.initialize();
  return produce(n, producers, [&](int i) {
    auto p = std::make_shared<std::promise<int>>();
    std::future<int> f = p->get_future();
    arena.enqueue([p, i] { p->set_value(bench::tiny(i)); });
    return f;
  });
}
#endif

// The STM's work per task of the stm submit runs at one worker count, summed
// over the rounds: transactions include the submits, the workers' takes and
// completions and the dispatcher's watcher runs.
struct per_task {
  std::uint64_t tasks = 0, transactions = 0, attempts = 0, restarts = 0, wakeups = 0,
                sleeps = 0, watcher_runs = 0, serial_runs = 0;
  void add(const stm::stats& a, const stm::stats& b, std::size_t n) {
    tasks += n;
    transactions += b.transactions - a.transactions;
    attempts += b.attempts - a.attempts;
    restarts += b.restarts - a.restarts;
    wakeups += b.wakeups - a.wakeups;
    sleeps += b.sleeps - a.sleeps;
    watcher_runs += b.watcher_runs - a.watcher_runs;
    serial_runs += b.serial_runs - a.serial_runs;
  }
};

void print_costs(const char* name, const std::map<unsigned, per_task>& costs) {
  std::printf("\n%s, per task (all rounds):\n\n| workers | transactions | attempts | "
              "restarts | wake-ups | sleeps | watcher runs | serial runs |\n"
              "|---|---|---|---|---|---|---|---|\n",
              name);
  for (const auto& [w, c] : costs) {
    if (c.tasks == 0) continue;
    double n = double(c.tasks);
    std::printf("| %u | %.2f | %.2f | %.3f | %.3f | %.3f | %.2f | %.4f |\n", w,
                c.transactions / n, c.attempts / n, c.restarts / n, c.wakeups / n, c.sleeps / n,
                c.watcher_runs / n, c.serial_runs / n);
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "scaling: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick") {
      o.rounds = 3;
      o.ms = 60;
      o.tasks = 20000;
      o.threads = {1, 2};
    } else if (a == "--threads") o.threads = bench::parse_counts<unsigned>("scaling", "--threads", next());
    else if (a == "--rounds") o.rounds = std::max(1u, unsigned(std::atoi(next())));
    else if (a == "--ms") o.ms = std::max(1u, unsigned(std::atoi(next())));
    else if (a == "--tasks") o.tasks = std::size_t(std::atoll(next()));
    else if (a == "--write-every") o.write_every = unsigned(std::atoi(next()));
    else if (a == "--only") o.only = next();
    else if (a == "--csv") o.csv = next();
    else if (a == "--sites") stm::record_conflict_sites(true);
    else {
      std::fprintf(stderr,
                   "usage: scaling [--quick] [--threads 1,2,4] [--rounds R] [--ms T] "
                   "[--tasks N] [--only R|B|E] [--write-every K] [--csv FILE] [--sites]\n");
      return 2;
    }
  }
  bench::csv out(o.csv);
#if defined(BOOST_STM_HAVE_GNU_TM)
  // libitm's STM for every GCC TM figure, the first one included (see
  // gnu_tm::second_thread).
  gnu_tm::second_thread gnu_tm_registered;
#endif
  auto want = [&](const char* w) { return o.only.empty() || o.only.find(w) != std::string::npos; };
  std::printf("## Scaling (%u hardware threads)\n", std::thread::hardware_concurrency());

  if (want("R")) {
    for (unsigned we : {o.write_every, 0u}) {
      std::vector<contender> cs{
          {"stm::atomically", [&](unsigned t) { return read_mostly<stm_vars>(t, o.ms, we); }},
          {"std::shared_mutex",
           [&](unsigned t) { return read_mostly<locked_vars<std::shared_mutex, true>>(t, o.ms, we); }},
          {"std::mutex",
           [&](unsigned t) { return read_mostly<locked_vars<std::mutex, false>>(t, o.ms, we); }}};
#if defined(BOOST_STM_HAVE_GNU_TM)
      cs.push_back({"GCC TM", [&](unsigned t) { return read_mostly<gnu_tm_vars>(t, o.ms, we); }});
#endif
      std::string title = we ? "R: read 16 tvars, 1 in " + std::to_string(we) + " operations a transfer"
                             : std::string("R: read 16 tvars, no writer");
      sweep(title.c_str(), "Million operations per second over all threads", o, cs, 0, out,
            we ? "read_mostly" : "read_only");
    }
  }
  if (want("B")) {
    for (std::size_t accounts : {std::size_t(8), std::size_t(64), std::size_t(1024)}) {
      std::vector<contender> cs{
          {"stm::atomically", [&](unsigned t) { return bank<stm_bank>(t, o.ms, accounts); }},
          {"global mutex", [&](unsigned t) { return bank<global_mutex_bank>(t, o.ms, accounts); }},
          {"mutex per account",
           [&](unsigned t) { return bank<mutex_per_account_bank>(t, o.ms, accounts); }}};
#if defined(BOOST_STM_HAVE_GNU_TM)
      cs.push_back({"GCC TM", [&](unsigned t) { return bank<gnu_tm_bank>(t, o.ms, accounts); }});
#endif
      std::string title = "B: bank, " + std::to_string(accounts) + " accounts";
      std::string series = "bank" + std::to_string(accounts);
      sweep(title.c_str(), "Million transfers per second over all threads", o, cs, 0, out,
            series.c_str());
    }
  }
  if (want("E")) {
    for (unsigned producers : {1u, 4u}) {
      auto rate = [&](double s) { return s > 0 ? double(o.tasks) / s / 1e3 : -1.0; };
      // What the STM did per task in the stm submit and map runs, by
      // workers: where a many-core run loses its time (conflicts, wake-ups,
      // serial runs).
      std::map<unsigned, per_task> costs, map_costs;
      std::vector<contender> cs{{"stm submit", [&](unsigned w) {
                                   stm::stats before = stm::statistics();
                                   double r = rate(stm_submit(o.tasks, w, producers));
                                   costs[w].add(before, stm::statistics(), o.tasks);
                                   return r;
                                 }}};
      if (producers == 1)
        cs.push_back({"stm map", [&](unsigned w) {
                        stm::stats before = stm::statistics();
                        double r = rate(stm_map(o.tasks, w));
                        map_costs[w].add(before, stm::statistics(), o.tasks);
                        return r;
                      }});
      cs.push_back({"asio post+promise",
                    [&](unsigned w) { return rate(asio_submit(o.tasks, w, producers)); }});
#if defined(BOOST_STM_HAVE_TBB)
      cs.push_back({"tbb enqueue+promise",
                    [&](unsigned w) { return rate(tbb_enqueue(o.tasks, w, producers)); }});
#endif
      std::string title = "E: " + bench::with_commas(o.tasks) + " tiny tasks with futures, " +
                          std::to_string(producers) + " producer" + (producers > 1 ? "s" : "") +
                          ", by workers";
      std::string series = "executor_p" + std::to_string(producers);
      sweep(title.c_str(), "Thousand tasks per second", o, cs, 0, out, series.c_str());
      print_costs("stm submit", costs);
      if (!map_costs.empty()) print_costs("stm map", map_costs);
      print_sites("stm submit");
      print_sites("stm map");
    }
  }
  stm::stats s = stm::statistics();
  std::printf("\nSTM over the whole run: %llu transactions, %llu attempts, %llu restarts, "
              "%llu retries, %llu wake-ups (%llu futile, %llu after a sleep), %llu serial runs.\n",
              (unsigned long long)s.transactions, (unsigned long long)s.attempts,
              (unsigned long long)s.restarts, (unsigned long long)s.retries,
              (unsigned long long)s.wakeups, (unsigned long long)s.futile_wakeups,
              (unsigned long long)s.sleeps, (unsigned long long)s.serial_runs);
  if (failed) {
    std::printf("\nFAILED: a wrong result (see stderr).\n");
    return 1;
  }
  return 0;
}
