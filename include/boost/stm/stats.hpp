// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_STATS_HPP_INCLUDED
#define BOOST_STM_STATS_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <cstdint>
#include <iosfwd>

namespace boost {
namespace stm {

// Process-wide counters, monotonic, summed over all threads on demand.
struct stats {
  std::uint64_t transactions = 0;    // top-level atomically() calls
  std::uint64_t attempts = 0;        // runs of a transaction body
  std::uint64_t commits = 0;
  std::uint64_t restarts = 0;        // attempts abandoned for a conflict, by cause:
  std::uint64_t restarts_read = 0;   //   a read found no consistent value
  std::uint64_t restarts_commit = 0; //   validation failed at commit
  std::uint64_t restarts_watch = 0;  //   watchers on a written tvar changed
  std::uint64_t retries = 0;         // attempts that blocked in retry()
  std::uint64_t wakeups = 0;         // blocked attempts woken by a commit
  std::uint64_t futile_wakeups = 0;  // woken, then retried again with no commit in between
  std::uint64_t timeouts = 0;        // blocked attempts woken by their deadline
  std::uint64_t aborts = 0;          // attempts ended by an exception
  std::uint64_t serial_runs = 0;     // escalations to serial mode
  std::uint64_t watcher_runs = 0;    // watcher functions run at commit
  std::uint64_t blocked_forever = 0; // retries refused: every tvar read was destroyed
  std::uint64_t stalls = 0;          // blocked attempts still asleep after BOOST_STM_STALL_MS
  std::uint64_t sleeps = 0;          // blocked attempts that slept (not woken while spinning)
};

BOOST_STM_DECL stats statistics();
BOOST_STM_DECL std::ostream& operator<<(std::ostream& os, const stats& s);

// What the executors (thread_pool_executor, fiber_executor) did, over the
// whole process. Once every executor has shut down, each task submitted has
// ended in exactly one way: submitted == finished + failed + cancelled.
struct executor_stats {
  std::uint64_t submitted = 0;     // tasks submitted (a map() counts each call)
  std::uint64_t finished = 0;      // ran and returned
  std::uint64_t failed = 0;        // ran and threw, or ended by broken_executor
  std::uint64_t cancelled = 0;     // cancelled before they ran
  std::uint64_t workers_live = 0;  // worker threads of pools and fiber executors alive now
  std::uint64_t workers_peak = 0;  // the most that were alive at once
};

BOOST_STM_DECL executor_stats executor_statistics();
BOOST_STM_DECL std::ostream& operator<<(std::ostream& os, const executor_stats& s);

namespace detail {
enum class task_outcome : unsigned { submitted, finished, failed, cancelled };
// Counts n tasks (on the calling thread's counters; no shared cache line).
BOOST_STM_DECL void count_tasks(task_outcome what, std::uint64_t n) noexcept;
// One lives on the stack of each worker thread of a thread pool or fiber
// executor: executor_stats::workers_live and workers_peak.
struct worker_count_scope {
  BOOST_STM_DECL worker_count_scope() noexcept;
  BOOST_STM_DECL ~worker_count_scope();
  worker_count_scope(const worker_count_scope&) = delete;
  worker_count_scope& operator=(const worker_count_scope&) = delete;
};
}  // namespace detail

}  // namespace stm
}  // namespace boost

#endif
