// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The STM core against a std::mutex doing the same work:
//
//   uncontended read-only transaction on one tvar    vs lock + read
//   uncontended read-modify-write of 1 and 4 tvars   vs lock + increments
//   bank transfers between 64 accounts, 2 threads    vs one global mutex
//                                                    (and, for reference, vs
//                                                    a mutex per account)
//   read-modify-write with 1,000 watchers on other tvars vs with none
//
// Every figure is the median of several rounds, with min and max; the rounds
// of all cases are interleaved, so that a slow period of the machine hits
// every case alike, and every ratio compares figures of this run. Prints
// markdown tables, then where each target stands. Exits 0 unless a result
// is wrong (the bank's total).
//
//   core [--quick] [--rounds R] [--ms M]   (M: milliseconds per figure)
#include "common.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/watch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using steady = std::chrono::steady_clock;

namespace {

double g_budget_ms = 50;
double budget_ms() { return g_budget_ms; }

// Keeps results alive without a lock or a fence.
std::atomic<long> g_sink{0};
void consume(long v) { g_sink.store(v, std::memory_order_relaxed); }

// ns per operation of op(n) (which performs n operations), for a run of
// about budget_ms() (the batch size is calibrated once).
struct timer {
  long batch = 0;
  double ns_per_op(const std::function<void(long)>& op) {
    if (batch == 0) {
      batch = 1000;
      for (;;) {
        auto t0 = steady::now();
        op(batch);
        double ms = std::chrono::duration<double, std::milli>(steady::now() - t0).count();
        if (ms > budget_ms() / 10) {
          batch = long(double(batch) * budget_ms() / ms);
          break;
        }
        batch *= 4;
      }
    }
    auto t0 = steady::now();
    op(batch);
    double ns = std::chrono::duration<double, std::nano>(steady::now() - t0).count();
    return ns / double(batch);
  }
};

struct figure {
  std::vector<double> samples;
  bench::summary get() const { return bench::summarize(samples); }
  double median() const { return get().median; }
};

struct bench_case {
  std::string name;
  std::function<void(long)> op;  // n operations (single-threaded cases)
  std::function<double()> custom;  // or: returns ns per operation itself
  timer t;
  figure f;
  double run() { return custom ? custom() : t.ns_per_op(op); }
};

// ---- the cases ------------------------------------------------------------------------

struct single_thread_cases {
  stm::tvar<long> a{1}, b{2}, c{3}, d{4};
  std::mutex m;
  long ma = 1, mb = 2, mc = 3, md = 4;

  void stm_read(long n) {
    long s = 0;
    for (long i = 0; i < n; ++i) s += stm::atomically([&] { return a.get(); });
    consume(s);
  }
  void mutex_read(long n) {
    long s = 0;
    for (long i = 0; i < n; ++i) {
      std::lock_guard<std::mutex> g(m);
      s += ma;
    }
    consume(s);
  }
  void stm_rmw1(long n) {
    for (long i = 0; i < n; ++i) stm::atomically([&] { a.set(a.get() + 1); });
  }
  void mutex_rmw1(long n) {
    for (long i = 0; i < n; ++i) {
      std::lock_guard<std::mutex> g(m);
      ++ma;
    }
    consume(ma);
  }
  void stm_rmw4(long n) {
    for (long i = 0; i < n; ++i)
      stm::atomically([&] {
        a.set(a.get() + 1);
        b.set(b.get() + 1);
        c.set(c.get() + 1);
        d.set(d.get() + 1);
      });
  }
  void mutex_rmw4(long n) {
    for (long i = 0; i < n; ++i) {
      std::lock_guard<std::mutex> g(m);
      ++ma;
      ++mb;
      ++mc;
      ++md;
    }
    consume(ma + mb + mc + md);
  }
};

// Read-modify-write of one tvar while `watchers` watches sit on other tvars.
struct watched_rmw {
  stm::tvar<long> target{0};
  std::vector<std::unique_ptr<stm::tvar<long>>> others;
  std::vector<stm::watch_handle> handles;
  explicit watched_rmw(int watchers) {
    for (int i = 0; i < watchers; ++i) {
      others.push_back(std::make_unique<stm::tvar<long>>(i));
      stm::tvar<long>& o = *others.back();
      handles.push_back(stm::atomically_watch([&o] { return o.get(); }, [](long) {}));
    }
  }
  void run(long n) {
    for (long i = 0; i < n; ++i) stm::atomically([&] { target.set(target.get() + 1); });
  }
};

// Two threads making random transfers between accounts; returns ns per
// transfer (wall time / total transfers).
constexpr int bank_accounts = 64;

template <class Transfer>
double two_thread_bank(long per_thread, Transfer transfer) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  auto worker = [&](unsigned seed) {
    std::mt19937 rng(seed);
    ++ready;
    while (!go.load()) std::this_thread::yield();
    for (long i = 0; i < per_thread; ++i) {
      unsigned r = rng();
      int from = int(r % bank_accounts), to = int((r >> 8) % bank_accounts);
      transfer(from, to, long((r >> 16) % 10));
    }
  };
  std::thread t1(worker, 1u), t2(worker, 2u);
  while (ready.load() < 2) std::this_thread::yield();
  auto t0 = steady::now();
  go = true;
  t1.join();
  t2.join();
  double ns = std::chrono::duration<double, std::nano>(steady::now() - t0).count();
  return ns / double(2 * per_thread);
}

