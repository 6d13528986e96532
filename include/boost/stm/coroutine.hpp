// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_COROUTINE_HPP_INCLUDED
#define BOOST_STM_COROUTINE_HPP_INCLUDED

// co_await on future<R> and shared_future<R> (C++20 coroutines; nothing
// under C++17). Included by future.hpp.

#include <boost/stm/detail/executors/future_state.hpp>
#include <boost/stm/future.hpp>

#if defined(__cpp_impl_coroutine) && defined(__has_include)
#if __has_include(<coroutine>)
#define BOOST_STM_HAS_COROUTINES 1
#endif
#endif

#ifdef BOOST_STM_HAS_COROUTINES

#include <atomic>
#include <coroutine>
#include <memory>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// A done callback that resumes a coroutine. It holds no handle to the
// future, so a future<R>'s get() after the resumption still moves the
// result out. `armed` decides who resumes: the callback, if await_suspend
// has returned (the coroutine is suspended), or await_suspend itself, by
// not suspending, if the callback ran first (the future ended meanwhile).
struct resume_link final : callback_base {
  explicit resume_link(std::coroutine_handle<> h) noexcept : coro(h) {}
  void invoke() override {
    if (armed.exchange(true, std::memory_order_acq_rel)) coro.resume();
  }
  std::coroutine_handle<> coro;
  std::atomic<bool> armed{false};
};

// Fut is future<R> (owned: co_await on an rvalue), future<R>& or
// shared_future<R> (a copy).
template <class Fut>
struct future_awaiter {
  Fut f;

  bool await_ready() const {
    future_state_base* s = future_access::state(f);
    return !s || s->ended();  // no state: await_resume's get() says so
  }
  bool await_suspend(std::coroutine_handle<> h) {
    auto link = std::make_shared<resume_link>(h);
    future_access::state(f)->add_callback(link);
    return !link->armed.exchange(true, std::memory_order_acq_rel);
  }
  decltype(auto) await_resume() { return f.get(); }
};

}  // namespace detail

// Suspends the coroutine until the future is done and resumes it on the
// thread that completed it (or does not suspend if it is done already);
// the result is what get() gives: the value, or the exception rethrown.
// A future<R> is consumed, as by get().
template <class R>
detail::future_awaiter<future<R>> operator co_await(future<R>&& f) noexcept {
  return {std::move(f)};
}
template <class R>
detail::future_awaiter<future<R>&> operator co_await(future<R>& f) noexcept {
  return {f};
}
template <class R>
detail::future_awaiter<shared_future<R>> operator co_await(const shared_future<R>& f) noexcept {
  return {f};
}

}  // namespace stm
}  // namespace boost

#endif  // BOOST_STM_HAS_COROUTINES

#endif
