// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// fiber_executor's cross-thread hand-off, alone: how a task submitted on
// one OS thread reaches the pump fiber of a consumer thread. Two hand-offs
// under the same harness, and a third on request (--with-cv):
//
//   stm        what fiber_executor does: a stm::tlist per consumer thread;
//              submit pushes (a transaction, nested in the caller's if
//              there is one, so the task is queued only if it commits);
//              the pump takes with atomically { try_pop_front, or retry() },
//              which suspends only the pump fiber until a commit writes the
//              queue.
//   lockfree   a boost::lockfree::queue per consumer thread, pushed at once
//   + tvar     (inside a transaction: by stm::after_commit); a pump that
//              finds its queue empty says it is asleep and waits in
//              retry() on a tvar<uint64_t> sequence, which a producer bumps
//              (one small transaction) only when the pump said so.
//   lockfree   (--with-cv) the same queue; the pump sleeps on a
//   + fiber cv boost::fibers::condition_variable, which a producer notifies
//              from its own thread only when the pump said it is asleep.
//              Not measured by default: under load it fell to a tenth of
//              the others with 2 producers, and once (in 4 runs of
//              2026-12-05, Boost 1.74) a pump stayed asleep with 70,328
//              tasks queued, which 70 further runs did not reproduce.
//
// The payload is the same pointer to a preallocated job for all three (no
// allocation, no reference count in the hand-off; fiber_executor's tasks
// are std::shared_ptr handles, which a lock-free queue could carry only as
// a raw pointer: an allocation per task, or an intrusive count).
//
// Harness: --threads consumer OS threads (default 2), each running
// Boost.Fiber's round_robin with one pump fiber that either runs each task
// inline or starts a fiber per task (64 KiB stack, as fiber_executor) and
// yields, as fiber_executor's pump does. 1 and 2 producer threads submit N
// tiny tasks round-robin over the consumers, plainly or each inside a
// transaction of its own. The clock runs from the producers' start to the
// last task's end. Round trip: one submit from the main thread, then a
// wait (in retry(), as future::get does) for the task to count itself done.
//
// Every task adds its result to its consumer thread's sum, and the run
// checks the sums and the count: a lost or doubled task fails the program
// (a run that does not finish within 60 s also fails, as lost).
//
// Every figure is the median of --rounds rounds (at least 5) with min and
// max; in each round every hand-off runs once per configuration, in an
// order that rotates from round to round. Ratios are of medians of this run.
//
//   fiber_handoff [--quick] [--threads N] [--producers a,b] [--tasks N] [--rounds R]
//                 [--with-cv] [--only stm|tvar|cv]
//
// --threads: consumer threads; --producers: the producer counts to run;
// --only: that hand-off alone (no ratios).
#include "common.hpp"

#include <boost/fiber/all.hpp>
#include <boost/lockfree/queue.hpp>
#include <boost/stm.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using bench::clock_type;
using bench::summarize;
using bench::summary;

namespace {

constexpr std::size_t stack_size = 64 * 1024;  // fiber_executor's default
constexpr auto lost_after = std::chrono::seconds(60);

struct job {
  int value = 0;
};

// ---- the three hand-offs ------------------------------------------------------
// Each has submit(consumer, job) (inside or outside a transaction), take(consumer)
// (on the consumer's pump fiber: the next job, or null once stopped and empty),
// and stop() (after every job has run).

class stm_handoff {
public:
  explicit stm_handoff(std::size_t consumers) {
    for (std::size_t i = 0; i < consumers; ++i) queues_.push_back(std::make_unique<stm::tlist<job*>>());
  }
  void submit(std::size_t c, job* j) { queues_[c]->push_back(j); }
  job* take(std::size_t c) {
    stm::tlist<job*>& q = *queues_[c];
    return stm::atomically([&]() -> job* {
      if (std::optional<job*> x = q.try_pop_front()) return *x;
      if (stopping_.get()) return nullptr;
      stm::retry();  // suspends only the pump fiber
    });
  }
  void stop() { stm::atomically([&] { stopping_.set(true); }); }

private:
  std::vector<std::unique_ptr<stm::tlist<job*>>> queues_;
  stm::tvar<bool> stopping_{false};
};

// The part both lock-free hand-offs share: a queue per consumer, and the
// pump's "asleep" flag. A producer pushes, then reads the flag; the pump
// sets the flag, then pops once more before it sleeps. With a full fence
// between the two steps on both sides, a push the pump's last pop missed
// finds the flag set, so its producer wakes the pump: no task is left
// behind a sleeping pump.
struct alignas(64) lockfree_slot {
  boost::lockfree::queue<job*> queue{1024};
  std::atomic<bool> asleep{false};
};

template <class Wake>
class lockfree_handoff {
public:
  explicit lockfree_handoff(std::size_t consumers) : slots_(consumers), wakes_(consumers) {}

