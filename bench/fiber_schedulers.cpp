// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Which Boost.Fiber scheduling algorithm fiber_executor's threads should
// run: the same fibers on 2 OS threads under
//
//   round_robin        one ready queue per thread, fibers never move (what
//                      fiber_executor uses);
//   shared_work        one ready queue for the whole process; idle threads
//                      sleep (suspend = true) or spin (suspend = false);
//   work_stealing      a queue per thread, an idle thread steals from the
//                      others; idle threads sleep or spin, likewise.
//
// Workloads (fibers are launched by the threads themselves, as
// fiber_executor's pumps do; the clock runs from the start command to the
// last fiber's end):
//
//   tiny       each thread launches N/2 fibers that do almost nothing,
//              yielding after each launch as fiber_executor's pumps do;
//   bulk       the same, launched without yielding (all alive at once);
//   imbalance  one thread launches every fiber, each ~10 us of computing,
//              the other thread launches nothing;
//   burst-cv   M fibers (M/2 per thread) wait on one
//              boost::fibers::condition_variable; one notify_all releases
//              them; the clock runs from the notify;
//   burst-stm  M fibers wait in stm::retry() on one tvar; one commit from
//              another thread releases them. Each fiber notes on which
//              thread its transaction's first and last attempts ran: a fiber
//              that moved while parked in retry() resumes its transaction on
//              another thread, and the table counts how many did. Every
//              fiber then commits an increment, and the total is checked.
//
// Reference rows: stm::fiber_executor(2) itself for tiny (submitted from
// outside, with futures) and burst-stm (tasks blocked in retry()); for
// imbalance, the same computing on 1 and on 2 plain std::threads, which
// bounds what moving fibers between the 2 threads can gain on this machine.
//
// Boost 1.74's work_stealing keeps its schedulers in a static array sized by
// the first group constructed (std::call_once) and a static barrier: a
// process can have one work_stealing group, ever. So every group here lives
// for the whole run, and the work_stealing group has 4 threads: 2 that sleep
// when idle and 2 that spin, used 2 at a time. Between commands a group's
// threads block on a std::condition_variable in their main context, so an
// idle spinning group does not take the CPU from the others.
//
// Every figure is the median of --rounds interleaved rounds (at least 5)
// with min and max. Prints markdown tables; exits non-zero only if it
// cannot run or a result is wrong.
//
//   fiber_schedulers [--quick] [--rounds R]
#include "common.hpp"

#include <boost/fiber/all.hpp>
#include <boost/stm.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using bench::clock_type;
using bench::summarize;
using bench::summary;
using bench::with_commas;

