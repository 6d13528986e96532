// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Watch proposals, cancellation, and the scope a watcher function runs in.
#include "core/internal.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/core/ebr.hpp>

#include <algorithm>
#include <thread>

namespace boost {
namespace stm {
namespace detail {

watcher_base::watcher_base() : active_(tvar_base::unboxed_tag{}, 1) {}
watcher_base::~watcher_base() = default;

collect_scope::collect_scope(transaction& tx, std::vector<tvar_base*>& reads)
    : nested_(tx), tx_(tx), saved_(tx.collector) {
  tx_.collector = &reads;
}
collect_scope::~collect_scope() { tx_.collector = saved_; }

void propose(transaction& tx, watcher_base* w) {
  tx.proposals.push_back(w);
  w->add_ref();
}

void record_verdict(transaction& tx, watcher_base* w, bool ok) {
  for (auto& v : tx.verdicts)
    if (v.first == w) {
      v.second = ok;
      return;
    }
  tx.verdicts.emplace_back(w, ok);
}

namespace {

void unregister_all(watcher_base* w) {
  std::lock_guard<std::mutex> g(w->mutex_);
  // No commit may register it again, however late it applies its run.
  w->registered_version_ = ~std::uint64_t(0);
  for (tvar_base* v : w->watched_) unwatch(*v, w);  // cancel's caller holds w
  w->watched_.clear();
}

// Called after the commit that wrote active_ = false. The commit publishes
// with a release store; this seq_cst read-modify-write of active_'s vlock_
// (which changes nothing, and reads the published word or a later one) puts
// the cancellation in the single total order before the seq_cst load of
// in_flight_ below (see run_one in lib/core/commit_watchers.cpp).
void drain(watcher_base* w) {
  (void)w->active_.vlock_.fetch_add(0, std::memory_order_seq_cst);
  while (w->in_flight_.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
}

}  // namespace

void cancel(watcher_base* w) {
  if (transaction* tx = current()) {
    write(*tx, w->active_, 0);
    w->add_ref();
    struct ref {
      watcher_base* w;
      ref(watcher_base* p) : w(p) {}
      ref(const ref& o) : w(o.w) { w->add_ref(); }
      ~ref() { w->release(); }
    } r(w);
    add_after_commit(*tx, [r] {
      unregister_all(r.w);
      drain(r.w);
    });
    return;
  }
  atomically([&] { write(*current(), w->active_, 0); });
  unregister_all(w);
  drain(w);
}

bool is_active(watcher_base* w) {
  if (transaction* tx = current()) return read(*tx, w->active_) != 0;
  return read_committed(w->active_) != 0;
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
