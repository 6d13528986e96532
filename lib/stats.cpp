// Per-thread statistics and transaction descriptors.
#include "internal.hpp"

#include <boost/stm/detail/ebr.hpp>
#include <boost/stm/stats.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <ostream>

namespace boost {
namespace stm {
namespace detail {
namespace {

struct registry {
  std::mutex m;
  std::vector<counters*> live;
  std::uint64_t retired[c_count] = {};

  ~registry() {
    const char* env = std::getenv("BOOST_STM_STATS");
    if (env && *env && std::strcmp(env, "0") != 0) std::cerr << snapshot() << '\n';
  }
  stats snapshot() {
    std::uint64_t sum[c_count];
    {
      std::lock_guard<std::mutex> g(m);
      for (unsigned i = 0; i < c_count; ++i) sum[i] = retired[i];
      for (counters* c : live)
        for (unsigned i = 0; i < c_count; ++i) sum[i] += c->c[i].load(std::memory_order_relaxed);
    }
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
    return s;
  }
};

registry& the_registry() {
  static registry r;  // printed at exit, after the main thread's counters merged
  return r;
}

}  // namespace

namespace {
// The descriptor the next top-level transaction on this thread will use (a
// plain pointer: no lazy-initialisation check on the hot path). Transactions
// started while one runs (by destructors, see end_attempt() in
// transaction.cpp) use thread_state::free_tx.
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
  ~thread_state() {
    ebr::thread_exit();  // first: freeing values may run transactions
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
};

namespace {
// Make sure the registry is constructed before any thread_state, so that it
// is destroyed (and prints) after the main thread's state merged into it.
const bool registry_first = (the_registry(), true);
}  // namespace

thread_state& this_thread_state() {
  thread_local thread_state s;
  return s;
}

counters& this_thread_counters() { return this_thread_state().stats; }

transaction* acquire_transaction() {
  if (transaction* tx = t_spare) {
    t_spare = nullptr;
    return tx;
  }
  thread_state& s = this_thread_state();
  transaction* tx;
  if (s.free_tx.empty()) {
    std::unique_ptr<transaction> fresh(new transaction);
    // The epoch record too, now: a commit that enters an epoch to publish
    // boxed values must not be the first to need it (it cannot fail there).
    ebr::prepare();
    tx = fresh.release();
    tx->stats = &s.stats;
    tx->ebr_pending = ebr::pending_flag();
  } else {
    tx = s.free_tx.back();
    s.free_tx.pop_back();
  }
  return tx;
}

void release_transaction(transaction* tx) noexcept {
  if (!t_spare) {
    t_spare = tx;
    return;
  }
  thread_state& s = this_thread_state();
  try {
    s.free_tx.push_back(tx);
  } catch (...) {
    delete tx;
  }
}

}  // namespace detail

stats statistics() { return detail::the_registry().snapshot(); }

std::ostream& operator<<(std::ostream& os, const stats& s) {
  return os << "stm: transactions " << s.transactions << ", attempts " << s.attempts
            << ", commits " << s.commits << ", restarts " << s.restarts << " (read "
            << s.restarts_read << ", commit " << s.restarts_commit << ", watch "
            << s.restarts_watch << "), retries " << s.retries << ", wakeups " << s.wakeups
            << " (futile " << s.futile_wakeups << ", timeouts " << s.timeouts << "), aborts "
            << s.aborts << ", serial " << s.serial_runs << ", watcher runs " << s.watcher_runs
            << ", blocked forever " << s.blocked_forever << ", stalls " << s.stalls;
}

}  // namespace stm
}  // namespace boost