namespace {

bool failed = false;

// Counts fibers down; the last one notes the time and wakes the waiters
// (fiber-aware: a thread's main context waiting here keeps its scheduler
// running).
class countdown {
public:
  explicit countdown(long n) : left_(n) {}
  void done() {
    if (left_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::unique_lock<boost::fibers::mutex> lk(m_);
    end_ = clock_type::now();
    zero_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<boost::fibers::mutex> lk(m_);
    cv_.wait(lk, [this] { return zero_; });
  }
  clock_type::time_point end() {
    std::unique_lock<boost::fibers::mutex> lk(m_);
    return end_;
  }

private:
  std::atomic<long> left_;
  boost::fibers::mutex m_;
  boost::fibers::condition_variable cv_;
  bool zero_ = false;
  clock_type::time_point end_;
};

// OS threads that each install a scheduling algorithm once, then run
// commands in their main context (which is pinned: it never migrates).
class group {
public:
  // make(i) installs thread i's algorithm.
  group(std::size_t n, std::function<void(std::size_t)> make) : n_(n) {
    for (std::size_t i = 0; i < n; ++i)
      threads_.emplace_back([this, i, make] {
        make(i);
        loop(i);
      });
  }
  group(const group&) = delete;
  group& operator=(const group&) = delete;
  ~group() {
    {
      std::lock_guard<std::mutex> g(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  // Runs cmd(k) on threads first .. first+count-1 (k = 0 .. count-1) and
  // returns once every one of them has returned.
  void run(std::size_t first, std::size_t count, const std::function<void(std::size_t)>& cmd) {
    std::unique_lock<std::mutex> lk(m_);
    cmd_ = cmd;
    first_ = first;
    count_ = count;
    finished_ = 0;
    ++generation_;
    cv_.notify_all();
    done_cv_.wait(lk, [&] { return finished_ == count_; });
  }

private:
  void loop(std::size_t i) {
    unsigned seen = 0;
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      cv_.wait(lk, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (i < first_ || i >= first_ + count_) continue;
      std::function<void(std::size_t)> cmd = cmd_;
      lk.unlock();
      cmd(i - first_);
      lk.lock();
      if (++finished_ == count_) done_cv_.notify_all();
    }
  }

  std::size_t n_;
  std::vector<std::thread> threads_;
  std::mutex m_;
  std::condition_variable cv_, done_cv_;
  std::function<void(std::size_t)> cmd_;
  std::size_t first_ = 0, count_ = 0, finished_ = 0;
  unsigned generation_ = 0;
  bool stop_ = false;
};

// 2 threads of one algorithm: a group and which of its threads to use.
struct contender {
  std::string name;
  group* g;
  std::size_t first;
};

template <class F>
void launch(F f) {
  boost::fibers::fiber(boost::fibers::launch::post, std::allocator_arg,
                       boost::fibers::fixedsize_stack(64 * 1024), std::move(f))
      .detach();
}

int tiny(int i) { return i * 2 + 1; }

// Roughly `us` microseconds of computing that the optimizer keeps.
std::atomic<unsigned> g_sink{0};
unsigned g_spins_per_us = 100;
void compute(unsigned us) {
  unsigned x = 1;
  for (unsigned i = 0; i < us * g_spins_per_us; ++i) x = x * 1664525u + 1013904223u;
  g_sink.fetch_add(x, std::memory_order_relaxed);
}
void calibrate() {
  auto t0 = clock_type::now();
  const unsigned n = 20000000;
  unsigned x = 1;
  for (unsigned i = 0; i < n; ++i) x = x * 1664525u + 1013904223u;
  g_sink.fetch_add(x, std::memory_order_relaxed);
  double us = bench::seconds_since(t0) * 1e6;
  g_spins_per_us = std::max(1u, static_cast<unsigned>(n / us));
}

// ---- the workloads (milliseconds, < 0 if wrong) ----

// yield_each: the launcher yields after each launch, as fiber_executor's
// pumps do (few fibers alive at once); otherwise it launches all its fibers
// before it waits (all alive at once).
double run_tiny(contender& c, long n, bool yield_each) {
  countdown left(n);
  std::atomic<long> sum{0};
  auto t0 = clock_type::now();
  c.g->run(c.first, 2, [&](std::size_t k) {
    for (long i = static_cast<long>(k); i < n; i += 2) {
      launch([&, i] {
        sum.fetch_add(tiny(static_cast<int>(i)), std::memory_order_relaxed);
        left.done();
      });
      if (yield_each) boost::this_fiber::yield();
    }
    left.wait();
  });
  double ms = std::chrono::duration<double, std::milli>(left.end() - t0).count();
  return sum.load() == n * n ? ms : -1;
}

double run_imbalance(contender& c, long n, unsigned us) {
  countdown left(n);
  auto t0 = clock_type::now();
  c.g->run(c.first, 2, [&](std::size_t k) {
    if (k == 0)
      for (long i = 0; i < n; ++i)
        launch([&] {
          compute(us);
          left.done();
        });
    left.wait();
  });
  return std::chrono::duration<double, std::milli>(left.end() - t0).count();
}

// Waits until `arrived` reaches m, then a little longer so that the fibers
// are parked, not just about to park.
void wait_parked(const std::atomic<long>& arrived, long m) {
  while (arrived.load() < m) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

double run_burst_cv(contender& c, long m) {
  countdown left(m);
  std::atomic<long> arrived{0};
  boost::fibers::mutex mx;
  boost::fibers::condition_variable cv;
  bool open = false;
  clock_type::time_point t0;
  std::thread releaser([&] {
    wait_parked(arrived, m);
    std::unique_lock<boost::fibers::mutex> lk(mx);
    t0 = clock_type::now();
    open = true;
    cv.notify_all();
  });
  c.g->run(c.first, 2, [&](std::size_t k) {
    for (long i = static_cast<long>(k); i < m; i += 2)
      launch([&] {
        {
          std::unique_lock<boost::fibers::mutex> lk(mx);
          arrived.fetch_add(1);
          cv.wait(lk, [&] { return open; });
        }
        left.done();
      });
    left.wait();
  });
  releaser.join();
  return std::chrono::duration<double, std::milli>(left.end() - t0).count();
}

struct burst_figures {
  double ms = -1;
  double moved = 0;  // fibers whose transaction resumed on another thread
};

// One blocked fiber's transaction: waits for the gate, noting the thread of
// its first and last attempts, then counts itself.
void stm_waiter(stm::tvar<bool>& gate, stm::tvar<long>& through, std::atomic<long>& arrived,
                std::atomic<long>& moved) {
  std::thread::id first, last;
  arrived.fetch_add(1);
  stm::atomically([&] {
    last = std::this_thread::get_id();
    if (first == std::thread::id()) first = last;
    if (!gate.get()) stm::retry();
  });
  if (first != last) moved.fetch_add(1);
  stm::atomically([&] { through.set(through.get() + 1); });
}

burst_figures run_burst_stm(contender& c, long m) {
  countdown left(m);
  std::atomic<long> arrived{0}, moved{0};
  stm::tvar<bool> gate{false};
  stm::tvar<long> through{0};
  clock_type::time_point t0;
  std::thread releaser([&] {
    wait_parked(arrived, m);
    t0 = clock_type::now();
    stm::atomically([&] { gate.set(true); });
  });
  c.g->run(c.first, 2, [&](std::size_t k) {
    for (long i = static_cast<long>(k); i < m; i += 2)
      launch([&] {
        stm_waiter(gate, through, arrived, moved);
        left.done();
      });
    left.wait();
  });
  releaser.join();
  if (through.get() != m) return {};
  return {std::chrono::duration<double, std::milli>(left.end() - t0).count(), double(moved.load())};
}

// The machine's own ceiling for the imbalance workload: the same work on 1
// std::thread, and split between 2.
double threads_imbalance(long n, unsigned us, int nthreads) {
  auto t0 = clock_type::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < nthreads; ++t)
    ts.emplace_back([=] {
      for (long i = t; i < n; i += nthreads) compute(us);
    });
  for (auto& t : ts) t.join();
  return bench::seconds_since(t0) * 1e3;
}

// The executor itself, for reference.
double executor_tiny(long n) {
  stm::fiber_executor ex{2};
  (void)ex.submit(tiny, 0).get();
  std::vector<stm::future<int>> fs;
  fs.reserve(static_cast<std::size_t>(n));
  auto t0 = clock_type::now();
  for (long i = 0; i < n; ++i) fs.push_back(ex.submit(tiny, static_cast<int>(i)));
  long sum = 0;
  for (auto& f : fs) sum += f.get();
  double ms = bench::seconds_since(t0) * 1e3;
  return sum == n * n ? ms : -1;
}

burst_figures executor_burst_stm(long m) {
  stm::fiber_executor ex{2};
  std::atomic<long> arrived{0}, moved{0};
  stm::tvar<bool> gate{false};
  stm::tvar<long> through{0};
  std::vector<stm::future<void>> fs;
  for (long i = 0; i < m; ++i)
    fs.push_back(ex.submit([&] { stm_waiter(gate, through, arrived, moved); }));
  wait_parked(arrived, m);
  auto t0 = clock_type::now();
  stm::atomically([&] { gate.set(true); });
  stm::atomically([&] { if (through.get() != m) stm::retry(); });
  double ms = bench::seconds_since(t0) * 1e3;
  for (auto& f : fs) f.get();
  return {ms, double(moved.load())};
}

// ---- tables ----

struct row {
  std::string name;
  std::vector<double> ms, moved;
};

void print_table(const char* title, const char* unit_note, std::vector<row>& rows, bool with_moved,
                 long per) {
  std::printf("### %s\n\n%s\n\n", title, unit_note);
  std::printf("| scheduler | ms, median | min | max | vs round_robin |%s\n",
              with_moved ? " resumed on the other thread, per fiber |" : "");
  std::printf("|---|---:|---:|---:|---:|%s\n", with_moved ? "---:|" : "");
  summary base = summarize(rows.front().ms);
  for (row& r : rows) {
    summary s = summarize(r.ms);
    std::printf("| %s | %.2f | %.2f | %.2f | %.2fx |", r.name.c_str(), s.median, s.min, s.max,
                base.median > 0 ? s.median / base.median : 0.0);
    if (with_moved) {
      std::vector<double> frac;
      for (double x : r.moved) frac.push_back(x / double(per));
      std::printf(" %s |", bench::cell(summarize(frac), "%.3f").c_str());
    }
    std::printf("\n");
  }
  std::printf("\n");
  std::fflush(stdout);
}

void record(row& r, double ms) {
  if (ms < 0) failed = true;
  else r.ms.push_back(ms);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int rounds = 5;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--rounds R]\n", argv[0]);
      return 2;
    }
  }
  const long tiny_n = quick ? 20000 : 100000;
  const long imb_n = quick ? 1000 : 4000;
  const unsigned imb_us = 10;
  const long burst_m = quick ? 2000 : 10000;