  void submit(std::size_t c, job* j) {
    // Inside a transaction: queued once it commits (and never if it does not).
    stm::after_commit([this, c, j] { push(c, j); });
  }

  job* take(std::size_t c) {
    lockfree_slot& s = slots_[c];
    Wake& w = wakes_[c];
    job* j = nullptr;
    for (;;) {
      if (s.queue.pop(j)) return j;
      const std::uint64_t seen = w.sequence();
      s.asleep.store(true, std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (s.queue.pop(j)) {
        s.asleep.store(false, std::memory_order_relaxed);
        return j;
      }
      if (stopping_.load(std::memory_order_acquire)) return nullptr;
      w.wait_past(seen);
      s.asleep.store(false, std::memory_order_relaxed);
    }
  }

  void stop() {
    stopping_.store(true, std::memory_order_release);
    for (Wake& w : wakes_) w.wake();
  }

private:
  void push(std::size_t c, job* j) {
    lockfree_slot& s = slots_[c];
    if (!s.queue.push(j)) {
      std::fprintf(stderr, "fiber_handoff: boost::lockfree::queue::push failed (out of memory)\n");
      std::abort();
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (s.asleep.load(std::memory_order_relaxed) && s.asleep.exchange(false)) wakes_[c].wake();
  }

  std::vector<lockfree_slot> slots_;
  std::vector<Wake> wakes_;
  std::atomic<bool> stopping_{false};
};

// The pump sleeps in retry() until the sequence moves.
class tvar_wake {
public:
  std::uint64_t sequence() const { return seq_.get(); }
  void wait_past(std::uint64_t seen) {
    stm::atomically([&] {
      if (seq_.get() == seen) stm::retry();
    });
  }
  void wake() {
    stm::atomically([&] { seq_.set(seq_.get() + 1); });
  }

private:
  stm::tvar<std::uint64_t> seq_{0};
};

// The pump sleeps on a Boost.Fiber condition variable, notified from the
// producer's thread.
class fiber_cv_wake {
public:
  std::uint64_t sequence() {
    std::lock_guard<boost::fibers::mutex> g(m_);
    return seq_;
  }
  void wait_past(std::uint64_t seen) {
    std::unique_lock<boost::fibers::mutex> lk(m_);
    cv_.wait(lk, [&] { return seq_ != seen; });
  }
  void wake() {
    {
      std::lock_guard<boost::fibers::mutex> g(m_);
      ++seq_;
    }
    cv_.notify_one();
  }

private:
  boost::fibers::mutex m_;
  boost::fibers::condition_variable cv_;
  std::uint64_t seq_ = 0;
};

using lockfree_tvar = lockfree_handoff<tvar_wake>;
using lockfree_fiber_cv = lockfree_handoff<fiber_cv_wake>;

// ---- the harness ----------------------------------------------------------------

// Counts tasks down; the last one notes the time and wakes the main thread.
class countdown {
public:
  explicit countdown(long n) : left_(n) {}
  void done() {
    if (left_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::lock_guard<std::mutex> g(m_);
    end_ = clock_type::now();
    zero_ = true;
    cv_.notify_all();
  }
  // False if the count did not reach zero in time.
  bool wait() {
    std::unique_lock<std::mutex> lk(m_);
    return cv_.wait_for(lk, lost_after, [&] { return zero_; });
  }
  clock_type::time_point end() {
    std::lock_guard<std::mutex> g(m_);
    return end_;
  }
  long left() const { return left_.load(); }

private:
  std::atomic<long> left_;
  std::mutex m_;
  std::condition_variable cv_;
  bool zero_ = false;
  clock_type::time_point end_;
};

struct alignas(64) consumer_result {
  long long sum = 0;
  long count = 0;
};

// Consumer OS threads, each with a pump fiber taking from h; finish(job)
// runs each task's end (on the consumer thread, in the pump or in the
// task's own fiber).
template <class H, class Finish>
class consumers {
public:
  consumers(H& h, std::size_t n, bool fiber_per_task, Finish finish)
      : results_(n), finish_(finish) {
    for (std::size_t c = 0; c < n; ++c)
      threads_.emplace_back([this, &h, c, fiber_per_task] { main(h, c, fiber_per_task); });
    // Every pump has started (and, finding nothing, gone to sleep or is about to).
    while (started_.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  void join() {
    for (auto& t : threads_) t.join();
  }
  const std::vector<consumer_result>& results() const { return results_; }

private:
  void main(H& h, std::size_t c, bool fiber_per_task) {
    consumer_result& r = results_[c];
    long alive = 0;  // this thread's task fibers (all on this thread: round_robin)
    boost::fibers::fiber pump([&] {
      started_.fetch_add(1);
      while (job* j = h.take(c)) {
        if (!fiber_per_task) {
          run(r, *j);
          continue;
        }
        ++alive;
        boost::fibers::fiber(std::allocator_arg, boost::fibers::fixedsize_stack(stack_size),
                             [this, &r, &alive, j] {
                               run(r, *j);
                               --alive;
                             })
            .detach();
        boost::this_fiber::yield();  // as fiber_executor's pump does
      }
    });
    pump.join();
    while (alive != 0) boost::this_fiber::yield();
  }
  void run(consumer_result& r, job& j) {
    r.sum += bench::tiny(j.value);
    ++r.count;
    finish_(j);
  }

  std::vector<consumer_result> results_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> started_{0};
  Finish finish_;
};

[[noreturn]] void lost(const char* what, long left) {
  std::fprintf(stderr, "fiber_handoff: %s: %ld task(s) not run after %lld s: a task was lost\n",
               what, left, static_cast<long long>(lost_after.count()));
  std::fflush(stdout);
  std::_Exit(1);
}

bool failed = false;

// Tasks per second, or -1 if the results are wrong.
template <class H>
double throughput(const char* name, std::size_t n, std::size_t threads, int producers, bool in_tx,
                  bool fiber_per_task) {
  H h(threads);
  std::vector<job> jobs(n);
  for (std::size_t i = 0; i < n; ++i) jobs[i].value = static_cast<int>(i);
  countdown left(static_cast<long>(n));
  auto finish = [&left](job&) { left.done(); };
  consumers<H, decltype(finish)> cs(h, threads, fiber_per_task, finish);

  std::atomic<std::size_t> next{0};  // fiber_executor's round robin
  std::mutex m;
  std::condition_variable cv;
  bool go = false;
  std::vector<std::thread> ps;
  for (int p = 0; p < producers; ++p)
    ps.emplace_back([&, p] {
      {
        std::unique_lock<std::mutex> lk(m);
        cv.wait(lk, [&] { return go; });
      }
      for (std::size_t i = static_cast<std::size_t>(p); i < n; i += static_cast<std::size_t>(producers)) {
        const std::size_t c = next.fetch_add(1, std::memory_order_relaxed) % threads;
        if (in_tx)
          stm::atomically([&] { h.submit(c, &jobs[i]); });
        else
          h.submit(c, &jobs[i]);
      }
    });
  auto t0 = clock_type::now();
  {
    std::lock_guard<std::mutex> g(m);
    t0 = clock_type::now();
    go = true;
  }
  cv.notify_all();
  if (!left.wait()) lost(name, left.left());
  const double s = std::chrono::duration<double>(left.end() - t0).count();
  for (auto& t : ps) t.join();
  h.stop();
  cs.join();
  long long sum = 0;
  long count = 0;
  for (const consumer_result& r : cs.results()) sum += r.sum, count += r.count;
  if (sum != bench::expected_sum(n) || count != static_cast<long>(n)) {
    std::fprintf(stderr, "fiber_handoff: %s: %ld tasks ran (of %zu), sum %lld: wrong\n", name, count,
                 n, sum);
    failed = true;
    return -1;
  }
  return double(n) / s;
}

// Microseconds per submit-then-wait, m of them after a warm-up.
template <class H>
std::vector<double> round_trips(const char* name, std::size_t m, std::size_t threads,
                                bool fiber_per_task) {
  H h(threads);
  const std::size_t warm = 20;
  std::vector<job> jobs(m + warm);
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].value = static_cast<int>(i);
  stm::tvar<long> done{0};
  auto finish = [&done](job&) { stm::atomically([&] { done.set(done.get() + 1); }); };
  consumers<H, decltype(finish)> cs(h, threads, fiber_per_task, finish);
  std::vector<double> us;
  us.reserve(m);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto t0 = clock_type::now();
    h.submit(i % threads, &jobs[i]);
    const long want = static_cast<long>(i) + 1;
    bool late = false;
    stm::atomically([&] {
      late = false;
      if (done.get() >= want) return;
      if (stm::elapsed(lost_after)) {
        late = true;
        return;
      }
      stm::retry();
    });
    if (late) lost(name, 1);
    if (i >= warm) us.push_back(bench::seconds_since(t0) * 1e6);
  }
  h.stop();
  cs.join();
  long long sum = 0;
  long count = 0;
  for (const consumer_result& r : cs.results()) sum += r.sum, count += r.count;
  if (sum != bench::expected_sum(jobs.size()) || count != static_cast<long>(jobs.size())) {
    std::fprintf(stderr, "fiber_handoff: %s: round trips: %ld tasks ran, sum %lld: wrong\n", name,
                 count, sum);
    failed = true;
    return {};
  }
  return us;
}

// ---- the runs -----------------------------------------------------------------

constexpr int kinds = 3;
const char* const kind_names[kinds] = {"stm (tlist + retry)", "lockfree + tvar wake",
                                       "lockfree + fiber cv wake"};

struct config {
  int producers;
  bool in_tx;
  bool fiber_per_task;
  std::vector<double> rate[kinds];
};

struct rt_config {
  bool fiber_per_task;
  std::vector<double> median[kinds], p99[kinds];
};

double throughput_of(int kind, const config& c, std::size_t n, std::size_t threads) {
  const std::string name = std::string(kind_names[kind]) + ", " + std::to_string(c.producers) +
                           " producer(s), " + (c.in_tx ? "inside a transaction" : "plain") +
                           ", " + (c.fiber_per_task ? "a fiber per task" : "inline");
  switch (kind) {
    case 0: return throughput<stm_handoff>(name.c_str(), n, threads, c.producers, c.in_tx, c.fiber_per_task);
    case 1: return throughput<lockfree_tvar>(name.c_str(), n, threads, c.producers, c.in_tx, c.fiber_per_task);
    default: return throughput<lockfree_fiber_cv>(name.c_str(), n, threads, c.producers, c.in_tx, c.fiber_per_task);
  }
}

std::vector<double> round_trips_of(int kind, bool fiber_per_task, std::size_t m, std::size_t threads) {
  switch (kind) {
    case 0: return round_trips<stm_handoff>(kind_names[0], m, threads, fiber_per_task);
    case 1: return round_trips<lockfree_tvar>(kind_names[1], m, threads, fiber_per_task);
    default: return round_trips<lockfree_fiber_cv>(kind_names[2], m, threads, fiber_per_task);
  }
}

std::string ratio(const summary& a, const summary& base) {
  if (!a.valid || !base.valid || base.median <= 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.2fx", a.median / base.median);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int rounds = 7;
  std::size_t threads = 2;
  std::vector<int> producers{1, 2};
  std::size_t n = 0;
  int only = -1;
  bool with_cv = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
    } else if (!std::strcmp(argv[i], "--producers") && i + 1 < argc) {
      producers = bench::parse_counts<int>("fiber_handoff", "--producers", argv[++i]);
    } else if (!std::strcmp(argv[i], "--with-cv")) {
      with_cv = true;
    } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
      const std::string k = argv[++i];
      only = k == "stm" ? 0 : k == "tvar" ? 1 : k == "cv" ? 2 : -2;
      if (only == -2) {
        std::fprintf(stderr, "fiber_handoff: --only takes stm, tvar or cv\n");
        return 2;
      }
    } else if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) {
      n = static_cast<std::size_t>(std::max(1L, std::atol(argv[++i])));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--threads N] [--producers a,b] [--tasks N] [--rounds R]\n"
                   "          [--with-cv] [--only stm|tvar|cv]\n",
                   argv[0]);
      return 2;
    }
  }
  if (n == 0) n = quick ? 20000 : 200000;
  if (quick) rounds = 5;
  const std::size_t m = quick ? 500 : 2000;

  stm::enable_fiber_support();

  // The hand-offs measured, stm first (the ratios' base).
  std::vector<int> used{0, 1};
  if (with_cv) used.push_back(2);
  if (only >= 0) used = {only};

  std::vector<config> cs;
  for (bool fiber_per_task : {false, true})
    for (int p : producers)
      for (bool in_tx : {false, true}) cs.push_back({p, in_tx, fiber_per_task, {}});
  std::vector<rt_config> rts{{false, {}, {}}, {true, {}, {}}};

  const std::size_t u = used.size();
  for (int r = 0; r < rounds; ++r) {
    for (config& c : cs)
      for (std::size_t k = 0; k < u; ++k) {
        const int kind = used[(k + static_cast<std::size_t>(r)) % u];
        const double x = throughput_of(kind, c, n, threads);
        if (x > 0) c.rate[kind].push_back(x);
      }
    for (rt_config& c : rts)
      for (std::size_t k = 0; k < u; ++k) {
        const int kind = used[(k + static_cast<std::size_t>(r)) % u];
        std::vector<double> us = round_trips_of(kind, c.fiber_per_task, m, threads);
        if (us.empty()) continue;
        c.median[kind].push_back(bench::percentile(us, 50));
        c.p99[kind].push_back(bench::percentile(us, 99));
      }
  }

  double load[1] = {0};
  if (getloadavg(load, 1) != 1) load[0] = 0;
  std::printf("## fiber_executor's hand-off: STM queue against Boost.Lockfree\n\n"
              "%zu consumer threads, each a Boost.Fiber pump; %d rounds per figure (median, with "
              "min and max), the hand-offs alternating in each round; %u hardware threads, load "
              "average %.2f at the end. Comparable only within this run.\n\n",
              threads, rounds, std::thread::hardware_concurrency(), load[0]);

  // Header cells: a column per hand-off, then a ratio to stm per other one.
  const bool base = used.front() == 0;
  auto header = [&](const char* first, const char* align) {
    std::string h = std::string("| ") + first + " |", a = std::string("|") + align + "|";
    for (int k : used) h += std::string(" ") + kind_names[k] + " |", a += "---:|";
    if (base)
      for (std::size_t i = 1; i < u; ++i)
        h += std::string(" ratio ") + kind_names[used[i]] + " |", a += "---:|";
    std::printf("%s\n%s\n", h.c_str(), a.c_str());
  };

  for (bool fiber_per_task : {false, true}) {
    std::printf("### Throughput: %s tiny tasks, %s\n\n", bench::with_commas(n).c_str(),
                fiber_per_task ? "a fiber per task (started by the pump, which then yields)"
                               : "run inline by the pump");
    std::printf("Thousands of tasks a second; the ratios are of the medians, against stm "
                "(above 1: faster).\n\n");
    header("producers | submit", "---:|---");
    for (config& c : cs) {
      if (c.fiber_per_task != fiber_per_task) continue;
      summary s[kinds];
      for (int k : used) {
        std::vector<double> thousands;
        for (double x : c.rate[k]) thousands.push_back(x / 1e3);
        s[k] = summarize(thousands);
      }
      std::string row = "| " + std::to_string(c.producers) + " | " +
                        (c.in_tx ? "inside a transaction" : "plain") + " |";
      for (int k : used) row += " " + bench::cell(s[k], "%.0f") + " |";
      if (base)
        for (std::size_t i = 1; i < u; ++i) row += " " + ratio(s[used[i]], s[0]) + " |";
      std::printf("%s\n", row.c_str());
    }
    std::printf("\n");
  }

  std::printf("### Round trip: one submit, then wait for the task (in retry(), as future::get)\n\n");
  std::printf("Microseconds: the median (min-max) of the runs' medians, then the median of their "
              "99th percentiles (%zu round trips a run); the ratios are of the medians, against "
              "stm (below 1: faster).\n\n",
              m);
  header("task runs", "---");
  for (rt_config& c : rts) {
    summary med[kinds], p99[kinds];
    for (int k : used) {
      med[k] = summarize(c.median[k]);
      p99[k] = summarize(c.p99[k]);
    }
    std::string row = std::string("| ") + (c.fiber_per_task ? "in a fiber of its own" : "inline") + " |";
    for (int k : used) {
      char p[32] = "-";
      if (p99[k].valid) std::snprintf(p, sizeof p, "%.1f", p99[k].median);
      row += " " + bench::cell(med[k], "%.1f") + "; p99 " + p + " |";
    }
    if (base)
      for (std::size_t i = 1; i < u; ++i) row += " " + ratio(med[used[i]], med[0]) + " |";
    std::printf("%s\n", row.c_str());
  }
  std::printf("\n");
  if (failed) std::fprintf(stderr, "fiber_handoff: a result was wrong\n");
  return failed ? 1 : 0;
}
