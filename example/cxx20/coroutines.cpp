// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// co_await on futures (C++20): a coroutine that awaits several submits, one
// after the other and all at once. The documentation's "Coroutines" section
// shows the snippets; the program checks its own results. Built only where
// the compiler has C++20 coroutines.
//
//   coroutines [--quick]
#include <boost/stm.hpp>

#include "../tutorial_synopsis_check.hpp"
#include "eager.hpp"

#include <coroutine>
#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <vector>

namespace stm = boost::stm;

// The reference synopsis of <boost/stm/coroutine.hpp>, checked against the
// library (see ../tutorial_synopsis_check.hpp).
namespace syn_coroutine {
using namespace boost::stm;
//[ref_coroutine
template <class R>
/*<-*/ detail::future_awaiter<future<R>> /*->*//* awaiter */ operator co_await(future<R>&& f) noexcept;
template <class R>
/*<-*/ detail::future_awaiter<future<R>&> /*->*//* awaiter */ operator co_await(future<R>& f) noexcept;
template <class R>
/*<-*/ detail::future_awaiter<shared_future<R>> /*->*//* awaiter */ operator co_await(
    const shared_future<R>& f) noexcept;
//]
}  // namespace syn_coroutine

using rvalue_await = stm::detail::future_awaiter<stm::future<int>> (*)(stm::future<int>&&) noexcept;
using lvalue_await = stm::detail::future_awaiter<stm::future<int>&> (*)(stm::future<int>&) noexcept;
using shared_await = stm::detail::future_awaiter<stm::shared_future<int>> (*)(
    const stm::shared_future<int>&) noexcept;
BOOST_STM_SYNOPSIS_SAME(static_cast<rvalue_await>(&syn_coroutine::operator co_await<int>),
                        static_cast<rvalue_await>(&stm::operator co_await<int>));
BOOST_STM_SYNOPSIS_SAME(static_cast<lvalue_await>(&syn_coroutine::operator co_await<int>),
                        static_cast<lvalue_await>(&stm::operator co_await<int>));
BOOST_STM_SYNOPSIS_SAME(static_cast<shared_await>(&syn_coroutine::operator co_await<int>),
                        static_cast<shared_await>(&stm::operator co_await<int>));

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "coroutines: check failed: %s\n", what);
    ++failures;
  }
}

//[coroutine_in_turn
// Each co_await suspends until the task is done and resumes on the worker
// that finished it; the value (or the task's exception) comes back as get()
// would give it.
eager<int> sum_of_squares(stm::thread_pool_executor& ex, int n) {
  int total = 0;
  for (int i = 1; i <= n; ++i) total += co_await ex.submit([i] { return i * i; });
  co_return total;
}
//]

//[coroutine_all_at_once
// Everything submitted first, then awaited in order: the tasks run in
// parallel, and the coroutine resumes at most once per future not yet done.
eager<int> sum_of_squares_parallel(stm::thread_pool_executor& ex, int n) {
  std::vector<stm::future<int>> squares;
  for (int i = 1; i <= n; ++i) squares.push_back(ex.submit([i] { return i * i; }));
  int total = 0;
  for (stm::future<int>& f : squares) total += co_await f;  // consumed, like get()
  co_return total;
}
//]

//[coroutine_errors
eager<int> careful(stm::thread_pool_executor& ex) {
  try {
    co_return co_await ex.submit([]() -> int { throw std::runtime_error("no"); });
  } catch (const std::runtime_error&) {
    co_return -1;
  }
}
//]

}  // namespace

int main() {
  stm::thread_pool_executor ex{4};
  //[coroutine_use
  int a = sum_of_squares(ex, 10).result->take();             // 385
  int b = sum_of_squares_parallel(ex, 10).result->take();    // 385
  //]
  check(a == 385, "awaiting in turn");
  check(b == 385, "awaiting all at once");
  check(careful(ex).result->take() == -1, "the task's exception comes back");
  if (failures == 0) std::puts("coroutines: all checks passed");
  return failures == 0 ? 0 : 1;
}
