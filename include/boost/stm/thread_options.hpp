// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_THREAD_OPTIONS_HPP_INCLUDED
#define BOOST_STM_THREAD_OPTIONS_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace boost {
namespace stm {

// What every owner of a group of threads (thread_pool, thread_pool_executor,
// fiber_executor) lets its user set about them, defined once: each one's
// options derive from this, and add what only it has.
struct thread_options {
  // OS thread names prefix_0, prefix_1, ... (the OS keeps 15 characters).
  // Empty: a prefix of the owner's own, stm_pool<n>, stm_ex<n> or
  // stm_fiber<n>.
  std::string thread_name_prefix;
  // Runs on each thread before its first task. If it throws, the thread
  // runs no task; what else happens is the owner's to say (a thread_pool
  // calls on_worker_failure, an executor is broken).
  std::function<void()> initializer;
};

// The options of a pool whose workers start as work arrives and retire
// when idle (thread_pool, thread_pool_executor).
struct worker_options : thread_options {
  using duration = std::chrono::steady_clock::duration;

  explicit worker_options(duration keep_alive) : keep_alive(keep_alive) {}

  // An idle worker retires after this long.
  duration keep_alive;
  // Stack size of each worker thread in bytes; 0: the system's default.
  // Ignored on Windows. Below the system's minimum (PTHREAD_STACK_MIN), the
  // owner's constructor throws std::invalid_argument.
  std::size_t stack_size = 0;
};

}  // namespace stm
}  // namespace boost

#endif
