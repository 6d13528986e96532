// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_THREAD_POOL_EXECUTOR_HPP_INCLUDED
#define BOOST_STM_THREAD_POOL_EXECUTOR_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/executor.hpp>
#include <boost/stm/thread_options.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/tlist.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost {
namespace stm {

// concurrent.futures.ThreadPoolExecutor on an stm::thread_pool: workers
// start as tasks arrive (up to max_workers, reusing idle ones first) and
// retire after keep_alive idle. A task's result and the pool's counters
// change in the same commit. shutdown(true), and so the destructor, waits
// for every submitted task (a future's destructor never does), then stops
// and joins the workers, so done callbacks running on them have returned
// too, and no thread of the executor is left. Destroyed
// on one of its own workers (by a task or a done callback), it cannot wait
// for that worker: it is shutdown(false) instead, and the work already
// submitted ends in the background, where the workers are joined (at the
// latest when the program exits). A task that waits for the future of a
// task of this executor that no worker has started runs it in place (see
// future::get), so recursive submit-and-get never deadlocks, even on one
// worker.
class BOOST_STM_DECL thread_pool_executor final : public executor {
public:
  using executor::post;  // post(f, args...) and execute(f), not the backend's post(task)

  using duration = std::chrono::steady_clock::duration;

  // thread_name_prefix (default stm_ex<n>; never more than max_workers
  // distinct names, a new worker takes the lowest index free), initializer,
  // keep_alive (default ten seconds) and stack_size: see worker_options. If
  // the initializer throws, the executor is broken: pending futures fail
  // with broken_executor, and so does every later submit.
  struct options : worker_options {
    options() : worker_options(std::chrono::seconds(10)) {}

    std::size_t max_workers = default_max_workers();
  };

  // min(32, hardware_concurrency + 4), as in concurrent.futures.
  static std::size_t default_max_workers() noexcept;

  // Throws std::invalid_argument if max_workers is 0.
  explicit thread_pool_executor(std::size_t max_workers = default_max_workers());
  explicit thread_pool_executor(options o);
  ~thread_pool_executor();

  std::size_t max_workers() const noexcept;
  // The pool, for its counters (tasks_finished(), live_threads(), ...).
  const thread_pool& pool() const noexcept;

  struct core;

private:
  void post(task t) override;
  void post_all(const std::vector<task>& ts) override;
  std::vector<task> take_queued() override;
  void join() override;

  // The queue and the pool, shared so that they can outlive the executor
  // when it is destroyed on one of its own workers (see the destructor).
  std::shared_ptr<core> core_;
};

}  // namespace stm
}  // namespace boost

#endif
