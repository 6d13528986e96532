// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Asio interoperability: with this header, executor_ref (what
// ex.get_executor() returns, for a thread_pool_executor or fiber_executor)
// is an executor in the sense of Asio's standard executor model (Boost 1.74,
// Asio 1.18, and later): boost::asio::post(ex.get_executor(), handler) runs
// the handler as one of ex's tasks, and completion tokens such as
// boost::asio::use_future work with it. Work it runs is never blocking
// (execution::blocking.never). Header-only; needs Boost.Asio's headers.
#ifndef BOOST_STM_ASIO_HPP_INCLUDED
#define BOOST_STM_ASIO_HPP_INCLUDED

#include <boost/stm/executor.hpp>

#include <boost/asio/execution.hpp>

namespace boost {
namespace stm {

// Found by argument-dependent lookup from boost::asio::require, query and
// prefer. Every task is queued, so blocking.never holds already.
inline executor_ref require(const executor_ref& e, asio::execution::blocking_t::never_t) noexcept {
  return e;
}

constexpr asio::execution::blocking_t query(const executor_ref&, asio::execution::blocking_t) noexcept {
  return asio::execution::blocking.never;
}

inline executor& query(const executor_ref& e, asio::execution::context_t) noexcept { return e.target(); }

}  // namespace stm
}  // namespace boost

#endif
