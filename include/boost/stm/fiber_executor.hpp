// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_FIBER_EXECUTOR_HPP_INCLUDED
#define BOOST_STM_FIBER_EXECUTOR_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/executor.hpp>
#include <boost/stm/thread_options.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost {
namespace stm {

// The executor interface with tasks running as Boost.Fiber fibers on a few
// OS threads. Each thread runs its own fiber scheduler and a pump fiber that
// takes tasks from the thread's own transactional queue (submits are dealt
// to the threads in turn, so a task wakes one pump) and starts one fiber per
// task. A task that blocks (retry(), future::get(), a blocking container
// operation) suspends only its fiber; a commit on any thread wakes it. So
// thousands of blocking tasks need only two threads.
//
// shutdown(true) and destruction wait for running tasks, including blocked
// ones (like thread_pool_executor): a fiber is never destroyed while it
// runs; then they join the threads.
// Destroyed on one of its own threads (by a task or a done callback), it
// cannot wait for that thread: it is shutdown(false) instead, and the work
// already submitted ends in the background, where the threads are joined
// (at the latest when the program exits).
class BOOST_STM_DECL fiber_executor final : public executor {
public:
  using executor::post;  // post(f, args...) and execute(f), not the backend's post(task)

  // thread_name_prefix (default stm_fiber<n>) and initializer: see
  // thread_options. If the initializer throws, the executor is broken
  // (pending futures and later submits get broken_executor).
  struct options : thread_options {
    std::size_t threads = 2;
    std::size_t stack_size = 64 * 1024;  // bytes, per task fiber
  };

  // Throws std::invalid_argument if threads is 0.
  explicit fiber_executor(std::size_t threads = 2);
  explicit fiber_executor(options o);
  ~fiber_executor();

  std::size_t threads() const noexcept;
  // Transactional: tasks started and not yet finished (blocked ones count).
  std::size_t tasks_running() const;

  struct impl;

private:
  void post(task t) override;
  std::vector<task> take_queued() override;
  void join() override;

  std::unique_ptr<impl> impl_;
};

}  // namespace stm
}  // namespace boost

#endif
