// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_RELEASE_CHAIN_HPP_INCLUDED
#define BOOST_STM_DETAIL_RELEASE_CHAIN_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <memory>
#include <utility>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

// Drops one link of a linked structure without recursing. Node destructors
// call it for their `next` pointer: dropping the last owner of a
// million-cell chain would otherwise destroy the cells recursively, one
// stack frame each. The outermost call on a thread drains a work list;
// destructors it sets off only append to that list.
inline std::vector<std::shared_ptr<const void>>*& release_chain_pending() noexcept {
  // A plain pointer: trivially destructible, so usable during thread exit.
  thread_local std::vector<std::shared_ptr<const void>>* pending = nullptr;
  return pending;
}

template <class P>
void release_chain(P& link) noexcept {
  if (!link) return;
  std::vector<std::shared_ptr<const void>>*& pending = release_chain_pending();
  if (pending) {
    try {
      pending->push_back(std::move(link));
      return;
    } catch (...) {
      link.reset();  // out of memory: fall back to recursion
      return;
    }
  }
  std::vector<std::shared_ptr<const void>> work;
  pending = &work;
  std::shared_ptr<const void> next(std::move(link));
  for (;;) {
    next.reset();  // may append to work
    if (work.empty()) break;
    next = std::move(work.back());
    work.pop_back();
  }
  pending = nullptr;
}

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
