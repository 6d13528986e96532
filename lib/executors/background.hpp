// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to the compiled library: teardown that cannot run on the thread
// that asks for it.
#ifndef BOOST_STM_LIB_BACKGROUND_HPP_INCLUDED
#define BOOST_STM_LIB_BACKGROUND_HPP_INCLUDED

#include <cstdio>
#include <exception>
#include <functional>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// Runs f on a thread of its own, which the program joins at exit (during
// static destruction) unless it has ended before. For an executor destroyed
// by one of its own tasks or done callbacks: that thread cannot join itself,
// so another one waits for the work to end and joins the workers. f must not
// throw. Throws std::system_error if no thread can be started.
void finish_in_background(std::function<void()> f);

// For an executor destroyed on one of its own threads: `owned`, the last
// owner of its threads, must never be dropped there (they would join
// themselves). It moves to the heap, and a background thread calls
// stop(*owned) (if given), then destroys it. If no thread can be started,
// says so on stderr and leaks it: the threads finish the work and stay.
template <class P>
void release_in_background(P owned, const char* who, void (*stop)(P&) = nullptr) {
  auto* last = new P(std::move(owned));
  try {
    finish_in_background([last, stop] {
      if (stop) stop(*last);
      delete last;
    });
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "%s: destroyed on one of its own threads, and no thread could be started to "
                 "join them (%s): they are left running\n",
                 who, e.what());
  }
}

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
