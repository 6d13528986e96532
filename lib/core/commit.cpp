// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The top-level attempt loop: begin an attempt, commit it (lock the write
// set in address order, validate the reads, publish, wake the waiters), and
// end it after a commit, a conflict or an exception. What happens between
// attempts that conflicted is contention.hpp's; blocking in retry() is
// blocking.cpp's.
#include "core/contention.hpp"
#include "core/engine.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>

#include <boost/config.hpp>

#include <algorithm>
#include <exception>

#include <time.h>

namespace boost {
namespace stm {
namespace detail {
namespace {

// A time not earlier than now, cheaper to read than steady_clock (whose
// reading costs more than a whole small transaction): Linux's coarse
// monotonic clock lags the clock steady_clock reads (CLOCK_MONOTONIC) by
// less than a tick, so adding two of its resolutions bounds now from above.
// Checked once against steady_clock; without it, steady_clock itself.
clock_type::time_point start_bound() noexcept {
#if defined(__linux__) && defined(CLOCK_MONOTONIC_COARSE)
  using std::chrono::nanoseconds;
  auto at = [](nanoseconds n) {
    return clock_type::time_point(std::chrono::duration_cast<clock_type::duration>(n));
  };
  auto coarse = [](clockid_t id) -> std::optional<nanoseconds> {
    timespec ts;
    if (clock_gettime(id, &ts) != 0) return std::nullopt;
    return nanoseconds(std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec);
  };
  static const std::optional<nanoseconds> slack = [&]() -> std::optional<nanoseconds> {
    timespec res;
    if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) != 0) return std::nullopt;
    nanoseconds s(2 * (std::int64_t(res.tv_sec) * 1000000000 + res.tv_nsec));
    std::optional<nanoseconds> c = coarse(CLOCK_MONOTONIC_COARSE);
    clock_type::time_point precise = clock_type::now();
    if (!c || s > std::chrono::milliseconds(50)) return std::nullopt;
    // Same timeline, and the bound holds: else do without.
    if (at(*c + s) < precise || at(*c) > precise)
      return std::nullopt;
    return s;
  }();
  if (slack)
    if (std::optional<nanoseconds> c = coarse(CLOCK_MONOTONIC_COARSE))
      return at(*c + *slack);
#endif
  return clock_type::now();
}

// std::sort, but by plain insertion for the few entries of a typical write
// set (std::sort's insertion step moves them with memmove calls).
template <class Seq, class Less>
void sort_small(Seq& v, Less less) {
  if (v.size() > 16) return std::sort(v.begin(), v.end(), less);
  for (std::size_t i = 1; i < v.size(); ++i) {
    auto x = v[i];
    std::size_t j = i;
    for (; j > 0 && less(x, v[j - 1]); --j) v[j] = v[j - 1];
    v[j] = x;
  }
}

// Allocates, before anything is published, all that publishing will need:
// room to retire every written value and to register every re-run watcher.
// Publishing itself then cannot throw; a bad_alloc from here leaves the
// commit undone, with its locks to release (see top_level::commit).
// Capacities only grow, and only a committer holding a tvar's lock adds to
// its watcher list, so what is reserved here is still there when
// register_watcher() uses it.
void prepare_publish(transaction& tx, std::size_t boxed) {
  if (boxed) ebr::reserve(boxed);
  for (const rerun& r : tx.reruns) {
    std::lock_guard<std::mutex> g(r.w->mutex_);  // then each m.lock, as register_watcher()
    std::vector<tvar_base*>& watched = r.w->watched_;
    watched.reserve(r.reads.size());
    for (tvar_base* v : r.reads) {
      // Only a tvar w does not watch now can gain w. (Should another commit
      // make w stop watching v meanwhile, that frees the room w takes again.)
      if (std::binary_search(watched.begin(), watched.end(), v)) continue;
      // Every re-run watcher of this commit may start watching v.
      tvar_meta& m = meta_of(*v);
      std::lock_guard<std::mutex> mg(m.lock);
      std::size_t need = m.watchers.size() + tx.reruns.size();
      if (m.watchers.capacity() < need) m.watchers.reserve(std::max(need, 2 * m.watchers.capacity()));
    }
  }
}

// Takes v's waiters into `out` (empty), while the commit still holds v's
// lock: the commit touches no tvar after it releases their locks, so a
// thread that has seen the new value may destroy v at once.
void take_waiters(tvar_base& v, std::vector<parker*>& out) noexcept {
  tvar_meta& m = meta_of(v);  // exists: has_waiters was set
  std::lock_guard<std::mutex> g(m.lock);
  out.swap(m.waiters);
  v.flags_.fetch_and(~tvar_base::has_waiters, std::memory_order_seq_cst);
}

void wake(std::vector<parker*>& ws) noexcept {
  for (parker* p : ws) {
    if (!p->done_.load(std::memory_order_acquire)) p->signal();
    p->release();
  }
  ws.clear();
}

// Whether this commit holds v's lock, taken when v's version was `version`.
// The locks are sorted: a scan for the few of a typical commit, a binary
// search beyond.
bool locked_by_me(const transaction& tx, tvar_base* v, std::uint64_t version) noexcept {
  const std::uintptr_t* first = tx.locks.begin();
  const std::uintptr_t* last = tx.locks.end();
  const std::uintptr_t* it = first;
  if (last - first > 8) {
    it = std::lower_bound(first, last, v, [](std::uintptr_t k, const tvar_base* p) {
      return lock_key::var(k) < p;
    });
  } else {
    while (it != last && lock_key::var(*it) < v) ++it;
  }
  return it != last && lock_key::var(*it) == v &&
         tx.lock_versions[std::size_t(it - first)] == version;
}

}  // namespace

// ---- the top-level loop ------------------------------------------------------------

top_level::top_level() : tx_(acquire_transaction()), start_{start_bound(), std::nullopt} {
  tx_->stats->inc(c_transactions);
}


top_level::~top_level() {
  if (t_current == tx_) end_attempt(*tx_);
  contention_manager(contention_).release();
  release_transaction(tx_);
}

void top_level::begin() {
  contention_manager(contention_).begin_attempt(*tx_->stats);
  transaction& tx = *tx_;
  tx.start = &start_;
  tx.reset_attempt();
  tx.rv = g_clock.load(std::memory_order_seq_cst);
  clock_fence();
  t_current = tx_;
  tx.stats->inc(c_attempts);
}

bool top_level::commit() {
  transaction& tx = *tx_;
  counters& cs = *tx.stats;
  if (tx.doomed) {
    // The body caught (and swallowed) a conflict, then returned: what it
    // computed may rest on an inconsistent view. Run it again.
    end_attempt(tx);
    contention_manager(contention_).on_restart(cs, restart_cause::read);
    return false;
  }
  // The body swallowed a retry() (catch (...)) and returned: wait anyway.
  if (tx.retry_pending) throw retry_signal{};
  if (!tx.writes.empty() || !tx.proposals.empty()) {
    // The watcher fixpoint, unless no written tvar has a watcher and no
    // watch was proposed: then only each tvar's watch version is noted (as
    // run_watchers() would note it, before looking at the count).
    bool watched = !tx.proposals.empty();
    for (write_entry& e : tx.writes) {
      e.watch_version = watch_version_of(*e.var);
      e.scanned = true;
      if (e.var->flags_.load(std::memory_order_acquire) >= tvar_base::one_watcher) watched = true;
    }
    if (watched) run_watchers(tx);  // may add writes
  }
  if (tx.writes.empty() && tx.reruns.empty()) {
    // Read-only: every read was consistent at rv, which is its commit point.
    return committed(tx);
  }
  contention_manager(contention_).before_commit();

  // Lock the write set and every tvar a re-run watcher will watch, in
  // address order (no deadlock between committers). The write set has no
  // duplicates; the watchers' tvars may repeat it and each other.
  tx_log<std::uintptr_t>& locks = tx.locks;
  locks.clear();
  std::size_t boxed = 0;
  for (const write_entry& e : tx.writes) {
    locks.emplace_back(lock_key::make(e.var, lock_key::written));
    boxed += e.boxed;
  }
  for (const rerun& r : tx.reruns)
    for (tvar_base* v : r.reads) locks.emplace_back(lock_key::make(v, 0));
  sort_small(locks, std::less<std::uintptr_t>());
  if (!tx.reruns.empty()) {
    std::size_t n = 1;
    for (std::size_t i = 1; i < locks.size(); ++i) {
      if (lock_key::var(locks[i]) == lock_key::var(locks[n - 1]))
        locks[n - 1] |= locks[i];
      else
        locks[n++] = locks[i];
    }
    locks.erase(locks.begin() + n, locks.end());
  }
  tx_log<std::uint64_t>& versions = tx.lock_versions;
  versions.clear();
  versions.reserve(locks.size());  // nothing below may throw while holding a lock
  for (std::uintptr_t k : locks) {
    std::atomic<std::uint64_t>& l = lock_key::var(k)->vlock_;
    unsigned spins = 0;
    std::uint64_t v = l.load(std::memory_order_relaxed);
    for (;;) {
      if (v & 1) {
        spin_pause(spins);
        v = l.load(std::memory_order_relaxed);
        continue;
      }
      // seq_cst: the waiter argument in engine.hpp.
      if (l.compare_exchange_weak(v, v | 1, std::memory_order_seq_cst, std::memory_order_relaxed))
        break;
    }
    versions.emplace_back(v);
  }
  auto unlock_unchanged = [&] {
    for (std::size_t i = 0; i < locks.size(); ++i)
      lock_key::var(locks[i])->vlock_.store(versions[i], std::memory_order_release);
  };
  auto give_up = [&](restart_cause c) {
    tx.cause = c;
    unlock_unchanged();
    end_attempt(tx);
    contention_manager(contention_).on_restart(cs, c);
    return false;
  };

  // The clock is read, not advanced (see engine.hpp); wv is above
  // every version this commit replaces, so a later commit of the same tvars
  // (which waited for these locks) publishes a later version.
  std::uint64_t wv = g_clock.load(std::memory_order_seq_cst) + 1;
  for (std::uint64_t v : versions)
    if ((v >> 1) >= wv) wv = (v >> 1) + 1;
  // The same for a re-run watcher's last registration, which a commit that
  // shares none of our written tvars (only the watched ones, which keep
  // their versions) may have made: our run is the later one, and
  // register_watcher() keeps the registration with the highest version.
  for (const rerun& r : tx.reruns) {
    std::lock_guard<std::mutex> g(r.w->mutex_);
    std::uint64_t last = r.w->registered_version_;
    if (last != ~std::uint64_t(0) && last >= wv) wv = last + 1;
  }
  for (const read_entry& r : tx.reads) {
    std::uint64_t cur = r.var->vlock_.load(std::memory_order_acquire);
    if (cur == r.version) continue;
    if ((cur & 1) && locked_by_me(tx, r.var, r.version)) continue;
    on_conflict_site(r.var, restart_cause::commit);
    return give_up(restart_cause::commit);
  }

  // Now that the locks are ours (seq_cst), and before they are released,
  // for each written tvar: whether a watcher registered since the watchers
  // were looked up (then restart: it must see this commit), and whether it
  // has waiters to wake (the waiter argument in engine.hpp). A
  // watcher registered and gone again meanwhile watches nothing here.
  std::size_t wakes = 0;
  for (write_entry& e : tx.writes) {
    std::uint32_t f = e.var->flags_.load(std::memory_order_seq_cst);
    if (f >= tvar_base::one_watcher && watch_version_of(*e.var) != e.watch_version) {
      on_conflict_site(e.var, restart_cause::watch);
      return give_up(restart_cause::watch);
    }
    e.wake = (f & tvar_base::has_waiters) != 0;
    wakes += e.wake;
  }
  if (wakes || boxed || !tx.reruns.empty()) {
    try {
      if (tx.wake_lists.size() < wakes) tx.wake_lists.resize(wakes);
      prepare_publish(tx, boxed);
    } catch (...) {
      unlock_unchanged();
      throw;  // atomically() ends the attempt (on_exception) and rethrows
    }
  }

  // Committed. Boxed values are retired inside an epoch, so that freeing
  // them (user destructors, which may run transactions) waits until
  // end_attempt() has left it, with no locks held and no current
  // transaction.
  if (boxed && !tx.in_epoch) {
    ebr::enter();
    tx.in_epoch = true;
  }
  for (write_entry& e : tx.writes) {
    word old = e.var->value_.load(std::memory_order_relaxed);
    e.var->value_.store(e.value, std::memory_order_release);
    if (e.boxed) {
      e.value = 0;  // published: no longer the attempt's to free
      ebr::retire(as_node(old));
    }
  }
  for (const rerun& r : tx.reruns) register_watcher(r.w, r.reads, wv);
  std::size_t j = 0;
  if (wakes)
    for (const write_entry& e : tx.writes)
      if (e.wake) take_waiters(*e.var, tx.wake_lists[j++]);
  // Publish: written tvars get the new version, the others their old one.
  // These stores are the commit's last touch of its tvars (~tvar_base waits
  // for them); the waiters taken above are woken after it.
  for (std::size_t i = 0; i < locks.size(); ++i)
    lock_key::var(locks[i])->vlock_.store((locks[i] & lock_key::written) ? (wv << 1) : versions[i],
                                          std::memory_order_release);
  for (std::size_t i = 0; i < j; ++i) wake(tx.wake_lists[i]);
  return committed(tx);
}

bool top_level::committed(transaction& tx) noexcept {
  if (BOOST_UNLIKELY(!tx.actions.empty()))
    end_keeping_actions(tx);
  else
    end_attempt(tx);
  tx.stats->inc(c_commits);
  woken_ = false;
  return true;
}

// The after-commit actions outlive the attempt: finish() runs them.
BOOST_NOINLINE void top_level::end_keeping_actions(transaction& tx) noexcept {
  std::vector<std::function<void()>> actions;
  actions.swap(tx.actions);
  end_attempt(tx);
  tx.actions.swap(actions);
  has_actions_ = true;
}

void top_level::finish_slow() {
  has_actions_ = false;
  contention_manager contention(contention_);
  if (!contention.serial() && tx_->actions.empty()) return;
  contention.release();
  std::vector<std::function<void()>> actions;
  actions.swap(tx_->actions);
  std::exception_ptr first;
  for (auto& a : actions) {
    try {
      a();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

void top_level::on_conflict() noexcept {
  transaction& tx = *tx_;
  const restart_cause cause = tx.cause;
  end_attempt(tx);
  contention_manager(contention_).on_restart(*tx.stats, cause);
}

bool top_level::on_exception() noexcept {
  transaction& tx = *tx_;
  bool doomed = tx.doomed;
  end_attempt(tx);
  if (doomed) {  // a conflict was swallowed by the body: restart, not throw
    contention_manager(contention_).on_restart(*tx.stats, restart_cause::read);
    return false;
  }
  tx.stats->inc(c_aborts);
  return true;
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