  stm::enable_fiber_support();
  calibrate();

  namespace algo = boost::fibers::algo;
  group rr(2, [](std::size_t) { boost::fibers::use_scheduling_algorithm<algo::round_robin>(); });
  group sw_sleep(2, [](std::size_t) { boost::fibers::use_scheduling_algorithm<algo::shared_work>(true); });
  group sw_spin(2, [](std::size_t) { boost::fibers::use_scheduling_algorithm<algo::shared_work>(false); });
  group ws(4, [](std::size_t i) {
    boost::fibers::use_scheduling_algorithm<algo::work_stealing>(4, /*suspend=*/i < 2);
  });
  std::vector<contender> cs{{"round_robin (fiber_executor's)", &rr, 0},
                            {"shared_work, idle threads sleep", &sw_sleep, 0},
                            {"shared_work, idle threads spin", &sw_spin, 0},
                            {"work_stealing, idle threads sleep", &ws, 0},
                            {"work_stealing, idle threads spin", &ws, 2}};

  std::vector<row> tiny_rows, bulk_rows, imb_rows, cv_rows, stm_rows;
  for (auto* rows : {&tiny_rows, &bulk_rows, &imb_rows, &cv_rows, &stm_rows})
    for (const contender& c : cs) rows->push_back({c.name, {}, {}});
  tiny_rows.push_back({"stm::fiber_executor(2): submit from outside, futures", {}, {}});
  imb_rows.push_back({"no fibers: 1 std::thread does it all", {}, {}});
  imb_rows.push_back({"no fibers: 2 std::threads, half each (the machine's ceiling)", {}, {}});
  stm_rows.push_back({"stm::fiber_executor(2): tasks blocked in retry()", {}, {}});

