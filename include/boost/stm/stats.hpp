// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_STATS_HPP_INCLUDED
#define BOOST_STM_STATS_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

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

// Where transactions conflict: per tvar, the restarts it caused, while
// recording is on (record_conflict_sites(true), or BOOST_STM_CONFLICT_SITES=1
// in the environment, which also prints the sites at exit). Off, it costs
// one load per restart; on, a table update per restart and nothing on the
// paths that do not restart. Up to 4,096 tvars are told apart; restarts on
// others are summed in one site with a null tvar.
struct conflict_site {
  const void* tvar = nullptr;         // its address (it may have been destroyed since)
  std::string name;                   // "<name>" or "<name>+<offset>" if named, else empty
  std::uint64_t restarts_read = 0;    // it had changed when a read needed a newer snapshot
  std::uint64_t restarts_commit = 0;  // it had changed when the commit validated
  std::uint64_t restarts_watch = 0;   // a watcher appeared on it while a commit wrote it
  std::uint64_t restarts() const noexcept {
    return restarts_read + restarts_commit + restarts_watch;
  }
};

BOOST_STM_DECL void record_conflict_sites(bool on) noexcept;
BOOST_STM_DECL bool recording_conflict_sites() noexcept;
// The sites with the most restarts first, at most `top` of them.
BOOST_STM_DECL std::vector<conflict_site> conflict_sites(std::size_t top = 20);
// Forgets every count (call it while no transaction restarts).
BOOST_STM_DECL void clear_conflict_sites() noexcept;
// Names the tvars in [object, object + size) in conflict_sites(): a tvar
// at `object` is `name`, one further in `name+<offset>`. The smallest
// named range holding a tvar names it. The pools name their own tvars
// ("thread_pool.last_free", "thread_pool.tasks", ...) when they are made
// while recording is on.
BOOST_STM_DECL void name_conflict_sites(const void* object, std::size_t size, std::string name);
// Drops the names of ranges that lie in [object, object + size): call it
// before that memory is freed or reused.
BOOST_STM_DECL void forget_conflict_site_names(const void* object, std::size_t size) noexcept;
BOOST_STM_DECL std::ostream& operator<<(std::ostream& os, const conflict_site& s);

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
