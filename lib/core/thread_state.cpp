// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Per-thread state: the pool of transaction descriptors each thread reuses,
// its statistics counters, and the registry that sums every thread's
// counters into statistics() (printed at exit under BOOST_STM_STATS).
#include "core/internal.hpp"

#include <boost/stm/detail/core/ebr.hpp>
#include <boost/stm/stats.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <ostream>
#include <utility>

namespace boost {
namespace stm {
namespace detail {
namespace {

struct registry {
  std::mutex m;
  std::vector<counters*> live;
  std::uint64_t retired[c_count] = {};

  std::atomic<std::uint64_t> workers_live{0}, workers_peak{0};

  void sum(std::uint64_t (&out)[c_count]) {
    std::lock_guard<std::mutex> g(m);
    for (unsigned i = 0; i < c_count; ++i) out[i] = retired[i];
    for (counters* c : live)
      for (unsigned i = 0; i < c_count; ++i) out[i] += c->c[i].load(std::memory_order_relaxed);
  }
  executor_stats executor_snapshot() {
    std::uint64_t sum[c_count];
    this->sum(sum);
    executor_stats s;
    s.submitted = sum[c_tasks_submitted];
    s.finished = sum[c_tasks_finished];
    s.failed = sum[c_tasks_failed];
    s.cancelled = sum[c_tasks_cancelled];
    s.workers_live = workers_live.load(std::memory_order_relaxed);
    s.workers_peak = workers_peak.load(std::memory_order_relaxed);
    return s;
  }
  stats snapshot() {
    std::uint64_t sum[c_count];
    this->sum(sum);
    stats s;
    s.transactions = sum[c_transactions];
    s.attempts = sum[c_attempts];
    s.commits = sum[c_commits];
    s.restarts_read = sum[c_restarts_read];
    s.restarts_commit = sum[c_restarts_commit];
    s.restarts_watch = sum[c_restarts_watch];
    s.restarts = s.restarts_read + s.restarts_commit + s.restarts_watch;
    s.retries = sum[c_retries];
    s.wakeups = sum[c_wakeups];
    s.futile_wakeups = sum[c_futile_wakeups];
    s.timeouts = sum[c_timeouts];
    s.aborts = sum[c_aborts];
    s.serial_runs = sum[c_serial_runs];
    s.watcher_runs = sum[c_watcher_runs];
    s.blocked_forever = sum[c_blocked_forever];
    s.stalls = sum[c_stalls];
    s.sleeps = sum[c_sleeps];
    return s;
  }
};

// Never destroyed: transactions may run at any point of the process's exit
// (static destructors of any translation unit, in any order, and threads
// still running), and each one's counters end up here. Reachable through a
// pointer, so not a leak.
registry& the_registry() {
  static registry* r = new registry;
  return *r;
}

// Prints the statistics (BOOST_STM_STATS) at exit, after the main thread's
// counters merged: constructed before any thread_state (see below), so
// destroyed after the main thread's thread-locals.
struct printer {
  ~printer() {
    const char* env = std::getenv("BOOST_STM_STATS");
    if (env && *env && std::strcmp(env, "0") != 0)
      std::cerr << the_registry().snapshot() << '\n' << the_registry().executor_snapshot() << '\n';
    print_conflict_sites_at_exit();
  }
};

}  // namespace

namespace {
// The descriptor the next top-level transaction on this thread will use (a
// plain pointer: no lazy-initialisation check on the hot path). Transactions
// started while one runs (by destructors, see end_attempt() in
// lib/core/engine.hpp) use thread_state::free_tx.
thread_local transaction* t_spare = nullptr;
}  // namespace

struct thread_state {
  counters stats;
  std::vector<transaction*> free_tx;
  thread_state() {
    registry& r = the_registry();
    std::lock_guard<std::mutex> g(r.m);
    r.live.push_back(&stats);
  }
  thread_state(const thread_state&) = delete;
  thread_state& operator=(const thread_state&) = delete;
  ~thread_state() {
    for (transaction* tx : free_tx) delete tx;
    delete t_spare;
    t_spare = nullptr;
    registry& r = the_registry();
    std::lock_guard<std::mutex> g(r.m);
    for (unsigned i = 0; i < c_count; ++i) r.retired[i] += stats.c[i].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < r.live.size(); ++i)
      if (r.live[i] == &stats) {
        r.live[i] = r.live.back();
        r.live.pop_back();
        break;
      }
  }
  static void retire_counters(const counters& c) {
    registry& r = the_registry();
    std::lock_guard<std::mutex> g(r.m);
    for (unsigned i = 0; i < c_count; ++i) r.retired[i] += c.c[i].load(std::memory_order_relaxed);
  }
};

namespace {
// Make sure the printer is constructed before any thread_state, so that it
// prints after the main thread's state merged into the registry.
printer& the_printer() {
  static printer p;
  return p;
}
const bool printer_first = (the_printer(), true);

// The thread's state, on the heap behind a trivially destructible pointer,
// so that a transaction can tell, at any point of the thread's exit,
// whether it is still there: a thread_local object with a destructor is
// destroyed in an order we do not choose, and transactions may run after
// it (static destructors run after the main thread's thread-locals).
thread_local thread_state* t_state = nullptr;
thread_local bool t_state_gone = false;

struct state_owner {
  state_owner() = default;
  state_owner(const state_owner&) = delete;
  state_owner& operator=(const state_owner&) = delete;
  ~state_owner() {
    t_state_gone = true;
    delete std::exchange(t_state, nullptr);
  }
};

// A descriptor of a thread whose state is gone ("late"): it carries its
// own counters, merged into the registry when it is released.
struct late_transaction : transaction {
  counters own;
};
}  // namespace

thread_state* this_thread_state() {
  if (thread_state* s = t_state) return s;
  if (t_state_gone) return nullptr;
  auto s = std::make_unique<thread_state>();
  thread_local state_owner owner;  // constructed once per thread, after the state
  (void)owner;
  t_state = s.release();
  return t_state;
}

bool thread_ending() noexcept { return t_state_gone; }

namespace {
// The main thread's state is made now, at static initialisation, so that
// it is destroyed with main's thread-locals, and a transaction in a static
// destructor knows it is late (one whose state were made only then would
// never be freed: main's thread-locals are not destroyed twice).
const bool main_state_first = (this_thread_state(), true);
}  // namespace

BOOST_NOINLINE transaction* acquire_slow() {
  thread_state* s = this_thread_state();
  if (!s) {
    auto tx = std::make_unique<late_transaction>();
    tx->late = true;
    tx->stats = &tx->own;
    tx->ebr_pending = ebr::pending_flag();
    return tx.release();
  }
  transaction* tx;
  if (s->free_tx.empty()) {
    std::unique_ptr<transaction> fresh(new transaction);
    // The epoch record too, now: a commit that enters an epoch to publish
    // boxed values must not be the first to need it (it cannot fail there).
    ebr::prepare();
    tx = fresh.release();
    tx->stats = &s->stats;
    tx->ebr_pending = ebr::pending_flag();
  } else {
    tx = s->free_tx.back();
    s->free_tx.pop_back();
  }
  return tx;
}

transaction* acquire_transaction() {
  if (transaction* tx = t_spare) {
    t_spare = nullptr;
    return tx;
  }
  return acquire_slow();
}

void release_transaction(transaction* tx) noexcept {
  if (BOOST_UNLIKELY(tx->late)) {
    thread_state::retire_counters(*tx->stats);
    delete static_cast<late_transaction*>(tx);
    return;
  }
  if (!t_spare) {
    t_spare = tx;
    return;
  }
  thread_state* s = t_state;
  try {
    if (s) {
      s->free_tx.push_back(tx);
      return;
    }
  } catch (...) {
  }
  delete tx;
}

}  // namespace detail

stats statistics() { return detail::the_registry().snapshot(); }

executor_stats executor_statistics() { return detail::the_registry().executor_snapshot(); }

namespace detail {

void count_tasks(task_outcome what, std::uint64_t n) noexcept {
  static constexpr counter index[] = {c_tasks_submitted, c_tasks_finished, c_tasks_failed,
                                      c_tasks_cancelled};
  const counter i = index[static_cast<unsigned>(what)];
  thread_state* s = nullptr;
  try {
    s = this_thread_state();
  } catch (...) {  // no memory for this thread's state: count in the registry
  }
  if (s) {
    std::atomic<std::uint64_t>& c = s->stats.c[i];
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    return;
  }
  // The thread's state is gone (a static's destructor at exit).
  registry& r = the_registry();
  std::lock_guard<std::mutex> g(r.m);
  r.retired[i] += n;
}

worker_count_scope::worker_count_scope() noexcept {
  registry& r = the_registry();
  std::uint64_t now = r.workers_live.fetch_add(1, std::memory_order_relaxed) + 1;
  std::uint64_t peak = r.workers_peak.load(std::memory_order_relaxed);
  while (now > peak && !r.workers_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

worker_count_scope::~worker_count_scope() {
  the_registry().workers_live.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace detail

std::ostream& operator<<(std::ostream& os, const executor_stats& s) {
  return os << "stm executors: submitted " << s.submitted << ", finished " << s.finished
            << ", failed " << s.failed << ", cancelled " << s.cancelled << ", live workers "
            << s.workers_live << " (peak " << s.workers_peak << ")";
}

std::ostream& operator<<(std::ostream& os, const stats& s) {
  return os << "stm: transactions " << s.transactions << ", attempts " << s.attempts
            << ", commits " << s.commits << ", restarts " << s.restarts << " (read "
            << s.restarts_read << ", commit " << s.restarts_commit << ", watch "
            << s.restarts_watch << "), retries " << s.retries << ", wakeups " << s.wakeups
            << " (futile " << s.futile_wakeups << ", timeouts " << s.timeouts << "), aborts "
            << s.aborts << ", serial " << s.serial_runs << ", watcher runs " << s.watcher_runs
            << ", blocked forever " << s.blocked_forever << ", stalls " << s.stalls << ", sleeps "
            << s.sleeps;
}

}  // namespace stm
}  // namespace boost
