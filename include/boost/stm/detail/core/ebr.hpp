// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_EBR_HPP_INCLUDED
#define BOOST_STM_DETAIL_EBR_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/detail/core/tvar_base.hpp>

#include <cstddef>

namespace boost {
namespace stm {
namespace detail {

// Epoch-based reclamation of tvar values. A thread inside a critical section
// (every transaction attempt, every read outside a transaction) may hold raw
// pointers to values; a retired value is freed only once every thread that
// was inside a critical section when it was retired has left it.
namespace ebr {
// Throws std::bad_alloc only when the thread's record cannot be made (its
// first critical section; prepare() makes it ahead of time).
BOOST_STM_DECL void enter();
BOOST_STM_DECL void prepare();
BOOST_STM_DECL void exit() noexcept;
// Retires n; never frees anything itself while the thread is inside an
// epoch (frees happen when it leaves, see exit()).
BOOST_STM_DECL void retire(node_base* n);
// This thread's "has retired values not yet freed" flag, for a caller that
// wants to poll() only when there is something to free.
BOOST_STM_DECL const bool* pending_flag() noexcept;
// Outside any epoch: frees what can be freed of this thread's retired values
// now (for threads that leave no epoch for a long time, because their
// transactions touch only unboxed tvars).
BOOST_STM_DECL void poll() noexcept;
// Frees what threads that have exited left behind, if no thread is inside a
// critical section: for a caller that has just joined threads (an executor
// at exit may be the last to run library code in the process).
BOOST_STM_DECL void collect() noexcept;
// Makes room for n more retire() calls by this thread inside its current
// critical section, so that those cannot throw (a commit reserves before it
// publishes anything). May throw std::bad_alloc.
BOOST_STM_DECL void reserve(std::size_t n);

struct guard {
  guard() { enter(); }
  ~guard() { exit(); }
  guard(const guard&) = delete;
  guard& operator=(const guard&) = delete;
};
}  // namespace ebr

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
