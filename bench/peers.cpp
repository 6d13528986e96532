// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Boost.STM's executors against what a user would pick instead, all in one
// run on one machine (figures from different runs are not comparable):
//
//   stm::thread_pool_executor, stm::fiber_executor     (ours)
//   boost::asio::thread_pool                           post + std::promise
//   boost::basic_thread_pool                           Boost.Thread, boost::async(pool, f)
//   oneTBB task_group                                  run + wait (no futures: results go
//                                                      to a vector; the caller helps)
//   std::async                                         one thread per task
//   boost::fibers::async                               fibers on one thread
//   mutex + condvar pool, notify_one / notify_all      the classic pool, a std::deque
//                                                      of std::packaged_task
//
//   W1  throughput: submit N tiny tasks (keeping their futures), then get
//       every result; N swept up to 200,000 (std::async up to 20,000: each
//       unjoined thread keeps its stack mapped until its future is read).
//   W2  round trip: submit one tiny task and get its result, repeatedly;
//       the median and p99 latency of each round.
//   W3  the seed's scenario: 1,000 tiny tasks submitted back to back to a
//       pool of 50, 300 or 1,000 idle workers, then every result read;
//       context switches per task (getrusage, whole process) for every
//       pool, wake-ups per task where they can be counted (ours: STM
//       wake-ups; the condvar pools: returns from wait), and for ours STM
//       attempts and retries per task.
//   W4  the machine's floors: uncontended mutex lock/unlock, an atomic
//       increment contended by 2 threads, a condition-variable wake round
//       trip between 2 threads, thread create + join.
//
// Pools have --threads workers (default 2) in W1 and W2. Every figure is
// the median of --rounds rounds (default and minimum 5) with min and max;
// rounds are interleaved (every contender once per round) so that drifts in
// machine load hit all alike. Prints markdown tables; exits non-zero only if it
// cannot run or a result is wrong.
//
//   peers [--quick] [--rounds R] [--threads N] [--csv FILE]
#define BOOST_THREAD_VERSION 5
#define BOOST_THREAD_PROVIDES_EXECUTORS

#include "common.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/fiber/all.hpp>
#include <boost/stm.hpp>
#include <boost/thread/executors/basic_thread_pool.hpp>
#include <boost/thread/future.hpp>
#include <boost/version.hpp>

#if defined(BOOST_STM_HAVE_TBB)
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#endif

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
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

using bench::expected_sum;
using bench::time_round_trips;
using bench::tiny;

bool failed = false;

void report_wrong(const std::string& who) {
  std::fprintf(stderr, "peers: %s returned a wrong result\n", who.c_str());
  failed = true;
}

// ---- the classic pool ------------------------------------------------------

