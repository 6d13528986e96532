// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Watchers at commit: the fixpoint that runs, inside the committing
// transaction, every watcher of a tvar it wrote (and new proposals) until a
// round triggers nothing, and the registration of the re-run watchers on
// the tvars they read, made while the commit publishes.
#include "core/engine.hpp"

#include <boost/stm/errors.hpp>

#include <algorithm>
#include <string>

namespace boost {
namespace stm {
namespace detail {

namespace {

void run_one(transaction& tx, watcher_base* w) {
  // Announce the run before reading active_: cancel() commits active_ = 0,
  // then does a seq_cst read-modify-write of active_'s vlock_ (reading the
  // cancelling commit's word or a later one) and loads in_flight_ (seq_cst),
  // waiting for zero (drain() in lib/watchers/watch.cpp). Here the increment and a seq_cst
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

}  // namespace

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
void unwatch(tvar_base& v, watcher_base* w) {
  tvar_meta& m = meta_of(v);
  std::lock_guard<std::mutex> mg(m.lock);
  auto it = std::find(m.watchers.begin(), m.watchers.end(), w);
  if (it == m.watchers.end()) return;
  m.watchers.erase(it);
  v.flags_.fetch_sub(tvar_base::one_watcher, std::memory_order_acq_rel);
  w->release();
}

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
  for (tvar_base* v : old)
    if (!std::binary_search(reads.begin(), reads.end(), v)) unwatch(*v, w);
  old = reads;
  w->registered_version_ = wv;
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
