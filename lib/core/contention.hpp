// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Contention management: what a top-level transaction does about attempts
// that conflicted, in one place. The attempt loop (commit.cpp, blocking.cpp)
// calls only the members of contention_manager; another policy is another
// definition of this class and of contention.cpp, nothing else.
//
// This policy:
// - every restart is counted, by cause, in the statistics;
// - the attempt after a restart first backs off: a randomised, exponentially
//   growing pause, so that transactions that collided do not collide again
//   at once;
// - after BOOST_STM_SERIAL_AFTER restarts the transaction escalates to a
//   serial run (Wyatt-STM's run-locked mode, SwissTM's second phase): it
//   takes the serial mutex and raises the serial flag; writing commits that
//   see the flag wait for the mutex before they lock anything. Commits
//   already past that check can still make the serial transaction restart,
//   but each thread only once, so it cannot starve;
// - the serial run ends when the transaction has committed (before its
//   after-commit actions run), when it blocks in retry(), or when it ends.
#ifndef BOOST_STM_LIB_CORE_CONTENTION_HPP_INCLUDED
#define BOOST_STM_LIB_CORE_CONTENTION_HPP_INCLUDED

#include "core/internal.hpp"

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/detail/core/transaction.hpp>

#include <boost/config.hpp>

#include <atomic>

namespace boost {
namespace stm {
namespace detail {

// Raised while a transaction runs serially (see above). Inline so that the
// check before every writing commit costs one load.
BOOST_STM_LOCAL inline std::atomic<bool> g_serial{false};

// A view of one top-level transaction's contention_state (kept in
// top_level, see detail/core/transaction.hpp).
class contention_manager {
public:
  explicit contention_manager(contention_state& s) noexcept : s_(s) {}

  // Before each attempt: nothing on the first; after a restart, back off or
  // escalate to a serial run.
  void begin_attempt(counters& cs) {
    if (s_.serial || (s_.restarts == 0 && BOOST_STM_SERIAL_AFTER != 0)) return;
    after_restart(cs);
  }

  // The attempt conflicted and was rolled back; `cause` says where.
  void on_restart(counters& cs, restart_cause cause) noexcept {
    cs.inc(cause == restart_cause::watch    ? c_restarts_watch
           : cause == restart_cause::commit ? c_restarts_commit
                                            : c_restarts_read);
    ++s_.restarts;
  }

  // Before a writing commit locks anything: wait out another thread's
  // serial run.
  void before_commit() {
    if (!s_.serial && g_serial.load(std::memory_order_acquire)) wait_for_serial();
  }

  // Ends this transaction's serial run, if it has one.
  void release() noexcept {
    if (s_.serial) end_serial();
  }

  // The transaction blocks in retry(): it is no longer contending, and
  // counts its restarts anew when it wakes.
  void on_block() noexcept {
    release();
    s_.restarts = 0;
  }

  bool serial() const noexcept { return s_.serial; }

private:
  void after_restart(counters& cs);
  void escalate_to_serial(counters& cs);
  void wait_for_serial();
  void end_serial() noexcept;

  contention_state& s_;
};

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
