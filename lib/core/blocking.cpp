// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Blocking in retry(): the attempt's reads become waiter registrations on
// each tvar (revalidated before it sleeps, so no wake-up is lost; see
// engine.hpp), then it sleeps on a parker until a commit to one of them, or
// its elapsed() deadline. Also the stall report of a wait that lasts.
#include "core/contention.hpp"
#include "core/engine.hpp"

#include <boost/stm/errors.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {
namespace stm {
namespace detail {

namespace {
bool stats_env() noexcept {
  const char* env = std::getenv("BOOST_STM_STATS");
  return env && *env && std::strcmp(env, "0") != 0;
}

// BOOST_STM_STALL_MS: how long a blocked retry sleeps before it counts as a
// stall (and, under BOOST_STM_STATS, is reported); 0 turns this off.
std::chrono::milliseconds stall_after() noexcept {
  static const std::chrono::milliseconds after = [] {
    const char* env = std::getenv("BOOST_STM_STALL_MS");
    long ms = env && *env ? std::strtol(env, nullptr, 10) : long(BOOST_STM_STALL_MS);
    return std::chrono::milliseconds(ms > 0 ? ms : 0);
  }();
  return after;
}

void report_stall(std::size_t tvars) noexcept {
  if (!stats_env()) return;
  std::fprintf(stderr,
               "boost::stm: a transaction has been blocked in retry() for %lld ms, waiting for a "
               "commit to one of the %zu tvar(s) it read. If nothing will ever write them "
               "(GHC would raise BlockedIndefinitelyOnSTM), it never wakes: look for a lost "
               "producer or a cycle of waits. (BOOST_STM_STALL_MS sets this threshold; "
               "statistics().stalls counts these reports.)\n",
               static_cast<long long>(stall_after().count()), tvars);
}
}  // namespace

void top_level::wait() {
  if (tx_->doomed) return on_conflict();
  on_retry();
}

void top_level::on_retry() {
  transaction& tx = *tx_;
  counters& cs = *tx.stats;
  contention_manager(contention_).on_block();
  tx_log<read_entry>& rs = tx.reads;
  std::sort(rs.begin(), rs.end(),
            [](const read_entry& a, const read_entry& b) { return a.var < b.var; });
  rs.erase(std::unique(rs.begin(), rs.end(),
                       [](const read_entry& a, const read_entry& b) { return a.var == b.var; }),
           rs.end());
  std::optional<clock_type::time_point> deadline = tx.deadline;
  if (rs.empty() && !deadline) {
    const bool destroyed = tx.destroyed_reads != 0;
    end_attempt(tx);
    if (destroyed) {
      cs.inc(c_blocked_forever);
      static const char* const what =
          "stm::retry() that nothing can ever wake: every tvar the transaction read was "
          "destroyed before it could wait (a tvar local to the transaction body, or owned by "
          "something the body destroyed), and it set no elapsed() deadline; GHC reports this "
          "as BlockedIndefinitelyOnSTM. Wait on a tvar that outlives the transaction";
      if (stats_env()) std::fprintf(stderr, "boost::stm: %s\n", what);
      throw usage_error(what);
    }
    throw usage_error(
        "stm::retry() with nothing to wait for: the transaction read no tvar and set no "
        "elapsed() deadline, so it would block forever");
  }
  cs.inc(c_retries);
  if (woken_) cs.inc(c_futile_wakeups);

  parker* p = new parker(fiber_wait_wanted());
  bool changed = false;
  try {
    for (const read_entry& r : rs) {
      tvar_meta& m = meta_of(*r.var);
      std::lock_guard<std::mutex> g(m.lock);
      // Drop entries of parkers that woke through another tvar.
      m.waiters.erase(std::remove_if(m.waiters.begin(), m.waiters.end(),
                                     [](parker* q) {
                                       if (!q->done_.load(std::memory_order_acquire)) return false;
                                       q->release();
                                       return true;
                                     }),
                      m.waiters.end());
      m.waiters.push_back(p);
      p->add_ref();
      r.var->flags_.fetch_or(tvar_base::has_waiters, std::memory_order_seq_cst);
    }
    for (const read_entry& r : rs)
      if (r.var->vlock_.load(std::memory_order_seq_cst) != r.version) {
        changed = true;
        break;
      }
  } catch (...) {
    p->done_.store(true, std::memory_order_release);
    p->release();
    end_attempt(tx);
    throw;
  }
  const std::size_t waited_on = rs.size();
  end_attempt(tx);  // leaves the epoch: nothing read may be touched from here on
  bool signalled = changed;
  if (!signalled) {
    // A wait with no deadline that lasts longer than stall_after() is
    // counted, and reported under BOOST_STM_STATS, then goes on. A wait
    // with a deadline is bounded (idle pool workers wait for keep_alive so),
    // never a stall.
    std::chrono::milliseconds after = stall_after();
    if (!deadline && after.count() > 0) {
      signalled = p->wait(clock_type::now() + after);
      if (!signalled) {
        cs.inc(c_stalls);
        report_stall(waited_on);
        signalled = p->wait(deadline);
      }
    } else {
      signalled = p->wait(deadline);
    }
  }
  if (p->slept()) cs.inc(c_sleeps);
  p->done_.store(true, std::memory_order_release);
  p->release();
  if (changed) {
    woken_ = false;
  } else if (signalled) {
    cs.inc(c_wakeups);
    woken_ = true;
  } else {
    cs.inc(c_timeouts);
    woken_ = false;
  }
}


}  // namespace detail
}  // namespace stm
}  // namespace boost
