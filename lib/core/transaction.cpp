// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The transaction engine: TL2-style reads and commits over a global version
// clock, nested frames, blocking retry, serial escalation, and the commit-time
// watcher fixpoint.
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
#include "core/internal.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/core/ebr.hpp>
#include <boost/stm/errors.hpp>

#include <boost/config.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <time.h>

namespace boost {
namespace stm {
namespace detail {
namespace {

std::atomic<std::uint64_t> g_clock{0};

// The transaction running on this thread (here, beside the read and write
// paths that look it up).
thread_local transaction* t_current = nullptr;

// Serial mode: a transaction that restarted BOOST_STM_SERIAL_AFTER times
// takes g_serial_mutex and raises g_serial; writing commits that see the flag
// wait for the mutex before they lock anything. Commits already past that
// check can still make the serial transaction restart, but each thread only
// once, so it cannot starve.
std::mutex g_serial_mutex;
std::atomic<bool> g_serial{false};
thread_local bool t_serial_here = false;  // this thread holds g_serial_mutex

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
// ordering argument at the top of this file needs a full fence after a
// transaction reads the clock.
inline void clock_fence() noexcept {
#if !(defined(__x86_64__) || defined(__i386__))
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

// The snapshot must reach `needed` (a version met above rv): raise the clock
// to it if nobody has yet, then revalidate every read (see the top of this
// file).
bool extend(transaction& tx, std::uint64_t needed) {
  std::uint64_t now = g_clock.load(std::memory_order_seq_cst);
  while (now < needed &&
         !g_clock.compare_exchange_weak(now, needed, std::memory_order_seq_cst,
                                        std::memory_order_seq_cst)) {
  }
  if (now < needed) now = needed;
  for (const read_entry& r : tx.reads)
    if (r.var->vlock_.load(std::memory_order_seq_cst) != r.version) return false;
  tx.rv = now;
  return true;
}

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

// Contention management before a restart: a randomised, exponentially
// growing pause (up to about 1,000 pause instructions, tens of
// microseconds), so that transactions that collided do not collide again
// at once. Serial escalation (BOOST_STM_SERIAL_AFTER restarts) stays the
// guarantee against starvation; backing off first keeps it rare, which
// matters because a serial run stops every writing commit of the process
// (on 16 threads, 8 hot accounts and no backoff, most commits ended up
// waiting for serial runs).
void backoff(unsigned restarts) noexcept {
  thread_local std::uint32_t seed = 0;
  if (seed == 0) seed = std::uint32_t(reinterpret_cast<std::uintptr_t>(&seed) >> 4) | 1;
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  unsigned shift = restarts < 7 ? restarts : 7;
  unsigned n = seed & ((8u << shift) - 1);
  for (unsigned i = 0; i < n; ++i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
  }
}

[[noreturn]] void conflict(transaction& tx, restart_cause c) {
  tx.doomed = true;
  tx.cause = c;
  throw conflict_signal{};
}

}  // namespace

transaction* current() noexcept { return t_current; }
void set_current(transaction* tx) noexcept { t_current = tx; }

// ---- the descriptor -------------------------------------------------------------

std::size_t transaction::find_write(const tvar_base* v) const noexcept {
  if (writes.size() > BOOST_STM_WRITE_INDEX_AFTER) {
    auto it = windex.find(const_cast<tvar_base*>(v));
    return it == windex.end() ? npos : it->second;
  }
  for (std::size_t i = 0; i < writes.size(); ++i)
    if (writes[i].var == v) return i;
  return npos;
}

void transaction::reset_attempt() {
  frame = next_frame++;
  written_filter = 0;
  doomed = false;
  retry_pending = false;
  destroyed_reads = 0;
  now.reset();
  deadline.reset();
  collector = nullptr;
  committed_view = 0;
}

void transaction::discard_attempt() noexcept {
  reads.clear();
  actions.clear();
  if (boxed_logged) {
    boxed_logged = false;
    // Undo entries point into writes: free theirs first.
    for (undo_entry& u : undo)
      if (u.boxed) delete as_node(u.value);
    for (write_entry& w : writes)
      if (w.boxed) delete as_node(w.value);
  }
  writes.clear();
  undo.clear();
  if (!windex.empty()) windex.clear();  // (clear() on an empty map still wipes its buckets)
  if (!garbage.empty()) {
    for (node_base* n : garbage) delete n;
    garbage.clear();
  }
  if (!proposals.empty() || !reruns.empty() || !pinned.empty()) {
    for (watcher_base* w : proposals) w->release();
    for (rerun& r : reruns) {
      r.w->release();
      if (r.reads.capacity() != 0 && spare_reads.size() < 16) {
        r.reads.clear();
        try {
          spare_reads.push_back(std::move(r.reads));
        } catch (...) {
        }
      }
    }
    for (watcher_base* w : pinned) w->release();
    proposals.clear();
    reruns.clear();
    pinned.clear();
  }
}

// ---- reads and writes -------------------------------------------------------------

namespace {
struct snapshot {
  std::uint64_t version;  // the vlock_ word, even
  word value;
};

// A consistent (version, value) pair of v: a seqlock read that waits out a
// commit holding v's lock.
snapshot consistent_snapshot(const tvar_base& v) noexcept {
  unsigned spins = 0;
  for (;;) {
    std::uint64_t v1 = v.vlock_.load(std::memory_order_acquire);
    if (v1 & 1) {
      spin_pause(spins);
      continue;
    }
    word w = v.value_.load(std::memory_order_acquire);
    if (v.vlock_.load(std::memory_order_acquire) == v1) return {v1, w};
  }
}
}  // namespace

namespace {
// Everything read() does besides the common case below.
BOOST_NOINLINE word read_slow(transaction& tx, tvar_base& v) {
  if (tx.collector) tx.collector->push_back(&v);
  if (!tx.committed_view && (tx.written_filter & transaction::filter_bit(&v))) {
    std::size_t i = tx.find_write(&v);
    if (i != npos) return tx.writes[i].value;
  }
  if (tx.doomed) conflict(tx, tx.cause);
  if (v.boxed_ && !tx.in_epoch) {
    // Before the first node pointer is loaded (see ebr.hpp).
    ebr::enter();
    tx.in_epoch = true;
  }
  for (;;) {
    snapshot s = consistent_snapshot(v);
    if ((s.version >> 1) > tx.rv) {  // too new for our snapshot: try to extend it
      if (!extend(tx, s.version >> 1)) conflict(tx, restart_cause::read);
      continue;
    }
    tx.reads.emplace_back(&v, s.version);
    return s.value;
  }
}

// The common case, with no call and no spill: a tvar this attempt has not
// written, no hook on reads, the epoch (if v needs one) already entered, a
// seqlock read that finds v unlocked and no newer than the snapshot, and
// room in the read log.
inline word read_fast(transaction& tx, tvar_base& v) {
  if (!tx.collector && !tx.committed_view && !tx.doomed &&
      !(tx.written_filter & transaction::filter_bit(&v)) && (!v.boxed_ || tx.in_epoch) &&
      !tx.reads.full()) {
    std::uint64_t v1 = v.vlock_.load(std::memory_order_acquire);
    word w = v.value_.load(std::memory_order_acquire);
    std::uint64_t v2 = v.vlock_.load(std::memory_order_acquire);
    if (v1 == v2 && !(v1 & 1) && (v1 >> 1) <= tx.rv) {
      tx.reads.emplace_back(&v, v1);
      return w;
    }
  }
  return read_slow(tx, v);
}
}  // namespace

word read(transaction& tx, tvar_base& v) { return read_fast(tx, v); }

word read_unboxed(tvar_base& v) {
  if (transaction* tx = t_current) return read_fast(*tx, v);
  return consistent_snapshot(v).value;
}

word read_committed(tvar_base& v) noexcept { return consistent_snapshot(v).value; }

namespace {
// Everything write() does besides the common case below.
BOOST_NOINLINE void write_slow(transaction& tx, tvar_base& v, word w) {
  std::unique_ptr<node_base> owned(v.boxed_ ? as_node(w) : nullptr);
  tx.boxed_logged |= v.boxed_;
  const std::uint64_t frame = tx.frame;
  const std::uint64_t bit = transaction::filter_bit(&v);
  std::size_t i = (tx.written_filter & bit) ? tx.find_write(&v) : npos;
  if (i == npos) {
    tx.written_filter |= bit;
    tx.writes.emplace_back(&v, w, frame, v.boxed_);
    owned.release();
    if (tx.writes.size() > BOOST_STM_WRITE_INDEX_AFTER) {
      try {
        if (tx.windex.empty())
          for (std::size_t k = 0; k < tx.writes.size(); ++k) tx.windex.emplace(tx.writes[k].var, k);
        else
          tx.windex.emplace(&v, tx.writes.size() - 1);
      } catch (...) {
        if (v.boxed_) delete as_node(tx.writes.back().value);
        tx.writes.pop_back();
        tx.windex.clear();
        throw;
      }
    }
    return;
  }
  write_entry& e = tx.writes[i];
  if (e.frame == frame) {
    if (v.boxed_) tx.garbage.push_back(as_node(e.value));  // may throw: w is still owned
  } else {
    tx.undo.emplace_back(i, e.value, e.frame, e.dirty, e.boxed);
    e.frame = frame;
  }
  owned.release();
  e.value = w;
  e.dirty = true;
}
}  // namespace

// The common case: a tvar not yet written by this attempt (by the filter),
// a write set small enough to need no index, and room in the log.
void write(transaction& tx, tvar_base& v, word w) {
  const std::uint64_t bit = transaction::filter_bit(&v);
  if (!(tx.written_filter & bit) && tx.writes.size() < BOOST_STM_WRITE_INDEX_AFTER &&
      !tx.writes.full()) {
    tx.written_filter |= bit;
    tx.boxed_logged |= v.boxed_;
    tx.writes.emplace_back(&v, w, tx.frame, v.boxed_);  // no throw: there is room
    return;
  }
  write_slow(tx, v, w);
}

bool write_unboxed(tvar_base& v, word w) {
  transaction* tx = t_current;
  if (!tx) return false;
  write(*tx, v, w);
  return true;
}

[[noreturn]] void throw_retry() {
  transaction* tx = current();
  if (!tx)
    throw usage_error(
        "stm::retry() called outside a transaction: call it inside atomically(), where it "
        "blocks until a tvar the transaction read is written");
  tx->retry_pending = true;
  throw retry_signal{};
}

void retry_handled(transaction& tx) noexcept { tx.retry_pending = false; }

void forget_destroyed(tvar_base& v) noexcept {
  transaction* tx = t_current;
  if (!tx) return;
  read_entry* out = tx->reads.begin();
  for (read_entry& r : tx->reads)
    if (r.var != &v) *out++ = r;
  if (out == tx->reads.end()) return;
  tx->reads.erase(out, tx->reads.end());
  ++tx->destroyed_reads;
}

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

void add_after_commit(transaction& tx, std::function<void()> f) {
  tx.actions.push_back(std::move(f));
}

bool elapsed_until(transaction& tx, clock_type::time_point tp) {
  if (!tx.now) tx.now = clock_type::now();
  if (*tx.now >= tp) return true;
  if (!tx.deadline || tp < *tx.deadline) tx.deadline = tp;
  return false;
}

clock_type::time_point start_time(transaction& tx) noexcept {
  top_level::start_clock& s = *tx.start;
  if (!s.fixed) {
    if (!tx.now) tx.now = clock_type::now();
    s.fixed = std::min(s.bound, *tx.now);
  }
  return *s.fixed;
}

// ---- nested frames -------------------------------------------------------------

namespace {

// A value written and then rolled back is freed only when the attempt ends:
// it may own tvars (a container's new cell) that this attempt has read, and
// the read set must stay valid until the attempt has finished with it.
void discard(transaction& tx, node_base* n) noexcept {
  try {
    tx.garbage.push_back(n);
  } catch (...) {
    delete n;
  }
}

void rollback_to(transaction& tx, const frame_mark& f) noexcept {
  while (tx.undo.size() > f.undo) {
    undo_entry u = tx.undo.back();
    tx.undo.pop_back();
    write_entry& e = tx.writes[u.index];
    if (e.boxed) discard(tx, as_node(e.value));
    e.value = u.value;
    e.frame = u.frame;
    // Back to the value it had, and to whether watchers have seen it: a
    // nested scope opened and undone inside one watcher run (would_block,
    // a caught exception) must not re-trigger that tvar's watchers, or the
    // commit's fixpoint would never settle. No scan of the write set
    // happens while such a scope is open.
    e.dirty = u.dirty;
  }
  while (tx.writes.size() > f.writes) {
    write_entry& e = tx.writes.back();
    if (e.boxed) discard(tx, as_node(e.value));
    if (!tx.windex.empty()) tx.windex.erase(e.var);
    tx.writes.pop_back();
  }
  if (tx.writes.size() <= BOOST_STM_WRITE_INDEX_AFTER) tx.windex.clear();
  tx.actions.resize(std::min(tx.actions.size(), f.actions));
  while (tx.proposals.size() > f.proposals) {
    tx.proposals.back()->release();
    tx.proposals.pop_back();
  }
}

}  // namespace

nested_scope::nested_scope(transaction& tx) noexcept
    : tx_(tx),
      parent_(tx.frame),
      mark_{tx.writes.size(), tx.undo.size(), tx.actions.size(), tx.proposals.size()} {
  tx.frame = tx.next_frame++;
}

nested_scope::~nested_scope() {
  if (done_) return;
  rollback_to(tx_, mark_);
  tx_.frame = parent_;
}

void nested_scope::commit() noexcept {
  // The frame's undo entries stay: the parent may still roll back past them.
  tx_.frame = parent_;
  done_ = true;
}

committed_view_scope::committed_view_scope(transaction& tx) : nested_(tx), tx_(tx) {
  ++tx_.committed_view;
}
committed_view_scope::~committed_view_scope() { --tx_.committed_view; }

// ---- watchers at commit ------------------------------------------------------------

namespace {

void run_one(transaction& tx, watcher_base* w) {
  // Announce the run before reading active_: cancel() commits active_ = 0,
  // then does a seq_cst read-modify-write of active_'s vlock_ (reading the
  // cancelling commit's word or a later one) and loads in_flight_ (seq_cst),
  // waiting for zero (drain() in watch.cpp). Here the increment and a seq_cst
  // load of active_'s vlock_ are in the same single total order, so either
  // this load comes after that read-modify-write and sees the cancelling
  // commit (and read() below, by coherence, its value), or cancel()'s load
  // comes after the increment and waits. (No fence: ThreadSanitizer does not
  // model fences.)
  w->in_flight_.fetch_add(1, std::memory_order_seq_cst);
  (void)w->active_.vlock_.load(std::memory_order_seq_cst);
  struct leave {
    watcher_base* w;
    ~leave() { w->in_flight_.fetch_sub(1, std::memory_order_seq_cst); }
  } guard{w};
  if (!read(tx, w->active_)) {
    // Cancelled. The read of active_ stays in the read set (validated at
    // commit), so w must outlive this attempt even though it will not run:
    // the cancelling thread may drop the last other reference meanwhile.
    tx.pinned.push_back(w);
    w->add_ref();
    return;
  }
  tx.stats->inc(c_watcher_runs);
  // A buffer with capacity from an earlier run: watchers re-run at every
  // commit that touches what they read, and a fresh vector per run showed.
  std::vector<tvar_base*> reads;
  if (!tx.spare_reads.empty()) {
    reads.swap(tx.spare_reads.back());
    tx.spare_reads.pop_back();
  }
  struct give_back {
    transaction& tx;
    std::vector<tvar_base*>& v;
    ~give_back() {
      if (v.capacity() == 0 || tx.spare_reads.size() >= 16) return;
      v.clear();
      try {
        tx.spare_reads.push_back(std::move(v));
      } catch (...) {
      }
    }
  } back{tx, reads};
  try {
    w->invoke(tx, reads);
  } catch (const retry_signal&) {
    // Only a retry that nothing inside the watcher caught (or_else and
    // would_block there catch theirs) would block the committing transaction.
    throw usage_error(
        "stm::retry() inside a watcher function or callback: watchers run inside the "
        "committing transaction and cannot block; use try_ operations there");
  }
  std::sort(reads.begin(), reads.end());
  reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
  for (rerun& r : tx.reruns)
    if (r.w == w) {
      r.reads.swap(reads);
      return;
    }
  tx.reruns.push_back(rerun{w, std::move(reads)});
  w->add_ref();
}

// The fixpoint: run new proposals and the watchers of every tvar written
// since the last look, until a round triggers nothing. Runs before the
// commit locks anything; the watchers' reads join the transaction's read set,
// so they are validated with everything else.
void run_watchers(transaction& tx) {
  std::size_t proposals_run = 0;
  unsigned rounds = 0;
  tx.verdicts.clear();
  for (;;) {
    tx.triggered.clear();
    // Each entry holds a reference: if collecting them fails (bad_alloc),
    // give back those already taken, or those watchers are never freed.
    struct collecting {
      std::vector<watcher_base*>& v;
      bool done = false;
      ~collecting() {
        if (done) return;
        for (watcher_base* w : v) w->release();
        v.clear();
      }
    } collect{tx.triggered};
    for (; proposals_run < tx.proposals.size(); ++proposals_run) {
      tx.triggered.push_back(tx.proposals[proposals_run]);
      tx.proposals[proposals_run]->add_ref();
    }
    for (std::size_t i = 0; i < tx.writes.size(); ++i) {
      write_entry& e = tx.writes[i];
      if (!e.dirty) continue;
      e.dirty = false;
      if (!e.scanned) {
        // Before looking at the list: a registration after this bumps it.
        e.watch_version = watch_version_of(*e.var);
        e.scanned = true;
      }
      // Watchers that already ran in this commit are registered only when
      // it publishes; until then what they read last is in tx.reruns (for a
      // new proposal, or a run that read something new), and a later write
      // to it must run them again just the same.
      for (const rerun& r : tx.reruns)
        if (std::binary_search(r.reads.begin(), r.reads.end(), e.var)) {
          tx.triggered.push_back(r.w);
          r.w->add_ref();
        }
      if (e.var->flags_.load(std::memory_order_acquire) < tvar_base::one_watcher) continue;
      tvar_meta& m = meta_of(*e.var);
      std::lock_guard<std::mutex> g(m.lock);
      for (watcher_base* w : m.watchers) {
        tx.triggered.push_back(w);
        w->add_ref();
      }
    }
    collect.done = true;
    if (tx.triggered.empty()) {
      // The fixpoint: only now are invariants judged (see record_verdict).
      for (const auto& v : tx.verdicts)
        if (!v.second)
          throw invariant_error(
              "stm: a commit would break an invariant registered with stm::invariant(); "
              "the transaction was rolled back");
      return;
    }
    // (batch and triggered trade buffers, round after round)
    std::vector<watcher_base*>& batch = tx.batch;
    batch.clear();
    batch.swap(tx.triggered);
    std::sort(batch.begin(), batch.end());
    struct releaser {
      std::vector<watcher_base*>& b;
      ~releaser() {
        for (watcher_base* w : b) w->release();
        b.clear();
      }
    } rel{batch};
    if (++rounds > BOOST_STM_MAX_WATCH_ROUNDS)
      throw watch_cascade_error(
          "stm: watcher callbacks kept re-triggering watchers for " +
          std::to_string(BOOST_STM_MAX_WATCH_ROUNDS) +
          " rounds without settling; make a callback write only when its value changes "
          "(stm::changes_only) or raise BOOST_STM_MAX_WATCH_ROUNDS");
    watcher_base* last = nullptr;
    for (watcher_base* w : batch) {
      if (w == last) continue;
      last = w;
      run_one(tx, w);
    }
  }
}

// Make w watch exactly `reads`, as of commit version wv. Called while the
// commit holds the locks of every tvar in `reads`.
void register_watcher(watcher_base* w, const std::vector<tvar_base*>& reads, std::uint64_t wv) {
  std::lock_guard<std::mutex> g(w->mutex_);
  if (wv <= w->registered_version_) return;  // a later commit's run already registered
  std::vector<tvar_base*>& old = w->watched_;  // sorted, like reads
  if (old == reads) {  // the usual re-run: the same tvars again
    w->registered_version_ = wv;
    return;
  }
  for (tvar_base* v : reads) {
    if (std::binary_search(old.begin(), old.end(), v)) continue;
    tvar_meta& m = meta_of(*v);
    std::lock_guard<std::mutex> mg(m.lock);
    m.watchers.push_back(w);
    w->add_ref();
    m.watch_version.fetch_add(1, std::memory_order_acq_rel);
    v->flags_.fetch_add(tvar_base::one_watcher, std::memory_order_acq_rel);
  }
  for (tvar_base* v : old) {
    if (std::binary_search(reads.begin(), reads.end(), v)) continue;
    tvar_meta& m = meta_of(*v);
    std::lock_guard<std::mutex> mg(m.lock);
    auto it = std::find(m.watchers.begin(), m.watchers.end(), w);
    if (it == m.watchers.end()) continue;
    m.watchers.erase(it);
    v->flags_.fetch_sub(tvar_base::one_watcher, std::memory_order_acq_rel);
    w->release();  // never the last: the caller holds one
  }
  old = reads;
  w->registered_version_ = wv;
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

bool locked_by_me(const transaction& tx, tvar_base* v, std::uint64_t version) {
  auto it = std::lower_bound(tx.locks.begin(), tx.locks.end(), v,
                             [](std::uintptr_t k, const tvar_base* p) { return lock_key::var(k) < p; });
  return it != tx.locks.end() && lock_key::var(*it) == v &&
         tx.lock_versions[std::size_t(it - tx.locks.begin())] == version;
}

}  // namespace

// ---- the top-level loop ------------------------------------------------------------

top_level::top_level() : tx_(acquire_transaction()), start_{start_bound(), std::nullopt} {
  tx_->stats->inc(c_transactions);
}

namespace {
// Leaves the transaction before freeing what the attempt owned: freeing runs
// user destructors (unpublished values, watchers' functions, and values that
// ebr::exit() reclaims), and a destructor may run a transaction of its own.
// It must start a new top-level one, not write into this finished
// descriptor (its writes would leak into this thread's next transaction).
void end_attempt(transaction& tx) noexcept {
  set_current(nullptr);
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
}  // namespace

top_level::~top_level() {
  if (current() == tx_) end_attempt(*tx_);
  if (serial_) {
    t_serial_here = false;
    g_serial.store(false, std::memory_order_release);
    g_serial_mutex.unlock();
  }
  release_transaction(tx_);
}

void top_level::begin() {
  // A transaction started while this thread is serial (by a destructor run
  // when an attempt ends, see end_attempt()) is already alone: it must not
  // wait for the serial mutex its own thread holds.
  if (!serial_ && restarts_ >= BOOST_STM_SERIAL_AFTER && !t_serial_here) {
    g_serial_mutex.lock();
    g_serial.store(true, std::memory_order_release);
    serial_ = true;
    t_serial_here = true;
    tx_->stats->inc(c_serial_runs);
  } else if (restarts_ != 0 && !serial_) {
    backoff(restarts_);
  }
  transaction& tx = *tx_;
  tx.start = &start_;
  tx.reset_attempt();
  tx.rv = g_clock.load(std::memory_order_seq_cst);
  clock_fence();
  set_current(tx_);
  tx.stats->inc(c_attempts);
}

bool top_level::commit() {
  transaction& tx = *tx_;
  counters& cs = *tx.stats;
  if (tx.doomed) {
    // The body caught (and swallowed) a conflict, then returned: what it
    // computed may rest on an inconsistent view. Run it again.
    end_attempt(tx);
    cs.inc(c_restarts_read);
    ++restarts_;
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
  if (!serial_ && g_serial.load(std::memory_order_acquire) && !t_serial_here) {
    std::lock_guard<std::mutex> wait_for_serial(g_serial_mutex);
  }

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
      // seq_cst: the waiter argument at the top of this file.
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
    cs.inc(c == restart_cause::watch ? c_restarts_watch : c_restarts_commit);
    ++restarts_;
    return false;
  };

  // The clock is read, not advanced (see the top of this file); wv is above
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
    return give_up(restart_cause::commit);
  }

