// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_THREAD_POOL_HPP_INCLUDED
#define BOOST_STM_THREAD_POOL_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/task.hpp>
#include <boost/stm/thread_options.hpp>
#include <boost/stm/tlist.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost {
namespace stm {

class thread_pool;

namespace detail {
// Runs everything scheduled, then stops every worker and joins its thread;
// the pool takes no more work (what the destructor does, for an owner that
// must know its threads are gone before it is destroyed itself). Idempotent.
// Called on one of the pool's workers, it joins every other one; that one
// leaves when its task returns, and the destructor joins it.
BOOST_STM_DECL void stop_pool(thread_pool& pool);
// Whether the calling thread is one of the pool's workers.
BOOST_STM_DECL bool on_pool_thread(const thread_pool& pool) noexcept;
// A number per pool or executor, for default thread names that differ
// between them.
BOOST_STM_DECL std::size_t next_pool_number() noexcept;
}  // namespace detail

// A pool of stm::threads serving a tlist<task> (its own, or one it is given).
// Each worker owns a slot (a tvar) and, when idle, retries on that slot
// alone. A dispatcher watcher, run inside every commit that changes the task
// list or whether a worker is free, pairs queued tasks with free workers
// (the last to go free first, then a stack of those that went free before
// it, then workers just started, popped from a broadcast_endpoint) and
// writes each task into its worker's slot: so handing out one task wakes
// exactly one thread, however many are idle, and a load that needs few
// workers keeps using the same few while the others retire. schedule() to
// an idle pool with nothing queued writes the slot itself. A spin-up
// watcher keeps min(tasks - free, max - live) at zero by starting workers
// (after the commit) and counting each live and free at once. Idle
// workers retire after keep_alive.
class BOOST_STM_DECL thread_pool {
public:
  using duration = std::chrono::steady_clock::duration;

  // thread_name_prefix (default stm_pool<n>), initializer, keep_alive
  // (default one second) and stack_size: see worker_options. If the
  // initializer throws, the worker leaves (its task goes back to the front
  // of the queue), on_worker_failure is called, and no worker is started
  // until the next schedule().
  struct options : worker_options {
    options() : worker_options(std::chrono::seconds(1)) {}

    std::size_t max_threads = default_max_threads();
    // Called outside any transaction when starting a worker or its
    // initializer failed. Default: report on stderr.
    std::function<void(std::exception_ptr)> on_worker_failure;
  };

  static std::size_t default_max_threads() noexcept;

  explicit thread_pool(std::size_t max_threads = default_max_threads(),
                       duration keep_alive = std::chrono::seconds(1));
  thread_pool(tlist<task>& tasks, std::size_t max_threads,
              duration keep_alive = std::chrono::seconds(1));
  explicit thread_pool(options o);
  thread_pool(tlist<task>& tasks, options o);
  // Runs everything scheduled, then stops and joins every worker.
  ~thread_pool();
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  // Transactional: inside a transaction the task is queued only if it commits.
  void schedule(task t);
  // Every task of ts, in order, in one transaction (a balanced tree of them
  // joins the task list at once). Throws std::invalid_argument, scheduling
  // none, if one is empty.
  void schedule(const std::vector<task>& ts);
  // Blocks until every scheduled task has finished.
  void join();
  bool join(duration timeout);

  // Transactional reads, consistent with each other inside one transaction.
  // finished + running + queued (tasks taken back off the list by their
  // owner, as an executor's cancel does, no longer count)
  std::size_t tasks_scheduled() const;
  std::size_t tasks_finished() const;   // including failed ones
  std::size_t tasks_failed() const;     // finished by an exception
  std::size_t tasks_remaining() const;  // running + queued
  std::size_t live_threads() const;
  std::size_t free_threads() const;
  std::size_t max_threads() const noexcept;

  tlist<task>& tasks() noexcept;

  struct impl;

private:
  friend void detail::stop_pool(thread_pool& pool);
  friend bool detail::on_pool_thread(const thread_pool& pool) noexcept;
  std::shared_ptr<impl> impl_;
};

}  // namespace stm
}  // namespace boost

#endif
