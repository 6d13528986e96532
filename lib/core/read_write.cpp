// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The transaction descriptor's attempt state, and the reads and writes of
// tvars: a seqlock read against the snapshot rv (extended when a newer
// version is met), a write log with an index for large write sets; also
// retry(), elapsed() and after_commit(). The memory ordering these rely on
// is stated in engine.hpp.
#include "core/engine.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>

#include <boost/config.hpp>

#include <algorithm>

namespace boost {
namespace stm {
namespace detail {
namespace {

// The snapshot must reach `needed` (a version met above rv): raise the clock
// to it if nobody has yet, then revalidate every read (see engine.hpp).
bool extend(transaction& tx, std::uint64_t needed) {
  std::uint64_t now = g_clock.load(std::memory_order_seq_cst);
  while (now < needed &&
         !g_clock.compare_exchange_weak(now, needed, std::memory_order_seq_cst,
                                        std::memory_order_seq_cst)) {
  }
  if (now < needed) now = needed;
  for (const read_entry& r : tx.reads)
    if (r.var->vlock_.load(std::memory_order_seq_cst) != r.version) {
      on_conflict_site(r.var, restart_cause::read);
      return false;
    }
  tx.rv = now;
  return true;
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

void transaction::discard_rest() noexcept {
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
// written (by the filter, whose bit is not even computed before the first
// write), no hook on reads, the epoch (if v needs one) already entered, a
// seqlock read that finds v unlocked and no newer than the snapshot, and
// room in the read log.
inline word read_fast(transaction& tx, tvar_base& v) {
  const std::uint64_t written = tx.written_filter;
  if (!tx.collector && !tx.committed_view && !tx.doomed &&
      (written == 0 || !(written & transaction::filter_bit(&v))) && (!v.boxed_ || tx.in_epoch) &&
      !tx.reads.full()) {
    std::uint64_t v1 = v.vlock_.load(std::memory_order_acquire);
    word w = v.value_.load(std::memory_order_acquire);
    std::uint64_t v2 = v.vlock_.load(std::memory_order_acquire);
    if (v1 == v2 && !(v1 & 1) && (v1 >> 1) <= tx.rv) {
      tx.reads.emplace_back_in_room(&v, v1);
      return w;
    }
  }
  return read_slow(tx, v);
}
}  // namespace

word read(transaction& tx, tvar_base& v) { return read_fast(tx, v); }

word read_committed(tvar_base& v) noexcept { return consistent_snapshot(v).value; }

namespace {
// Out of line, so that the read inside a transaction needs no registers
// saved for the snapshot's spin loop.
BOOST_NOINLINE word read_outside(tvar_base& v) noexcept { return consistent_snapshot(v).value; }
}  // namespace

word read_unboxed(tvar_base& v) {
  if (transaction* tx = t_current) return read_fast(*tx, v);
  return read_outside(v);
}

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
    tx.writes.emplace_back_in_room(&v, w, tx.frame, v.boxed_);
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

}  // namespace detail
}  // namespace stm
}  // namespace boost