// One mutex, one condition variable, one std::deque; notify_all wakes every
// idle worker for each task (the thundering herd), notify_one only one.
template <bool NotifyAll>
class cv_pool {
public:
  explicit cv_pool(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) workers_.emplace_back([this] { loop(); });
  }
  ~cv_pool() {
    {
      std::lock_guard<std::mutex> g(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  cv_pool(const cv_pool&) = delete;
  cv_pool& operator=(const cv_pool&) = delete;

  template <class F>
  std::future<int> submit(F f) {
    std::packaged_task<int()> t(std::move(f));
    std::future<int> r = t.get_future();
    {
      std::lock_guard<std::mutex> g(m_);
      q_.push_back(std::move(t));
    }
    if (NotifyAll)
      cv_.notify_all();
    else
      cv_.notify_one();
    return r;
  }

  // Returns from wait(), spurious or not, by any worker so far.
  std::uint64_t wakeups() {
    std::lock_guard<std::mutex> g(m_);
    return wakeups_;
  }

private:
  void loop() {
    std::unique_lock<std::mutex> g(m_);
    for (;;) {
      while (q_.empty() && !stop_) {
        cv_.wait(g);
        ++wakeups_;
      }
      if (q_.empty()) return;
      std::packaged_task<int()> t = std::move(q_.front());
      q_.pop_front();
      g.unlock();
      t();
      g.lock();
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<int()>> q_;
  std::uint64_t wakeups_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

// ---- how each peer submits ---------------------------------------------------

template <class Submit>
double time_batch(std::size_t n, Submit submit) {  // seconds, < 0 if wrong
  return bench::batch_seconds(n, submit);
}

auto asio_submit(boost::asio::thread_pool& pool) {
  return [&pool](int i) {
    std::promise<int> p;
    std::future<int> f = p.get_future();
    boost::asio::post(pool, [p = std::move(p), i]() mutable { p.set_value(tiny(i)); });
    return f;
  };
}

auto boost_thread_submit(boost::basic_thread_pool& pool) {
  return [&pool](int i) { return boost::async(pool, [i] { return tiny(i); }); };
}

template <class Pool>
auto cv_submit(Pool& pool) {
  return [&pool](int i) { return pool.submit([i] { return tiny(i); }); };
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

auto async_submit() {
  return [](int i) { return std::async(std::launch::async, tiny, i); };
}

// Runs f on a fresh thread: boost::fibers::async turns the calling thread
// into a fiber scheduler, which the rest of the program should not inherit.
template <class F>
auto on_own_thread(F f) {
  decltype(f()) r{};
  std::thread([&] { r = f(); }).join();
  return r;
}

#if defined(BOOST_STM_HAVE_TBB)
struct tbb_setup {
  explicit tbb_setup(std::size_t threads)
      : control(tbb::global_control::max_allowed_parallelism, threads + 1),
        arena(static_cast<int>(threads + 1)) {}
  tbb::global_control control;  // the caller plus `threads` workers
  tbb::task_arena arena;
};
std::unique_ptr<tbb_setup> tbb_env;

double tbb_batch(std::size_t n) {
  double s = -1;
  tbb_env->arena.execute([&] {
    std::vector<int> out(n);
    tbb::task_group tg;
    auto t0 = clock_type::now();
    for (std::size_t i = 0; i < n; ++i)
      tg.run([&out, i] { out[i] = tiny(static_cast<int>(i)); });
    tg.wait();
    long long sum = 0;
    for (int v : out) sum += v;
    s = seconds_since(t0);
    if (sum != expected_sum(n)) s = -1;
  });
  return s;
}

std::vector<double> tbb_round_trips(std::size_t m) {
  std::vector<double> us;
  tbb_env->arena.execute([&] {
    tbb::task_group tg;
    for (std::size_t i = 0; i < m + 20; ++i) {
      int v = 0;
      auto t0 = clock_type::now();
      tg.run([&v, i] { v = tiny(static_cast<int>(i)); });
      tg.wait();
      double t = seconds_since(t0) * 1e6;
      if (i >= 20) us.push_back(v == tiny(static_cast<int>(i)) ? t : -1.0);
    }
  });
  return us;
}
#endif

// ---- W1 and W2 contenders ----------------------------------------------------

struct contender {
  std::string name;
  std::function<double(std::size_t)> batch;                // seconds, < 0 if wrong
  std::function<std::vector<double>(std::size_t)> trips;   // microseconds
  std::size_t max_tasks;                                   // W1 cap
};

std::vector<contender> make_contenders(std::size_t threads, std::size_t async_cap) {
  const std::size_t no_cap = static_cast<std::size_t>(-1);
  std::vector<contender> cs;
  cs.push_back({"stm::thread_pool_executor",
                [=](std::size_t n) {
                  stm::thread_pool_executor ex{threads};
                  time_round_trips(10, stm_submit(ex));
                  return time_batch(n, stm_submit(ex));
                },
                [=](std::size_t m) {
                  stm::thread_pool_executor ex{threads};
                  return time_round_trips(m, stm_submit(ex));
                },
                no_cap});
  cs.push_back({"stm::fiber_executor",
                [=](std::size_t n) {
                  stm::fiber_executor ex{threads};
                  time_round_trips(10, stm_submit(ex));
                  return time_batch(n, stm_submit(ex));
                },
                [=](std::size_t m) {
                  stm::fiber_executor ex{threads};
                  return time_round_trips(m, stm_submit(ex));
                },
                no_cap});
  cs.push_back({"asio::thread_pool",
                [=](std::size_t n) {
                  boost::asio::thread_pool pool{threads};
                  time_round_trips(10, asio_submit(pool));
                  double s = time_batch(n, asio_submit(pool));
                  pool.join();
                  return s;
                },
                [=](std::size_t m) {
                  boost::asio::thread_pool pool{threads};
                  auto r = time_round_trips(m, asio_submit(pool));
                  pool.join();
                  return r;
                },
                no_cap});
  cs.push_back({"boost::basic_thread_pool",
                [=](std::size_t n) {
                  boost::basic_thread_pool pool{static_cast<unsigned>(threads)};
                  time_round_trips(10, boost_thread_submit(pool));
                  return time_batch(n, boost_thread_submit(pool));
                },
                [=](std::size_t m) {
                  boost::basic_thread_pool pool{static_cast<unsigned>(threads)};
                  return time_round_trips(m, boost_thread_submit(pool));
                },
                no_cap});
#if defined(BOOST_STM_HAVE_TBB)
  cs.push_back({"tbb::task_group", tbb_batch, tbb_round_trips, no_cap});
#endif
  cs.push_back({"std::async",
                [](std::size_t n) { return time_batch(n, async_submit()); },
                [](std::size_t m) { return time_round_trips(m, async_submit()); }, async_cap});
  cs.push_back({"boost::fibers::async",
                [](std::size_t n) { return on_own_thread([n] { return time_batch(n, fibers_submit()); }); },
                [](std::size_t m) {
                  return on_own_thread([m] { return time_round_trips(m, fibers_submit()); });
                },
                no_cap});
  cs.push_back({"condvar pool (notify_one)",
                [=](std::size_t n) {
                  cv_pool<false> pool{threads};
                  time_round_trips(10, cv_submit(pool));
                  return time_batch(n, cv_submit(pool));
                },
                [=](std::size_t m) {
                  cv_pool<false> pool{threads};
                  return time_round_trips(m, cv_submit(pool));
                },
                no_cap});
  cs.push_back({"condvar pool (notify_all)",
                [=](std::size_t n) {
                  cv_pool<true> pool{threads};
                  time_round_trips(10, cv_submit(pool));
                  return time_batch(n, cv_submit(pool));
                },
                [=](std::size_t m) {
                  cv_pool<true> pool{threads};
                  return time_round_trips(m, cv_submit(pool));
                },
                no_cap});
  return cs;
}

// ---- W3: idle workers --------------------------------------------------------

struct w3_figures {
  double csw = 0, wakeups = -1, attempts = -1, retries = -1, ms = 0;
};

// Blocks until `n` callers have arrived: makes n tasks occupy n distinct
// workers, so that every worker of a pool has started before we measure.
class barrier {
public:
  explicit barrier(std::size_t n) : n_(n) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> g(m_);
    if (++count_ >= n_) cv_.notify_all();
    cv_.wait(g, [&] { return count_ >= n_; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  std::size_t n_, count_ = 0;
};

template <class Submit>
void occupy_all(std::size_t workers, Submit submit) {
  barrier b(workers);
  using future_type = decltype(submit(std::function<int()>{}));
  std::vector<future_type> fs;
  for (std::size_t i = 0; i < workers; ++i)
    fs.push_back(submit(std::function<int()>([&b] {
      b.arrive_and_wait();
      return 0;
    })));
  for (auto& f : fs) f.get();
}

// Submits `tasks` tiny tasks back to back, then reads every result. Counts
// from after the pool has gone quiet.
template <class Submit, class Wakeups>
w3_figures burst(const std::string& who, std::size_t tasks, bool ours, Submit submit,
                 Wakeups wakeups) {
  using future_type = decltype(submit(0));
  std::vector<future_type> fs;
  fs.reserve(tasks);
  bench::settle();
  stm::stats s0 = stm::statistics();
  long c0 = bench::context_switches();
  double w0 = wakeups();
  auto t0 = clock_type::now();
  for (std::size_t i = 0; i < tasks; ++i) fs.push_back(submit(static_cast<int>(i)));
  long long sum = 0;
  for (auto& f : fs) sum += f.get();
  w3_figures r;
  r.ms = seconds_since(t0) * 1e3;
  long c1 = bench::context_switches();
  stm::stats s1 = stm::statistics();
  double n = double(tasks);
  r.csw = double(c1 - c0) / n;
  double w1 = wakeups();
  if (w0 >= 0) r.wakeups = (w1 - w0) / n;
  if (ours) {
    r.wakeups = double(s1.wakeups - s0.wakeups) / n;
    r.attempts = double(s1.attempts - s0.attempts) / n;
    r.retries = double(s1.retries - s0.retries) / n;
  }
  if (sum != expected_sum(tasks)) report_wrong(who);
  return r;
}

double no_count() { return -1; }

struct w3_contender {
  std::string name;
  std::function<w3_figures(std::size_t idle, std::size_t tasks)> run;
};

std::vector<w3_contender> make_w3_contenders() {
  std::vector<w3_contender> cs;
  cs.push_back({"stm::thread_pool_executor", [](std::size_t idle, std::size_t tasks) {
                  stm::thread_pool_executor::options o;
                  o.max_workers = idle;
                  o.keep_alive = std::chrono::seconds(600);
                  stm::thread_pool_executor ex{o};
                  // Start `idle` workers (one per blocked task), then let them all go idle.
                  stm::tvar<bool> open{false};
                  std::vector<stm::future<void>> blocked;
                  for (std::size_t i = 0; i < idle; ++i)
                    blocked.push_back(ex.submit([&open] {
                      stm::atomically([&] { if (!open.get()) stm::retry(); });
                    }));
                  stm::atomically([&] { if (ex.pool().live_threads() < idle) stm::retry(); });
                  open.set(true);
                  for (auto& f : blocked) f.get();
                  stm::atomically([&] { if (ex.pool().free_threads() < idle) stm::retry(); });
                  return burst("stm::thread_pool_executor", tasks, true, stm_submit(ex), no_count);
                }});
  cs.push_back({"stm::fiber_executor", [](std::size_t idle, std::size_t tasks) {
                  stm::fiber_executor ex{idle};
                  time_round_trips(10, stm_submit(ex));
                  return burst("stm::fiber_executor", tasks, true, stm_submit(ex), no_count);
                }});
  cs.push_back({"asio::thread_pool", [](std::size_t idle, std::size_t tasks) {
                  boost::asio::thread_pool pool{idle};
                  occupy_all(idle, [&](std::function<int()> f) {
                    std::promise<int> p;
                    std::future<int> r = p.get_future();
                    boost::asio::post(pool, [p = std::move(p), f]() mutable { p.set_value(f()); });
                    return r;
                  });
                  w3_figures r = burst("asio::thread_pool", tasks, false, asio_submit(pool), no_count);
                  pool.join();
                  return r;
                }});
  cs.push_back({"boost::basic_thread_pool", [](std::size_t idle, std::size_t tasks) {
                  boost::basic_thread_pool pool{static_cast<unsigned>(idle)};
                  occupy_all(idle, [&](std::function<int()> f) { return boost::async(pool, f); });
                  return burst("boost::basic_thread_pool", tasks, false, boost_thread_submit(pool),
                               no_count);
                }});
  cs.push_back({"condvar pool (notify_one)", [](std::size_t idle, std::size_t tasks) {
                  cv_pool<false> pool{idle};
                  occupy_all(idle, [&](std::function<int()> f) { return pool.submit(f); });
                  return burst("condvar pool (notify_one)", tasks, false, cv_submit(pool),
                               [&] { return double(pool.wakeups()); });
                }});
  cs.push_back({"condvar pool (notify_all)", [](std::size_t idle, std::size_t tasks) {
                  cv_pool<true> pool{idle};
                  occupy_all(idle, [&](std::function<int()> f) { return pool.submit(f); });
                  return burst("condvar pool (notify_all)", tasks, false, cv_submit(pool),
                               [&] { return double(pool.wakeups()); });
                }});
  return cs;
}

// ---- W4: floors ----------------------------------------------------------------

double floor_mutex(long n) {  // ns per lock + unlock
  std::mutex m;
  static volatile long sink = 0;
  auto t0 = clock_type::now();
  for (long i = 0; i < n; ++i) {
    m.lock();
    sink = sink + 1;
    m.unlock();
  }
  return seconds_since(t0) * 1e9 / double(n);
}

double floor_atomic(long n) {  // ns per increment, 2 threads incrementing one counter
  std::atomic<long> counter{0};
  std::atomic<int> ready{0};
  auto work = [&] {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    for (long i = 0; i < n; ++i) counter.fetch_add(1);
  };
  auto t0 = clock_type::now();
  std::thread a(work), b(work);
  a.join();
  b.join();
  double s = seconds_since(t0);
  if (counter.load() != 2 * n) report_wrong("atomic floor");
  return s * 1e9 / double(2 * n);
}

double floor_condvar(long n) {  // us per wake round trip between two threads
  std::mutex m;
  std::condition_variable cv;
  int turn = 0;
  std::thread other([&] {
    std::unique_lock<std::mutex> g(m);
    for (long i = 0; i < n; ++i) {
      cv.wait(g, [&] { return turn == 1; });
      turn = 0;
      cv.notify_one();
    }
  });
  auto t0 = clock_type::now();
  {
    std::unique_lock<std::mutex> g(m);
    for (long i = 0; i < n; ++i) {
      turn = 1;
      cv.notify_one();
      cv.wait(g, [&] { return turn == 0; });
    }
  }
  double s = seconds_since(t0);
  other.join();
  return s * 1e6 / double(n);
}

double floor_thread(long n) {  // us per create + join
  auto t0 = clock_type::now();
  for (long i = 0; i < n; ++i) std::thread([] {}).join();
  return seconds_since(t0) * 1e6 / double(n);
}

// ---- printing ------------------------------------------------------------------

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int rounds = 5;
  std::size_t threads = 2;
  std::string csv_path;
  std::vector<std::size_t> counts, idles;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = std::max(1ul, std::strtoul(argv[++i], nullptr, 10));
    } else if (!std::strcmp(argv[i], "--csv") && i + 1 < argc) {
      csv_path = argv[++i];
    } else if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) {
      counts = bench::parse_counts("peers", "--tasks", argv[++i]);
    } else if (!std::strcmp(argv[i], "--workers") && i + 1 < argc) {
      idles = bench::parse_counts("peers", "--workers", argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--rounds R] [--threads N] [--csv FILE]\n"
                   "          [--tasks n1,n2,...] [--workers w1,w2,...]\n",
                   argv[0]);
      return 2;
    }
  }
  if (counts.empty())
    counts = quick ? std::vector<std::size_t>{1000, 5000, 20000}
                   : std::vector<std::size_t>{1000, 10000, 50000, 200000};
  if (idles.empty()) idles = quick ? std::vector<std::size_t>{50, 300} : std::vector<std::size_t>{50, 300, 1000};
  const std::size_t async_cap = quick ? 5000 : 20000;
  const std::size_t trips = quick ? 300 : 2000;
  const std::size_t w3_tasks = quick ? 300 : 1000;
  const long w4_scale = quick ? 1 : 10;

#if defined(BOOST_STM_HAVE_TBB)
  tbb_env = std::make_unique<tbb_setup>(threads);
#endif
  bench::csv csv(csv_path);

  std::printf("## Executors against their peers\n\n");
  std::printf("%d interleaved rounds per figure (median, with min-max), %zu worker threads per pool "
              "in W1 and W2, %u hardware threads, Boost %d.%d.%d. Figures are comparable only "
              "within this run.\n\n",
              rounds, threads, std::thread::hardware_concurrency(), BOOST_VERSION / 100000,
              BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100);
#if !defined(BOOST_STM_HAVE_TBB)
  std::printf("oneTBB was not found when this program was built (install libtbb-dev): no "
              "tbb::task_group figures.\n\n");
#endif

  // ---- W1 ----
  std::vector<contender> cs = make_contenders(threads, async_cap);
  // secs[contender][count] = one entry per round
  std::vector<std::vector<std::vector<double>>> secs(cs.size(),
                                                     std::vector<std::vector<double>>(counts.size()));
  for (int r = 0; r < rounds; ++r)
    for (std::size_t k = 0; k < counts.size(); ++k)
      for (std::size_t c = 0; c < cs.size(); ++c) {
        std::size_t n = counts[k];
        if (n > cs[c].max_tasks) continue;
        double s = cs[c].batch(n);
        if (s < 0) report_wrong(cs[c].name);
        else secs[c][k].push_back(double(n) / s / 1e3);  // k tasks/s
      }
  std::vector<std::vector<summary>> w1(cs.size(), std::vector<summary>(counts.size()));
  for (std::size_t c = 0; c < cs.size(); ++c)
    for (std::size_t k = 0; k < counts.size(); ++k) {
      w1[c][k] = summarize(secs[c][k]);
      csv.row("w1", cs[c].name, double(counts[k]), w1[c][k]);
    }
  const std::size_t top = counts.size() - 1;
  std::printf("### W1: throughput of %s tiny tasks with futures (thousand tasks/s)\n\n",
              with_commas(counts[top]).c_str());
  std::printf("| peer | tasks | median | min | max | vs stm::thread_pool_executor |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (std::size_t c = 0; c < cs.size(); ++c) {
    std::size_t k = top;
    while (k > 0 && !w1[c][k].valid) --k;  // std::async: its largest count
    const summary& s = w1[c][k];
    const summary& ours = w1[0][k];
    if (!s.valid) continue;
    std::printf("| %s | %s | %.1f | %.1f | %.1f | %.2fx |\n", cs[c].name.c_str(),
                with_commas(counts[k]).c_str(), s.median, s.min, s.max,
                ours.valid && ours.median > 0 ? s.median / ours.median : 0.0);
  }
  std::printf("\nThroughput against task count (thousand tasks/s, median (min-max)):\n\n| peer |");
  for (std::size_t n : counts) std::printf(" %s |", with_commas(n).c_str());
  std::printf("\n|---|");
  for (std::size_t k = 0; k < counts.size(); ++k) std::printf("---:|");
  std::printf("\n");
  for (std::size_t c = 0; c < cs.size(); ++c) {
    std::printf("| %s |", cs[c].name.c_str());
    for (std::size_t k = 0; k < counts.size(); ++k) std::printf(" %s |", bench::cell(w1[c][k]).c_str());
    std::printf("\n");
  }
  std::printf("\nstd::async runs only batches of up to %s tasks: one thread per task, each "
              "keeping its stack mapped until its future is read.\n\n",
              with_commas(async_cap).c_str());
  std::fflush(stdout);

  // ---- W2 ----
  std::vector<std::vector<double>> med(cs.size()), p99(cs.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t c = 0; c < cs.size(); ++c) {
      std::vector<double> us = cs[c].trips(trips);
      if (std::find_if(us.begin(), us.end(), [](double v) { return v < 0; }) != us.end()) {
        report_wrong(cs[c].name);
        continue;
      }
      med[c].push_back(bench::percentile(us, 50));
      p99[c].push_back(bench::percentile(us, 99));
    }
  std::vector<summary> w2m(cs.size()), w2p(cs.size());
  std::printf("### W2: submit-to-result round trip (%s sequential round trips per round, microseconds)\n\n",
              with_commas(trips).c_str());
  std::printf("| peer | median | min-max of the median | p99 | min-max of the p99 | median vs stm::thread_pool_executor |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (std::size_t c = 0; c < cs.size(); ++c) {
    w2m[c] = summarize(med[c]);
    w2p[c] = summarize(p99[c]);
    csv.row("w2_median", cs[c].name, 0, w2m[c]);
    csv.row("w2_p99", cs[c].name, 0, w2p[c]);
    if (!w2m[c].valid) continue;
    std::printf("| %s | %.1f | %.1f-%.1f | %.1f | %.1f-%.1f | %.2fx |\n", cs[c].name.c_str(),
                w2m[c].median, w2m[c].min, w2m[c].max, w2p[c].median, w2p[c].min, w2p[c].max,
                w2m[0].median > 0 ? w2m[c].median / w2m[0].median : 0.0);
  }
  std::printf("\ntbb::task_group: run + wait; the waiting caller may run the task itself.\n"
              "boost::fibers::async: the task is a fiber on the caller's own thread.\n\n");
  std::fflush(stdout);

  // ---- W3 ----
  std::vector<w3_contender> w3c = make_w3_contenders();
  // figs[idle][contender] = one entry per round
  std::vector<std::vector<std::vector<w3_figures>>> figs(
      idles.size(), std::vector<std::vector<w3_figures>>(w3c.size()));
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < idles.size(); ++i)
      for (std::size_t c = 0; c < w3c.size(); ++c) figs[i][c].push_back(w3c[c].run(idles[i], w3_tasks));
  std::printf("### W3: %s tiny tasks submitted back to back to idle workers (per task)\n\n",
              with_commas(w3_tasks).c_str());
  std::printf("| idle workers | pool | context switches | wake-ups | STM attempts | STM retries | ms (whole burst) |\n");
  std::printf("|---:|---|---:|---:|---:|---:|---:|\n");
  auto pick = [](const std::vector<w3_figures>& v, double w3_figures::*m) {
    std::vector<double> x;
    for (const w3_figures& f : v)
      if (f.*m >= 0) x.push_back(f.*m);
    return summarize(x);
  };
  for (std::size_t i = 0; i < idles.size(); ++i)
    for (std::size_t c = 0; c < w3c.size(); ++c) {
      const auto& v = figs[i][c];
      summary csw = pick(v, &w3_figures::csw), wk = pick(v, &w3_figures::wakeups),
              at = pick(v, &w3_figures::attempts), rt = pick(v, &w3_figures::retries),
              ms = pick(v, &w3_figures::ms);
      csv.row("w3_csw", w3c[c].name, double(idles[i]), csw);
      csv.row("w3_wakeups", w3c[c].name, double(idles[i]), wk);
      std::printf("| %zu | %s | %s | %s | %s | %s | %s |\n", idles[i], w3c[c].name.c_str(),
                  bench::cell(csw).c_str(), bench::cell(wk, "%.2f").c_str(),
                  bench::cell(at, "%.2f").c_str(), bench::cell(rt, "%.2f").c_str(),
                  bench::cell(ms).c_str());
    }
  std::printf("\nContext switches are the whole process's (getrusage), so they include the "
              "submitting thread's. Wake-ups: for ours, STM wake-ups of blocked transactions; for "
              "the condvar pools, returns from wait(); '-' where a pool cannot tell. "
              "tbb::task_group, std::async and boost::fibers::async have no worker count to "
              "set and are left out. Boost.Thread's queue (sync_queue) calls notify_all on every "
              "push.\n\n");
  std::fflush(stdout);

  // ---- W4 ----
  struct floor_def {
    const char* name;
    const char* unit;
    std::function<double(long)> run;
    long n;
  };
  std::vector<floor_def> floors{
      {"std::mutex lock + unlock, uncontended", "ns", floor_mutex, 2000000 * w4_scale},
      {"atomic increment, 2 threads contending", "ns", floor_atomic, 1000000 * w4_scale},
      {"condition variable wake round trip, 2 threads", "us", floor_condvar, 2000 * w4_scale},
      {"std::thread create + join", "us", floor_thread, 300 * w4_scale}};
  std::vector<std::vector<double>> fl(floors.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t f = 0; f < floors.size(); ++f) fl[f].push_back(floors[f].run(floors[f].n));
  std::printf("### W4: the machine's floors\n\n| operation | median | min | max | unit |\n|---|---:|---:|---:|---|\n");
  std::vector<summary> w4(floors.size());
  for (std::size_t f = 0; f < floors.size(); ++f) {
    w4[f] = summarize(fl[f]);
    csv.row("w4", floors[f].name, 0, w4[f]);
    std::printf("| %s | %.3g | %.3g | %.3g | %s |\n", floors[f].name, w4[f].median, w4[f].min,
                w4[f].max, floors[f].unit);
  }

  // ---- where the targets stand ----
  auto find = [&](const char* name) {
    for (std::size_t c = 0; c < cs.size(); ++c)
      if (cs[c].name == name) return c;
    return cs.size();
  };
  std::size_t asio = find("asio::thread_pool"), async = find("std::async");
  std::printf("\n### Targets (thread_pool_executor, %zu threads)\n\n", threads);
  {
    const summary& ours = w1[0][top];
    const summary& peer = w1[asio][top];
    double x = peer.median > 0 ? ours.median / peer.median : 0;
    std::printf("- throughput at %s tasks vs asio::thread_pool: %.2fx (target >= 1.0x: %s)\n",
                with_commas(counts[top]).c_str(), x, x >= 1.0 ? "met" : "MISSED");
  }
  {
    double x = w2m[asio].median > 0 ? w2m[0].median / w2m[asio].median : 0;
    std::printf("- round trip (median) vs asio::thread_pool: %.2fx (target <= 1.0x: %s)\n", x,
                x <= 1.0 ? "met" : "MISSED");
  }
  {
    std::size_t k = top;
    while (k > 0 && !w1[async][k].valid) --k;
    double x = w1[async][k].median > 0 ? w1[0][k].median / w1[async][k].median : 0;
    std::printf("- throughput at %s tasks vs std::async: %.1fx (target >= 10x: %s)\n",
                with_commas(counts[k]).c_str(), x, x >= 10 ? "met" : "MISSED");
  }
  std::printf("\n");
  return failed ? 1 : 0;
}