  // Now that the locks are ours (seq_cst), and before they are released,
  // for each written tvar: whether a watcher registered since the watchers
  // were looked up (then restart: it must see this commit), and whether it
  // has waiters to wake (the waiter argument at the top of this file). A
  // watcher registered and gone again meanwhile watches nothing here.
  std::size_t wakes = 0;
  for (write_entry& e : tx.writes) {
    std::uint32_t f = e.var->flags_.load(std::memory_order_seq_cst);
    if (f >= tvar_base::one_watcher && watch_version_of(*e.var) != e.watch_version)
      return give_up(restart_cause::watch);
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
  // The after-commit actions outlive the attempt: finish() runs them.
  if (tx.actions.empty()) {
    end_attempt(tx);
  } else {
    std::vector<std::function<void()>> actions;
    actions.swap(tx.actions);
    end_attempt(tx);
    tx.actions.swap(actions);
  }
  tx.stats->inc(c_commits);
  woken_ = false;
  return true;
}

void top_level::finish() {
  if (!serial_ && tx_->actions.empty()) return;
  if (serial_) {
    serial_ = false;
    t_serial_here = false;
    g_serial.store(false, std::memory_order_release);
    g_serial_mutex.unlock();
  }
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
  counters& cs = *tx.stats;
  cs.inc(tx.cause == restart_cause::watch    ? c_restarts_watch
         : tx.cause == restart_cause::commit ? c_restarts_commit
                                             : c_restarts_read);
  end_attempt(tx);
  ++restarts_;
}

bool top_level::on_exception() noexcept {
  transaction& tx = *tx_;
  bool doomed = tx.doomed;
  end_attempt(tx);
  if (doomed) {  // a conflict was swallowed by the body: restart, not throw
    tx.stats->inc(c_restarts_read);
    ++restarts_;
    return false;
  }
  tx.stats->inc(c_aborts);
  return true;
}

void top_level::wait() {
  if (tx_->doomed) return on_conflict();
  on_retry();
}

void top_level::on_retry() {
  transaction& tx = *tx_;
  counters& cs = *tx.stats;
  if (serial_) {
    serial_ = false;
    t_serial_here = false;
    g_serial.store(false, std::memory_order_release);
    g_serial_mutex.unlock();
  }
  restarts_ = 0;
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