struct bank_cases {
  std::vector<std::unique_ptr<stm::tvar<long>>> accounts;
  std::vector<long> plain = std::vector<long>(bank_accounts, 1000);
  std::mutex m;
  long per_thread = 0;
  bank_cases() {
    for (int i = 0; i < bank_accounts; ++i)
      accounts.push_back(std::make_unique<stm::tvar<long>>(1000));
  }
  void calibrate() {
    // About budget_ms() for the mutex version.
    per_thread = 10000;
    for (;;) {
      double ns = mutex_run();
      double ms = ns * double(2 * per_thread) / 1e6;
      if (ms > budget_ms() / 10) {
        per_thread = long(double(per_thread) * budget_ms() / ms);
        return;
      }
      per_thread *= 4;
    }
  }
  double stm_run() {
    return two_thread_bank(per_thread, [&](int from, int to, long amount) {
      stm::atomically([&] {
        long f = accounts[std::size_t(from)]->get();
        if (f < amount) return;
        accounts[std::size_t(from)]->set(f - amount);
        accounts[std::size_t(to)]->set(accounts[std::size_t(to)]->get() + amount);
      });
    });
  }
  double mutex_run() {
    return two_thread_bank(per_thread, [&](int from, int to, long amount) {
      std::lock_guard<std::mutex> g(m);
      if (plain[std::size_t(from)] < amount) return;
      plain[std::size_t(from)] -= amount;
      plain[std::size_t(to)] += amount;
    });
  }
  // Fine-grained locking, for reference: what any scheme that lets the two
  // threads really run in parallel pays for moving the accounts' cache
  // lines between cores. Each account is allocated apart, like a tvar.
  struct locked_account {
    std::mutex m;
    long v = 1000;
  };
  std::vector<std::unique_ptr<locked_account>> locked = [] {
    std::vector<std::unique_ptr<locked_account>> v;
    for (int i = 0; i < bank_accounts; ++i) v.push_back(std::make_unique<locked_account>());
    return v;
  }();
  double per_account_run() {
    return two_thread_bank(per_thread, [&](int from, int to, long amount) {
      if (from == to) return;
      locked_account& a = *locked[std::size_t(std::min(from, to))];
      locked_account& b = *locked[std::size_t(std::max(from, to))];
      std::scoped_lock g(a.m, b.m);
      locked_account& f = from < to ? a : b;
      locked_account& t = from < to ? b : a;
      if (f.v < amount) return;
      f.v -= amount;
      t.v += amount;
    });
  }
  long per_account_total() {
    long s = 0;
    for (auto& a : locked) s += a->v;
    return s;
  }
  long stm_total() {
    return stm::atomically([&] {
      long s = 0;
      for (auto& a : accounts) s += a->get();
      return s;
    });
  }
};

// ---- reporting ----------------------------------------------------------------------

void row(const char* what, const figure& f) {
  bench::summary s = f.get();
  std::printf("| %-42s | %8.1f | %8.1f | %8.1f | %9.2f |\n", what, s.median, s.min, s.max,
              1e3 / s.median);
}

struct target {
  std::string what;
  double ratio;
  double limit;
  bool lower_is_better;  // ratio must be <= limit (else >= limit)
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = 7;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      rounds = 5;
      g_budget_ms = 15;
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else if (a == "--ms" && i + 1 < argc) {
      g_budget_ms = std::max(1.0, std::atof(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--rounds R] [--ms M]\n", argv[0]);
      return 2;
    }
  }

