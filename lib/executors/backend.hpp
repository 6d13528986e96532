// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to the compiled library: what every executor backend
// (thread_pool_executor, fiber_executor) shares, written once: the way from
// its threads back to the executor, what a failing initializer turns into,
// and the one teardown its destructor runs.
#ifndef BOOST_STM_LIB_BACKEND_HPP_INCLUDED
#define BOOST_STM_LIB_BACKEND_HPP_INCLUDED

#include <boost/stm/errors.hpp>
#include <boost/stm/executor.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// The way from a backend's threads back to its executor, to break it when
// an initializer fails. The backend's state can outlive the executor (see
// tear_down): detach() cuts the way then, under the lock, so that no thread
// breaks an executor that is gone.
class executor_link {
public:
  void attach(std::function<void(std::exception_ptr)> break_it) {
    std::lock_guard<std::mutex> g(m_);
    break_ = std::move(break_it);
  }
  void break_executor(std::exception_ptr reason) {
    std::lock_guard<std::mutex> g(m_);
    if (break_) break_(std::move(reason));
  }
  void detach() noexcept {
    std::lock_guard<std::mutex> g(m_);
    break_ = nullptr;
  }

private:
  std::mutex m_;
  std::function<void(std::exception_ptr)> break_;
};

// What an executor is broken with when a thread's initializer throws: it
// nests the initializer's exception.
struct initializer_failed : broken_executor, std::nested_exception {
  using broken_executor::broken_executor;
};

// What an exception says: its what(), or "a non-std exception".
std::string describe(std::exception_ptr e);

// Inside the catch block of an initializer's exception: an
// initializer_failed, made there so that it nests that exception, whose
// message names `who` (the executor's class) and says what to do.
std::exception_ptr broken_by_initializer(const char* who);

// Runs f on a thread of its own, which the program joins at exit (during
// static destruction) unless it has ended before. f must not throw. Throws
// std::system_error if no thread can be started.
void finish_in_background(std::function<void()> f);

// The one teardown, for a backend's destructor. `state` is what owns the
// backend's threads (and the link); stop(state) waits for the work
// submitted, then joins them. Called on one of those threads (a task or a
// done callback destroying its own executor), which could wait neither for
// itself nor join itself: ex is shut down without waiting, so it takes no
// more work, the link is cut, and `state` moves to a background thread,
// which stops and drops it once the work submitted has run (if no thread
// can be started, it says so on stderr and leaves the threads running).
// Anywhere else: shutdown(true), then stop(state) here, while the link
// still reaches ex (an initializer can fail until its thread is joined).
template <class State>
void tear_down(executor& ex, const char* who, bool on_own_thread, executor_link& link,
               State& state, void (*stop)(State&)) {
  if (on_own_thread) {
    try {
      ex.shutdown(false);
    } catch (...) {
      // Only allocation can fail here: submit() is refused anyway once the
      // executor is gone, and the work submitted still runs.
    }
    link.detach();
    auto* last = new State(std::move(state));
    try {
      finish_in_background([last, stop] {
        stop(*last);
        delete last;
      });
    } catch (const std::exception& e) {
      std::fprintf(stderr,
                   "%s: destroyed on one of its own threads, and no thread could be started to "
                   "join them (%s): they are left running\n",
                   who, e.what());
    }
    return;
  }
  try {
    ex.shutdown(true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: shutdown in the destructor: %s\n", who, e.what());
  }
  stop(state);
}

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
