#ifndef BOOST_STM_STATS_HPP_INCLUDED
#define BOOST_STM_STATS_HPP_INCLUDED

#include <boost/stm/detail/config.hpp>

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
};

BOOST_STM_DECL stats statistics();
BOOST_STM_DECL std::ostream& operator<<(std::ostream& os, const stats& s);

}  // namespace stm
}  // namespace boost

#endif
