// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The coroutine type of example/cxx20/coroutines.cpp (also used by
// bench/cxx20/coroutine.cpp).
#ifndef BOOST_STM_EXAMPLE_CXX20_EAGER_HPP
#define BOOST_STM_EXAMPLE_CXX20_EAGER_HPP

#include <boost/stm/tmvar.hpp>

#include <coroutine>
#include <exception>
#include <memory>
#include <utility>

//[coroutine_type
// The smallest coroutine type that serves here: it starts at once, and its
// result goes into a tmvar, from which the caller take()s it (or which any
// transaction may wait on). The library awaits futures; the coroutine type
// is the program's choice.
template <class T>
struct eager {
  struct promise_type {
    std::shared_ptr<boost::stm::tmvar<T>> result = std::make_shared<boost::stm::tmvar<T>>();
    eager get_return_object() { return eager{result}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T v) { result->put(std::move(v)); }
    void unhandled_exception() { std::terminate(); }  // ours catch what they await
  };
  std::shared_ptr<boost::stm::tmvar<T>> result;
};
//]

#endif
