// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to the transaction engine (lib/core/read_write.cpp, frames.cpp,
// commit_watchers.cpp, commit.cpp, blocking.cpp): the global version clock,
// the current transaction, and the small helpers these files share.
//
// Ordering, in one place:
// - A tvar's vlock_ is even when free and holds (version << 1); a committer
//   sets bit 0 (a seq_cst CAS), stores the new value word, then stores
//   (wv << 1) (release). Readers load vlock_, the word, and vlock_ again:
//   equal and even means the pair is consistent (a seqlock); a version above
//   the reader's rv means the value is too new for its snapshot (extend the
//   snapshot or restart).
// - Waiters: a blocking attempt appends itself to a tvar's waiter list and
//   sets has_waiters (a seq_cst RMW), then re-reads vlock_ (seq_cst) and
//   sleeps only if it still holds the version it read. A committer takes the
//   tvar's lock (seq_cst CAS), and later, still holding it, reads
//   has_waiters (seq_cst). In the single total order of these operations,
//   either the committer's read comes after the waiter's RMW (it sees the
//   waiter and wakes it once it has published), or it comes before, and then
//   so does its CAS, and the waiter's re-read sees the tvar locked or newer
//   and does not sleep. (If that commit then fails validation it restores
//   the old version and wrote nothing: no wake-up was owed.) No wake-up is
//   lost, the publishing store needs no fence, and a commit whose tvars have
//   no waiters touches no wait structure.
// - The clock (g_clock) is not advanced by commits (TL2's GV5): every
//   commit writing a shared cache line would cap all writers, however
//   disjoint, at one line transfer each (on 16 cores the bank with 1,024
//   accounts stayed at 9 M transfers/s where a mutex per account reached
//   88). A committer takes its locks (seq_cst CAS), then loads the clock
//   (seq_cst) and publishes with wv = max(clock + 1, the old versions of the
//   tvars it locked + 1), so wv may run ahead of the clock. A reader that
//   meets a version above its rv raises the clock to that version (a
//   seq_cst CAS that only ever raises it), revalidates its reads (seq_cst
//   loads) and adopts the clock as rv; the clock advances only then, once
//   per fresh version met rather than once per commit. Why no snapshot can
//   tear: a commit B that loaded the clock below the value a reader R
//   adopts loaded it before the raise in the total order, and B's locks
//   precede that load; so every read R makes after adopting sees each of
//   B's tvars either locked or published, and R's revalidation after the
//   raise sees any of B's tvars it read before. A commit can no longer skip
//   validating its reads when no other commit intervened (wv == rv + 1
//   proves nothing now); it always validates.
//   The argument needs the readers' plain acquire loads to be ordered after
//   their load of the clock as seq_cst loads would be; x86 (TSO) gives that,
//   elsewhere begin() adds a seq_cst fence (see clock_fence()).
// - Epochs (ebr.hpp): an attempt enters one just before it first loads a
//   boxed tvar's node pointer, and leaves it when the attempt ends.
// - Watchers: see run_watchers() and register_watcher().
#ifndef BOOST_STM_LIB_CORE_ENGINE_HPP_INCLUDED
#define BOOST_STM_LIB_CORE_ENGINE_HPP_INCLUDED

#include "core/internal.hpp"

#include <boost/stm/detail/core/ebr.hpp>

#include <boost/config.hpp>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

// Defined here (inline, local to the library) rather than in one source
// file, so that every file of the engine reaches them as directly as the
// file that defines them would.
BOOST_STM_LOCAL inline std::atomic<std::uint64_t> g_clock{0};

// The transaction running on this thread (beside the read and write paths
// that look it up).
BOOST_STM_LOCAL inline thread_local transaction* t_current = nullptr;

constexpr std::uint64_t npos = ~std::uint64_t(0);

inline void spin_pause(unsigned& i) {
  if (++i < 64) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

// On processors whose plain loads may pass an earlier load (not x86), the
// ordering argument above needs a full fence after a
// transaction reads the clock.
inline void clock_fence() noexcept {
#if !(defined(__x86_64__) || defined(__i386__))
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

[[noreturn]] inline void conflict(transaction& tx, restart_cause c) {
  tx.doomed = true;
  tx.cause = c;
  throw conflict_signal{};
}

// Leaves the transaction before freeing what the attempt owned: freeing runs
// user destructors (unpublished values, watchers' functions, and values that
// ebr::exit() reclaims), and a destructor may run a transaction of its own.
// It must start a new top-level one, not write into this finished
// descriptor (its writes would leak into this thread's next transaction).
inline void end_attempt(transaction& tx) noexcept {
  t_current = nullptr;
  tx.discard_attempt();
  if (tx.in_epoch) {
    tx.in_epoch = false;
    ebr::exit();
  } else if (*tx.ebr_pending && --tx.poll_countdown == 0) {
    // Values this thread retired earlier must not wait for its next epoch,
    // which may never come: try every so often.
    tx.poll_countdown = 64;
    ebr::poll();
  }
}

// The watcher fixpoint of a commit, and the registration of its re-run
// watchers when it publishes (commit_watchers.cpp).
void run_watchers(transaction& tx);
void register_watcher(watcher_base* w, const std::vector<tvar_base*>& reads, std::uint64_t wv);

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
