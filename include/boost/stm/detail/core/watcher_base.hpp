// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_WATCHER_BASE_HPP_INCLUDED
#define BOOST_STM_DETAIL_WATCHER_BASE_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/detail/core/transaction.hpp>
#include <boost/stm/detail/core/tvar_base.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

// A watch: a function whose reads are watched, and a callback. Shared by its
// handle and by the watcher lists of the tvars it watches (intrusive count).
class BOOST_STM_DECL watcher_base {
public:
  watcher_base();
  virtual ~watcher_base();
  watcher_base(const watcher_base&) = delete;
  watcher_base& operator=(const watcher_base&) = delete;

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Runs the function (writes discarded, reads collected into `reads`) and
  // then the callback (writes kept), inside the committing transaction.
  virtual void invoke(transaction& tx, std::vector<tvar_base*>& reads) = 0;

  // Read transactionally before every run, so that cancel() conflicts with
  // in-flight runs. Written true at creation, false by cancel().
  tvar_base active_;

  std::atomic<int> refs_{1};
  std::atomic<int> in_flight_{0};  // runs under way (cancel() waits for 0)

  // Guarded by mutex_: the tvars this watcher is registered on, and the
  // commit version that registered them (a later commit's run wins).
  std::mutex mutex_;
  std::vector<tvar_base*> watched_;  // sorted by address, no duplicates
  std::uint64_t registered_version_ = 0;
};

// Runs f in a nested transaction whose writes are discarded, collecting
// every tvar it reads (also those served from the write set) into reads.
class BOOST_STM_DECL collect_scope {
public:
  collect_scope(transaction& tx, std::vector<tvar_base*>& reads);
  ~collect_scope();
  collect_scope(const collect_scope&) = delete;
  collect_scope& operator=(const collect_scope&) = delete;

private:
  nested_scope nested_;
  transaction& tx_;
  std::vector<tvar_base*>* saved_;
};

// Adds a new watch to the current transaction: it takes effect at commit.
BOOST_STM_DECL void propose(transaction& tx, watcher_base* w);
// An invariant's run: whether it held. Once the commit's watchers settle,
// the commit throws invariant_error if the last run of some invariant that
// ran in it was false.
BOOST_STM_DECL void record_verdict(transaction& tx, watcher_base* w, bool ok);
// Cancels: writes active_ = false in a transaction of its own (or the
// current one), unregisters, and waits for runs under way elsewhere.
BOOST_STM_DECL void cancel(watcher_base* w);
BOOST_STM_DECL bool is_active(watcher_base* w);

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