  single_thread_cases st;
  watched_rmw w0(0), w1000(1000);
  bank_cases bank;
  bank.calibrate();

  std::vector<bench_case> cases;
  cases.push_back({"stm read-only, 1 tvar", [&](long n) { st.stm_read(n); }, {}, {}, {}});
  cases.push_back({"mutex read, 1 variable", [&](long n) { st.mutex_read(n); }, {}, {}, {}});
  cases.push_back({"stm read-modify-write, 1 tvar", [&](long n) { st.stm_rmw1(n); }, {}, {}, {}});
  cases.push_back({"mutex read-modify-write, 1 variable", [&](long n) { st.mutex_rmw1(n); }, {}, {}, {}});
  cases.push_back({"stm read-modify-write, 4 tvars", [&](long n) { st.stm_rmw4(n); }, {}, {}, {}});
  cases.push_back({"mutex read-modify-write, 4 variables", [&](long n) { st.mutex_rmw4(n); }, {}, {}, {}});
  cases.push_back({"stm bank transfer, 2 threads", {}, [&] { return bank.stm_run(); }, {}, {}});
  cases.push_back({"global mutex bank transfer, 2 threads", {}, [&] { return bank.mutex_run(); }, {}, {}});
  cases.push_back({"stm rmw, 0 watchers elsewhere", [&](long n) { w0.run(n); }, {}, {}, {}});
  cases.push_back({"stm rmw, 1,000 watchers on other tvars", [&](long n) { w1000.run(n); }, {}, {}, {}});
  cases.push_back({"mutex per account bank transfer, 2 threads", {}, [&] { return bank.per_account_run(); }, {}, {}});

  for (bench_case& c : cases) c.run();  // warm-up and calibration
  for (int r = 0; r < rounds; ++r)
    for (bench_case& c : cases) c.f.samples.push_back(c.run());

  std::printf("## STM core against std::mutex\n\n");
  std::printf("%d interleaved rounds, about %.0f ms per figure; %u hardware threads. "
              "Time per operation in ns (median, min, max over the rounds) and the median "
              "throughput in millions of operations per second. The 2-thread bank figures "
              "are wall time divided by the transfers of both threads.\n\n",
              rounds, budget_ms(), std::thread::hardware_concurrency());
  std::printf("| case | ns/op | min | max | Mops/s |\n|---|---:|---:|---:|---:|\n");
  for (bench_case& c : cases) row(c.name.c_str(), c.f);

  auto ratio = [&](int i, int j) { return cases[i].f.median() / cases[j].f.median(); };
  // Throughput ratio of the bank: stm ops/s over mutex ops/s.
  double bank_ratio = cases[7].f.median() / cases[6].f.median();
  std::vector<target> targets{
      {"read-only transaction vs mutex (time ratio)", ratio(0, 1), 2.0, true},
      {"read-modify-write, 1 tvar vs mutex (time ratio)", ratio(2, 3), 5.0, true},
      {"read-modify-write, 4 tvars vs mutex (time ratio)", ratio(4, 5), 5.0, true},
      {"contended bank, 2 threads: stm / mutex throughput", bank_ratio, 1.0, false},
      {"rmw with 1,000 unrelated watchers / without (time ratio)", ratio(9, 8), 1.10, true},
  };
  std::printf("\n## Targets (ratios of medians from this run)\n\n");
  std::printf("| target | ratio | limit | status |\n|---|---:|---:|---|\n");
  for (const target& t : targets) {
    bool met = t.lower_is_better ? t.ratio <= t.limit : t.ratio >= t.limit;
    std::printf("| %-58s | %6.2f | %s %4.2f | %s |\n", t.what.c_str(), t.ratio,
                t.lower_is_better ? "<=" : ">=", t.limit, met ? "met" : "NOT met");
  }
  std::printf("\nFor reference (not a target): a mutex per account, locked in index order, "
              "moves %.2f times the transfers of one global mutex on these 2 threads, and "
              "%.2f times those of the STM.\n",
              cases[7].f.median() / cases[10].f.median(), cases[6].f.median() / cases[10].f.median());
  long got = bank.stm_total(), locked = bank.per_account_total();
  std::printf("\nBank totals after all rounds: STM %ld, mutex per account %ld (each must be %ld).\n",
              got, locked, 1000L * bank_accounts);
  return got == 1000L * bank_accounts && locked == 1000L * bank_accounts ? 0 : 1;
}
