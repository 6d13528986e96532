// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_INVARIANT_HPP_INCLUDED
#define BOOST_STM_INVARIANT_HPP_INCLUDED

#include <boost/stm/errors.hpp>
#include <boost/stm/watch.hpp>

#include <type_traits>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

namespace detail {

// A watcher without a callback: each run records whether f held. The commit
// fails only if some invariant is false once the watcher fixpoint is reached,
// so an invariant that happens to run before the watcher that restores it
// (in the same commit) does not reject a valid commit.
template <class F>
class invariant_impl final : public watcher_base {
public:
  explicit invariant_impl(F f) : f_(std::move(f)) {}
  void invoke(transaction& tx, std::vector<tvar_base*>& reads) override {
    bool ok;
    {
      collect_scope s(tx, reads);
      ok = static_cast<bool>(f_());
    }
    record_verdict(tx, this, ok);
  }

private:
  F f_;
};

}  // namespace detail

// f must hold at this transaction's commit and at every later commit that
// writes what f read, once that commit's watchers have settled; a commit
// that leaves it false throws invariant_error from its atomically() and is
// rolled back. The invariant lives as long as the tvars it reads.
template <class F>
void invariant(F&& f) {
  detail::transaction* tx = detail::current();
  if (!tx) return atomically([&] { invariant(f); });
  auto* w = new detail::invariant_impl<std::decay_t<F>>(std::forward<F>(f));
  watch_handle owner(w);  // cancels it if proposing throws
  detail::propose(*tx, w);
  owner.detach();
}

}  // namespace stm
}  // namespace boost

#endif
