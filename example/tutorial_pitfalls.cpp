// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Pitfalls and their remedies: waiting on a future inside a saturated pool,
// long transactions, side effects in transactions, catch (...) inside
// transactions. Every snippet shown in the documentation's "Pitfalls and
// FAQ" page comes from here; the program checks its own results.
//
//   tutorial_pitfalls [--quick]
#include <boost/stm.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include <chrono>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_pitfalls: check failed: %s\n", what);
    ++failures;
  }
}

long expensive(const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0L); }

}  // namespace

int main() {
  {
    //[pitfalls_saturated
    stm::thread_pool_executor ex{1};  // saturated as soon as one task runs
    stm::future<int> outer = ex.submit([&] {
      stm::future<int> inner = ex.submit([] { return 5; });
      // inner.get() here would wait for a worker that is busy running us.
      // Transactionally, or_else turns "wait for it" into "take it if it is
      // there, else do something else":
      int v = stm::atomically([&] {
        return stm::or_else([&] { return inner.get(); }, [] { return -1; });
      });
      if (v == -1 && inner.cancel()) v = 5;  // it never started: do its work here
      else if (v == -1) v = inner.get();     // another worker has it: it will finish
      return v;
    });
    int result = outer.get();  // 5, whatever the timing
    //]
    check(result == 5, "no deadlock in a saturated pool");
  }

  {
    //[pitfalls_long_transaction
    stm::tvar<std::vector<int>> data{std::vector<int>(1000, 1)};
    stm::tvar<long> version{0}, summary{0};
    // Compute outside any transaction, on a snapshot; then commit the result
    // in a short transaction, only if the input did not change meanwhile.
    for (;;) {
      auto [input, seen] = stm::atomically([&] { return std::make_pair(data.get(), version.get()); });
      long result = expensive(input);
      bool stored = stm::atomically([&] {
        if (version.get() != seen) return false;  // changed: compute again
        summary.set(result);
        return true;
      });
      if (stored) break;
    }
    //]
    check(summary.get() == 1000, "the summary was stored");
  }

  {
    //[pitfalls_side_effects
    int body_runs = 0;     // a side effect inside the body: wrong
    int commits_seen = 0;  // a side effect after the commit: right
    stm::atomically([&] {
      ++body_runs;
      if (!stm::elapsed(5ms)) stm::retry();  // the first attempt waits, then the body runs again
      stm::after_commit([&] { ++commits_seen; });
    });
    // body_runs >= 2, commits_seen == 1
    //]
    check(body_runs >= 2 && commits_seen == 1, "bodies may run more than once");
  }

  {
    //[pitfalls_catch
    stm::tvar<int> items{0};
    std::thread producer([&] { items.set(1); });
    int got = stm::atomically([&] {
      try {
        if (items.get() == 0) stm::retry();
        return items.get();
      } catch (const std::exception&) {
        // retry() and conflicts are not std::exceptions: they pass through
        return -1;
      } catch (...) {
        throw;  // catching everything? Then rethrow what you do not handle
      }
    });
    producer.join();
    //]
    check(got == 1, "retry passed through the handlers");
  }

  if (failures == 0) std::printf("tutorial_pitfalls: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
