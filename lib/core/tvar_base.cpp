// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The compiled part of tvar_base: the waiter and watcher lists of a tvar
// (made on first use), and its destructor, which wakes its waiters and
// unregisters its watchers.
#include "core/internal.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

tvar_meta& meta_of(tvar_base& v) {
  tvar_meta* m = v.meta_.load(std::memory_order_acquire);
  if (m) return *m;
  auto fresh = std::make_unique<tvar_meta>();
  if (v.meta_.compare_exchange_strong(m, fresh.get(), std::memory_order_acq_rel))
    return *fresh.release();
  return *m;
}

tvar_base::~tvar_base() {
  forget_destroyed(*this);
  // A commit that wrote this tvar may still hold its lock: its vlock_ store
  // is its last touch of it (see top_level::commit() in commit.cpp). Seeing the
  // new value means that store was made; wait it out in any other case.
  while (vlock_.load(std::memory_order_acquire) & 1) std::this_thread::yield();
  if (boxed_) delete as_node(value_.load(std::memory_order_relaxed));
  tvar_meta* m = meta_.load(std::memory_order_acquire);
  if (!m) return;
  std::vector<parker*> waiters;
  std::vector<watcher_base*> watchers;
  {
    std::lock_guard<std::mutex> g(m->lock);
    waiters.swap(m->waiters);
    watchers.swap(m->watchers);
  }
  // A blocked transaction that read this tvar may still sleep on it: wake
  // it, so it re-runs against whatever replaced this tvar.
  for (parker* p : waiters) {
    if (!p->done_.load(std::memory_order_acquire)) p->signal();
    p->release();
  }
  for (watcher_base* w : watchers) {
    {
      std::lock_guard<std::mutex> g(w->mutex_);
      auto it = std::find(w->watched_.begin(), w->watched_.end(), this);
      if (it != w->watched_.end()) w->watched_.erase(it);
    }
    w->release();
  }
  delete m;
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