  for (int r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < cs.size(); ++i) record(tiny_rows[i], run_tiny(cs[i], tiny_n, true));
    for (std::size_t i = 0; i < cs.size(); ++i) record(bulk_rows[i], run_tiny(cs[i], tiny_n, false));
    record(tiny_rows.back(), executor_tiny(tiny_n));
    for (std::size_t i = 0; i < cs.size(); ++i) record(imb_rows[i], run_imbalance(cs[i], imb_n, imb_us));
    record(imb_rows[cs.size()], threads_imbalance(imb_n, imb_us, 1));
    record(imb_rows[cs.size() + 1], threads_imbalance(imb_n, imb_us, 2));
    for (std::size_t i = 0; i < cs.size(); ++i) record(cv_rows[i], run_burst_cv(cs[i], burst_m));
    for (std::size_t i = 0; i < cs.size(); ++i) {
      burst_figures b = run_burst_stm(cs[i], burst_m);
      record(stm_rows[i], b.ms);
      stm_rows[i].moved.push_back(b.moved);
    }
    burst_figures b = executor_burst_stm(burst_m);
    record(stm_rows.back(), b.ms);
    stm_rows.back().moved.push_back(b.moved);
  }

  std::printf("## Fiber scheduling algorithms on 2 threads\n\n%d interleaved rounds per figure "
              "(median, with min and max), %u hardware threads, load average %.2f at the start of "
              "the tables. Comparable only within this run.\n\n",
              rounds, std::thread::hardware_concurrency(), [] {
                double l[1] = {0};
                return getloadavg(l, 1) == 1 ? l[0] : 0.0;
              }());
  print_table(("Tiny tasks: " + with_commas(static_cast<std::size_t>(tiny_n)) + " fibers").c_str(),
              "Each thread launches half the fibers, one at a time, yielding after each launch "
              "(as fiber_executor's pumps do); time until the last one ends.",
              tiny_rows, false, tiny_n);
  print_table(("Tiny tasks launched in bulk: " + with_commas(static_cast<std::size_t>(tiny_n)) +
               " fibers")
                  .c_str(),
              "Each thread launches half the fibers without yielding, then waits: all are alive "
              "at once, unless another thread runs them meanwhile.",
              bulk_rows, false, tiny_n);
  print_table(("Imbalance: " + with_commas(static_cast<std::size_t>(imb_n)) + " fibers of ~" +
               std::to_string(imb_us) + " us, all launched by one thread")
                  .c_str(),
              "Round-robin keeps them all on that thread; a scheduler that moves fibers can use "
              "both cores, at best as fast as 2 std::threads splitting the work (last row).",
              imb_rows, false, imb_n);
  print_table(("Burst: " + with_commas(static_cast<std::size_t>(burst_m)) +
               " fibers blocked on a boost::fibers::condition_variable, one notify_all")
                  .c_str(),
              "Time from the notify to the last fiber's end.", cv_rows, false, burst_m);
  print_table(("Burst: " + with_commas(static_cast<std::size_t>(burst_m)) +
               " fibers blocked in stm::retry() on one tvar, one commit")
                  .c_str(),
              "Time from the commit to the last fiber's end (each fiber then commits an "
              "increment of its own). The last column: the share of fibers whose transaction "
              "resumed on another thread than the one it was parked on.",
              stm_rows, true, burst_m);
  if (failed) std::fprintf(stderr, "fiber_schedulers: a result was wrong\n");
  return failed ? 1 : 0;
}
