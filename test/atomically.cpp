// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE atomically
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

using test_helpers::stress;

struct boom {};

// Spins (yielding) until some attempt has blocked in retry() since `before`:
// lets a test write only once the waiter sleeps, to exercise the wake-up.
void until_blocked(std::uint64_t before) {
  while (stm::statistics().retries == before) std::this_thread::yield();
}

}  // namespace

static_assert(std::is_base_of<std::logic_error, stm::usage_error>::value, "");

// ---- results and nesting ------------------------------------------------------

BOOST_AUTO_TEST_CASE(returns_the_result_of_f) {
  stm::tvar<int> x{3};
  BOOST_TEST(stm::atomically([&] { return x.get() * 2; }) == 6);
  std::string s = stm::atomically([] { return std::string("text"); });
  BOOST_TEST(s == "text");
  int target = 0;
  int& r = stm::atomically([&]() -> int& { return target; });
  BOOST_TEST(&r == &target);
  stm::atomically([] {});
}

BOOST_AUTO_TEST_CASE(in_transaction_inside_only) {
  BOOST_TEST(!stm::in_transaction());
  BOOST_TEST(stm::atomically([] { return stm::in_transaction(); }));
  BOOST_TEST(stm::atomically([] { return stm::atomically([] { return stm::in_transaction(); }); }));
  BOOST_TEST(!stm::in_transaction());
}

BOOST_AUTO_TEST_CASE(nested_commit_joins_the_parent) {
  stm::tvar<int> x{0}, y{0};
  stm::atomically([&] {
    x.set(1);
    int inner = stm::atomically([&] {
      y.set(x.get() + 1);
      return y.get();
    });
    BOOST_TEST(inner == 2);
    BOOST_TEST(y.get() == 2);
  });
  BOOST_TEST(x.get() == 1);
  BOOST_TEST(y.get() == 2);
}

BOOST_AUTO_TEST_CASE(nested_exception_undoes_only_the_inner_transaction) {
  stm::tvar<int> x{0}, y{0}, z{0};
  stm::atomically([&] {
    x.set(1);
    y.set(1);
    BOOST_CHECK_THROW(stm::atomically([&] {
                        y.set(2);  // written by the parent too: restored
                        z.set(2);  // only here: dropped
                        BOOST_TEST(y.get() == 2);
                        throw boom{};
                      }),
                      boom);
    BOOST_TEST(x.get() == 1);
    BOOST_TEST(y.get() == 1);
    BOOST_TEST(z.get() == 0);
    y.set(y.get() + 10);
  });
  BOOST_TEST(x.get() == 1);
  BOOST_TEST(y.get() == 11);
  BOOST_TEST(z.get() == 0);
}

BOOST_AUTO_TEST_CASE(deep_nesting_partial_rollback) {
  stm::tvar<int> x{0};
  stm::atomically([&] {
    x.set(1);
    stm::atomically([&] {
      x.set(2);
      stm::atomically([&] { x.set(3); });  // commits into level 2
      BOOST_TEST(x.get() == 3);
      try {
        stm::atomically([&] {
          x.set(4);
          stm::atomically([&] { x.set(5); });
          throw boom{};
        });
      } catch (const boom&) {
      }
      BOOST_TEST(x.get() == 3);
    });
    BOOST_TEST(x.get() == 3);
    try {
      stm::atomically([&] {
        stm::atomically([&] { x.set(6); });  // committed into a level that aborts
        throw boom{};
      });
    } catch (const boom&) {
    }
    BOOST_TEST(x.get() == 3);
  });
  BOOST_TEST(x.get() == 3);
}

BOOST_AUTO_TEST_CASE(exception_rolls_back_and_propagates) {
  stm::tvar<int> x{0};
  std::uint64_t aborts = stm::statistics().aborts;
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.set(1);
                      stm::atomically([&] { x.set(2); });
                      throw std::runtime_error("expected");
                    }),
                    std::runtime_error);
  BOOST_TEST(x.get() == 0);
  BOOST_TEST(stm::statistics().aborts == aborts + 1);
  BOOST_TEST(!stm::in_transaction());
  // The thread is usable afterwards.
  stm::atomically([&] { x.set(3); });
  BOOST_TEST(x.get() == 3);
}

// ---- retry ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(retry_outside_a_transaction_is_a_usage_error) {
  BOOST_CHECK_THROW(stm::retry(), stm::usage_error);
  BOOST_CHECK_THROW(stm::retry(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(retry_with_nothing_to_wait_for_is_a_usage_error) {
  BOOST_CHECK_THROW(stm::atomically([] { stm::retry(); }), stm::usage_error);
  // Also when a nested transaction read nothing either.
  BOOST_CHECK_THROW(stm::atomically([] { stm::atomically([] { stm::retry(); }); }),
                    stm::usage_error);
  // An elapsed() that is already true sets no deadline.
  BOOST_CHECK_THROW(stm::atomically([] {
                      if (stm::elapsed(0ms)) stm::retry();
                    }),
                    stm::usage_error);
  BOOST_TEST(!stm::in_transaction());
}

BOOST_AUTO_TEST_CASE(retry_blocks_until_a_read_tvar_is_written) {
  stm::tvar<int> x{0}, unrelated{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    return stm::atomically([&] {
      int v = x.get();
      if (v == 0) stm::retry();
      return v;
    });
  });
  until_blocked(before);
  unrelated.set(1);  // not read: does not matter
  x.set(42);
  BOOST_TEST(f.get() == 42);
}

BOOST_AUTO_TEST_CASE(retry_discards_the_attempts_writes) {
  stm::tvar<int> x{0}, y{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    stm::atomically([&] {
      y.set(y.get() + 1);
      if (x.get() == 0) stm::retry();
    });
  });
  until_blocked(before);
  BOOST_TEST(y.get() == 0);
  x.set(1);
  f.get();
  BOOST_TEST(y.get() == 1);
}

BOOST_AUTO_TEST_CASE(retry_in_nested_transaction_blocks_the_whole) {
  stm::tvar<int> x{0}, y{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    stm::atomically([&] {
      y.set(1);
      stm::atomically([&] {
        if (x.get() == 0) stm::retry();
      });
      y.set(y.get() + x.get());
    });
  });
  until_blocked(before);
  BOOST_TEST(y.get() == 0);
  x.set(5);
  f.get();
  BOOST_TEST(y.get() == 6);
}

BOOST_AUTO_TEST_CASE(a_tvar_a_waiter_sleeps_on_may_be_destroyed) {
  // The waiter reads a tvar reached through another one; the writer swaps
  // in a new one and the old one is destroyed when its holder's value is
  // reclaimed, while the waiter may still be registered on it. The waiter
  // must wake and re-run against the new tvar (sanitizers check the rest).
  using cell = std::shared_ptr<stm::tvar<int>>;
  stm::tvar<cell> holder{std::make_shared<stm::tvar<int>>(0)};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    return stm::atomically([&] {
      int v = holder.get()->get();
      if (v == 0) stm::retry();
      return v;
    });
  });
  until_blocked(before);
  holder.set(std::make_shared<stm::tvar<int>>(9));
  BOOST_TEST(f.get() == 9);
}

// ---- or_else -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(or_else_takes_the_first_alternative_that_does_not_retry) {
  stm::tvar<int> x{0}, y{0};
  int w = stm::atomically([&] {
    return stm::or_else(
        [&] {
          y.set(1);  // undone: this alternative retries
          if (x.get() == 0) stm::retry();
          return 1;
        },
        [&] { return 2; });
  });
  BOOST_TEST(w == 2);
  BOOST_TEST(y.get() == 0);
  x.set(1);
  w = stm::atomically([&] {
    return stm::or_else(
        [&] {
          y.set(1);
          if (x.get() == 0) stm::retry();
          return 1;
        },
        [&] {
          y.set(2);
          return 2;
        });
  });
  BOOST_TEST(w == 1);
  BOOST_TEST(y.get() == 1);
  // Outside a transaction it is a transaction of its own.
  BOOST_TEST(stm::or_else([&]() -> int { stm::retry(); }, [] { return 3; }) == 3);
}

BOOST_AUTO_TEST_CASE(or_else_nests) {
  stm::tvar<int> x{0};
  int w = stm::atomically([&] {
    return stm::or_else(
        [&] {
          return stm::or_else([&]() -> int { if (x.get() == 0) stm::retry(); return 1; },
                              [&]() -> int { stm::retry(); });
        },
        [&] { return stm::or_else([&]() -> int { stm::retry(); }, [] { return 4; }); });
  });
  BOOST_TEST(w == 4);
}

BOOST_AUTO_TEST_CASE(or_else_both_retry_waits_on_what_either_read) {
  stm::tvar<int> x{0}, y{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    return stm::atomically([&] {
      return stm::or_else(
          [&] {
            if (x.get() == 0) stm::retry();
            return 1;
          },
          [&] {
            if (y.get() == 0) stm::retry();
            return 2;
          });
    });
  });
  until_blocked(before);
  y.set(1);  // read only by the second alternative
  BOOST_TEST(f.get() == 2);
}

BOOST_AUTO_TEST_CASE(or_else_takes_any_number_of_alternatives) {
  stm::tvar<int> a{0}, b{0}, c{0}, written{0};
  auto pick = [&] {
    return stm::atomically([&] {
      return stm::or_else(
          [&] { written.set(1); if (a.get() == 0) stm::retry(); return 1; },
          [&] { written.set(2); if (b.get() == 0) stm::retry(); return 2; },
          [&] { written.set(3); if (c.get() == 0) stm::retry(); return 3; },
          [&] { return 4; });
    });
  };
  BOOST_TEST(pick() == 4);
  BOOST_TEST(written.get() == 0);  // the writes of the alternatives that retried are undone
  c.set(1);
  BOOST_TEST(pick() == 3);
  BOOST_TEST(written.get() == 3);
  b.set(1);
  BOOST_TEST(pick() == 2);
  a.set(1);
  BOOST_TEST(pick() == 1);
  // Outside a transaction it runs as one; the result type is the common one.
  long l = stm::or_else([]() -> int { stm::retry(); }, []() -> short { stm::retry(); },
                        [] { return 5L; });
  BOOST_TEST(l == 5L);
}

BOOST_AUTO_TEST_CASE(or_else_of_three_that_all_retry_waits_on_what_any_read) {
  stm::tvar<int> x{0}, y{0}, z{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    return stm::atomically([&] {
      return stm::or_else([&] { stm::check(x.get() != 0); return 1; },
                          [&] { stm::check(y.get() != 0); return 2; },
                          [&] { stm::check(z.get() != 0); return 3; });
    });
  });
  until_blocked(before);
  z.set(1);  // read only by the last alternative
  BOOST_TEST(f.get() == 3);
}

BOOST_AUTO_TEST_CASE(check_retries_unless_true_and_is_a_usage_error_outside) {
  stm::tvar<int> x{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    stm::atomically([&] { stm::check(x.get() > 0); });
    return x.get();
  });
  until_blocked(before);
  x.set(2);
  BOOST_TEST(f.get() == 2);
  stm::atomically([&] { stm::check(true); });
  BOOST_CHECK_THROW(stm::check(true), stm::usage_error);
  BOOST_CHECK_THROW(stm::check(false), stm::usage_error);
}

BOOST_AUTO_TEST_CASE(or_else_exception_propagates_and_rolls_back) {
  stm::tvar<int> x{0};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.set(1);
                      return stm::or_else([&]() -> int { throw boom{}; }, [] { return 2; });
                    }),
                    boom);
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.set(1);
                      return stm::or_else([&]() -> int { stm::retry(); },
                                          [&]() -> int { throw boom{}; });
                    }),
                    boom);
  BOOST_TEST(x.get() == 0);
}

// ---- elapsed -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(elapsed_outside_a_transaction_is_a_usage_error) {
  BOOST_CHECK_THROW(stm::elapsed(1ms), stm::usage_error);
  BOOST_CHECK_THROW(stm::elapsed(steady::now()), stm::usage_error);
}

BOOST_AUTO_TEST_CASE(elapsed_retry_wakes_at_the_deadline_with_nothing_written) {
  std::uint64_t timeouts = stm::statistics().timeouts;
  auto t0 = steady::now();
  stm::atomically([] {
    if (!stm::elapsed(50ms)) stm::retry();
  });
  auto took = steady::now() - t0;
  BOOST_TEST((took >= 50ms));
  BOOST_TEST((took < 5s));
  BOOST_TEST(stm::statistics().timeouts > timeouts);

  // The same with a tvar read that nobody writes.
  stm::tvar<int> x{0};
  t0 = steady::now();
  bool timed_out = stm::atomically([&] {
    if (x.get() != 0) return false;
    if (stm::elapsed(t0 + 30ms)) return true;
    stm::retry();
  });
  BOOST_TEST(timed_out);
  BOOST_TEST((steady::now() - t0 >= 30ms));
}

BOOST_AUTO_TEST_CASE(elapsed_is_fixed_per_attempt) {
  int attempts = 0;
  std::vector<std::pair<bool, bool>> seen;
  stm::atomically([&] {
    ++attempts;
    bool a = stm::elapsed(20ms);
    std::this_thread::sleep_for(30ms);  // a slow body: time moves on inside the attempt
    bool b = stm::elapsed(20ms);
    seen.emplace_back(a, b);
    if (!b) stm::retry();
  });
  BOOST_TEST(attempts == 2);
  BOOST_TEST(seen.size() == 2u);
  BOOST_TEST((seen[0] == std::make_pair(false, false)));
  BOOST_TEST((seen[1] == std::make_pair(true, true)));
}

BOOST_AUTO_TEST_CASE(elapsed_reads_the_clock_at_its_first_call_in_the_attempt) {
  // As the reference says: the time is the one read at the attempt's first
  // elapsed(), not at the attempt's start. A body that works past tp before
  // it first asks sees tp passed in that same attempt.
  int attempts = 0;
  bool first = stm::atomically([&] {
    ++attempts;
    auto tp = steady::now() + 20ms;
    while (steady::now() < tp) {
      // busy: the attempt began before tp
    }
    return stm::elapsed(tp);
  });
  BOOST_TEST(first);
  BOOST_TEST(attempts == 1);
}

BOOST_AUTO_TEST_CASE(elapsed_or_else_is_deterministic) {
  // Two alternatives asking about the same deadline agree within an attempt.
  for (int i = 0; i < 50; ++i) {
    auto tp = steady::now() + std::chrono::microseconds(i * 20);
    stm::tvar<int> x{0};
    int r = stm::atomically([&] {
      return stm::or_else(
          [&] {
            if (!stm::elapsed(tp)) stm::retry();
            return 1;
          },
          [&] {
            if (stm::elapsed(tp)) return -1;  // would contradict the first alternative
            return 2 + x.get();
          });
    });
    BOOST_TEST(r != -1);
  }
}

BOOST_AUTO_TEST_CASE(elapsed_is_measured_from_the_first_attempt) {
  // A writer keeps waking the waiter far more often than the timeout: were
  // the time measured from each attempt, the waiter would never get there.
  stm::tvar<int> x{0};
  std::atomic<bool> done{false};
  std::thread w([&] {
    for (int i = 1; !done.load() && i < 100000000; ++i) {
      x.set(i);
      std::this_thread::yield();
    }
  });
  auto t0 = steady::now();
  std::uint64_t wakeups = stm::statistics().wakeups;
  stm::atomically([&] {
    x.get();
    if (!stm::elapsed(100ms)) stm::retry();
  });
  auto took = steady::now() - t0;
  done = true;
  w.join();
  BOOST_TEST((took >= 100ms));
  BOOST_TEST((took < 10s));
  BOOST_TEST(stm::statistics().wakeups > wakeups);
}

// ---- after_commit ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(after_commit_runs_once_in_order_outside_the_transaction) {
  stm::tvar<int> x{0};
  std::vector<int> log;
  std::vector<bool> inside;
  stm::atomically([&] {
    x.set(1);
    stm::after_commit([&] {
      log.push_back(1);
      inside.push_back(stm::in_transaction());
      log.push_back(x.get());  // sees the commit
    });
    stm::atomically([&] { stm::after_commit([&] { log.push_back(2); }); });
    stm::after_commit([&] { log.push_back(3); });
    BOOST_TEST(log.empty());
  });
  BOOST_TEST((log == std::vector<int>{1, 1, 2, 3}));
  BOOST_TEST(inside.size() == 1u);
  BOOST_TEST(!inside.at(0));
}

BOOST_AUTO_TEST_CASE(after_commit_outside_a_transaction_runs_at_once) {
  int ran = 0;
  stm::after_commit([&] { ++ran; });
  BOOST_TEST(ran == 1);
}

BOOST_AUTO_TEST_CASE(after_commit_dropped_on_abort_and_retry) {
  stm::tvar<int> x{0};
  int ran = 0;
  BOOST_CHECK_THROW(stm::atomically([&] {
                      stm::after_commit([&] { ++ran; });
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(ran == 0);
  stm::atomically([&] {
    try {
      stm::atomically([&] {
        stm::after_commit([&] { ran += 100; });
        throw boom{};
      });
    } catch (const boom&) {
    }
    stm::or_else(
        [&] {
          stm::after_commit([&] { ran += 1000; });
          stm::retry();
        },
        [] {});
  });
  BOOST_TEST(ran == 0);

  // A blocked attempt's action is dropped; only the committing attempt's runs.
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    stm::atomically([&] {
      stm::after_commit([&] { ++ran; });
      if (x.get() == 0) stm::retry();
    });
  });
  until_blocked(before);
  x.set(1);
  f.get();
  BOOST_TEST(ran == 1);
}

BOOST_AUTO_TEST_CASE(after_commit_in_a_restarted_transaction_runs_once) {
  stm::tvar<int> x{0};
  std::atomic<int> ran{0};
  std::atomic<int> attempts{0};
  const int n = 2000 * stress();
  auto body = [&] {
    stm::atomically([&] {
      ++attempts;
      x.set(x.get() + 1);
      stm::after_commit([&] { ++ran; });
    });
  };
  std::thread t([&] {
    for (int i = 0; i < n; ++i) body();
  });
  for (int i = 0; i < n; ++i) body();
  t.join();
  BOOST_TEST(x.get() == 2 * n);
  BOOST_TEST(ran.load() == 2 * n);
  BOOST_TEST(attempts.load() >= 2 * n);
}

BOOST_AUTO_TEST_CASE(after_commit_exceptions_all_run_first_rethrown_after_commit) {
  stm::tvar<int> x{0};
  std::vector<int> log;
  try {
    stm::atomically([&] {
      x.set(7);
      stm::after_commit([&] { log.push_back(1); throw std::runtime_error("first"); });
      stm::after_commit([&] { log.push_back(2); throw std::logic_error("second"); });
      stm::after_commit([&] { log.push_back(3); });
    });
    BOOST_ERROR("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) == "first");
  }
  BOOST_TEST((log == std::vector<int>{1, 2, 3}));
  BOOST_TEST(x.get() == 7);  // committed all the same
}

BOOST_AUTO_TEST_CASE(after_commit_action_may_run_transactions) {
  stm::tvar<int> x{0}, y{0};
  stm::atomically([&] {
    x.set(1);
    stm::after_commit([&] {
      stm::atomically([&] {
        y.set(x.get() + 1);
        stm::after_commit([&] { y.set(y.get() * 10); });
      });
    });
  });
  BOOST_TEST(y.get() == 20);
}

// ---- contention ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(conflicting_increments_are_exact) {
  stm::tvar<long> x{0};
  const int per = 5000 * stress();
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < per; ++i) stm::atomically([&] { x.set(x.get() + 1); });
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(x.get() == 4L * per);
}

BOOST_AUTO_TEST_CASE(heavy_contention_escalates_to_serial) {
  // Many threads, slow bodies incrementing one tvar: some transaction loses
  // often enough to run serially; the count stays exact.
  stm::tvar<long> x{0};
  std::uint64_t serial0 = stm::statistics().serial_runs;
  std::atomic<long> done{0};
  const int threads = 8;
  auto deadline = steady::now() + 90s;  // ends at the first escalation; slack for slow sanitizer runs
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&] {
      // Until some escalation happened (and a minimum of work was done).
      for (int i = 0; i < 50 * stress() ||
                      (stm::statistics().serial_runs == serial0 && steady::now() < deadline);
           ++i) {
        stm::atomically([&] {
          long v = x.get();
          std::this_thread::sleep_for(50us);  // a slow body: everyone overlaps
          x.set(v + 1);
        });
        ++done;
      }
    });
  for (auto& t : ts) t.join();
  stm::stats s = stm::statistics();
  BOOST_TEST(s.serial_runs > serial0);
  BOOST_TEST(x.get() == done.load());
  BOOST_TEST_MESSAGE("increments " << done.load() << ", " << s);
}

// ---- serial mode ------------------------------------------------------------------

namespace {

// Makes the calling transaction's attempts 1..n conflict: each reads x and
// then has another thread commit a write to x before it commits.
struct forced_conflicts {
  stm::tvar<int>& x;
  int n;
  int attempts = 0;
  // Call at the start of the body; returns the attempt number.
  int operator()() {
    ++attempts;
    x.get();
    if (attempts <= n) std::thread([&] { x.set(x.get() + 1); }).join();
    return attempts;
  }
};

template <class F>
void within(std::chrono::seconds limit, const char* what, F f) {
  auto r = std::async(std::launch::async, std::move(f));
  if (r.wait_for(limit) != std::future_status::ready) {
    std::fprintf(stderr, "%s: stuck (serial mode not released?)\n", what);
    std::fflush(stderr);
    std::_Exit(1);
  }
  r.get();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_transaction_that_keeps_restarting_runs_serially) {
  stm::tvar<int> x{0}, y{0};
  std::uint64_t serial = stm::statistics().serial_runs;
  forced_conflicts conflict{x, 16};  // BOOST_STM_SERIAL_AFTER restarts
  stm::atomically([&] {
    conflict();
    y.set(y.get() + 1);
  });
  BOOST_TEST(conflict.attempts == 17);
  BOOST_TEST(y.get() == 1);
  BOOST_TEST(stm::statistics().serial_runs == serial + 1);
  within(std::chrono::seconds(60), "after a serial commit", [&] {
    std::thread([&] { x.set(100); }).join();
  });
  BOOST_TEST(x.get() == 100);
}

BOOST_AUTO_TEST_CASE(a_serial_transaction_that_throws_leaves_serial_mode) {
  stm::tvar<int> x{0};
  std::uint64_t serial = stm::statistics().serial_runs;
  forced_conflicts conflict{x, 16};
  stm::tvar<int> y{0};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      int n = conflict();
                      y.set(n);  // a writer: its commit validates and fails
                      if (n > 16) throw boom{};
                    }),
                    boom);
  BOOST_TEST(y.get() == 0);
  BOOST_TEST(stm::statistics().serial_runs == serial + 1);
  within(std::chrono::seconds(60), "after a serial abort", [&] {
    std::thread([&] { x.set(-1); }).join();
  });
  BOOST_TEST(x.get() == -1);
}

BOOST_AUTO_TEST_CASE(a_serial_transaction_that_retries_leaves_serial_mode) {
  stm::tvar<int> x{0}, y{0}, go{0};
  forced_conflicts conflict{x, 16};
  std::uint64_t before = stm::statistics().retries;
  std::uint64_t serial = stm::statistics().serial_runs;
  within(std::chrono::seconds(60), "serial retry", [&] {
    auto waiter = std::async(std::launch::async, [&] {
      return stm::atomically([&] {
        int n = conflict();
        y.set(n);
        // Serial from attempt 17 on: blocking must not keep other commits out.
        if (n > 16 && go.get() == 0) stm::retry();
        return go.get();
      });
    });
    until_blocked(before);
    go.set(5);  // a writing commit from another thread
    BOOST_TEST(waiter.get() == 5);
  });
  BOOST_TEST(stm::statistics().serial_runs == serial + 1);
  BOOST_TEST(y.get() == 18);
}

BOOST_AUTO_TEST_CASE(a_body_that_swallows_a_conflict_still_restarts) {
  // catch (...) in a body can catch the internal conflict signal; the
  // attempt must not commit what it computed after that.
  stm::tvar<int> x{0}, y{0}, out{0};
  int attempts = 0;
  stm::atomically([&] {
    ++attempts;
    int a = x.get();
    if (attempts == 1)
      std::thread([&] {
        stm::atomically([&] {
          x.set(1);
          y.set(1);
        });
      }).join();
    int b = -100;
    try {
      b = y.get();  // too new for this snapshot: conflict
    } catch (...) {
    }
    out.set(a + b);
  });
  BOOST_TEST(attempts == 2);
  BOOST_TEST(out.get() == 2);
}

// ---- hand-offs -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ping_pong_hand_offs_lose_no_wake_up) {
  // Two threads hand a token back and forth through a tvar, each blocking in
  // retry() until it is its turn. A lost wake-up hangs: a watchdog fails the
  // test instead.
  const int n = 100000 * stress();
  stm::tvar<int> turn{0};
  stm::tvar<long> sum{0};
  auto player = [&](int me) {
    for (int i = 0; i < n; ++i)
      stm::atomically([&] {
        if (turn.get() != me) stm::retry();
        sum.set(sum.get() + 1);
        turn.set(1 - me);
      });
  };
  std::uint64_t retries = stm::statistics().retries;
  auto game = std::async(std::launch::async, [&] {
    std::thread other(player, 1);
    player(0);
    other.join();
  });
  if (game.wait_for(60s) != std::future_status::ready) {
    std::fprintf(stderr, "ping_pong_hand_offs_lose_no_wake_up: no progress in 60 s "
                         "(turn %d, sum %ld): a wake-up was lost\n",
                 turn.get(), sum.get());
    std::fflush(stderr);
    std::_Exit(1);  // the players are stuck: cannot join them
  }
  game.get();
  BOOST_TEST(sum.get() == 2L * n);
  BOOST_TEST(turn.get() == 0);
  BOOST_TEST_MESSAGE("hand-offs " << 2 * n << ", retries "
                                  << stm::statistics().retries - retries);
}

BOOST_AUTO_TEST_CASE(elapsed_counts_from_the_first_attempt_even_if_asked_late) {
  // The body works (here: waits on the clock) before it first asks: that
  // time counts, since elapsed(d) measures from when the transaction began.
  bool e = stm::atomically([] {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(60);
    while (std::chrono::steady_clock::now() < until) {
    }
    return stm::elapsed(std::chrono::milliseconds(50));
  });
  BOOST_TEST(e);
}

BOOST_AUTO_TEST_CASE(a_swallowed_retry_still_waits) {
  // catch (...) in the body takes the retry; the transaction must still wait
  // for x instead of committing what the body returned meanwhile.
  stm::tvar<int> x{0};
  std::atomic<int> attempts{0};
  std::thread writer([&] {
    while (attempts.load() == 0) std::this_thread::yield();
    x.set(1);
  });
  int v = stm::atomically([&] {
    ++attempts;
    try {
      if (x.get() == 0) stm::retry();
    } catch (...) {
    }
    return x.get();
  });
  writer.join();
  BOOST_TEST(v == 1);
  // or_else and would_block take a retry for real: nothing waits there.
  BOOST_TEST(stm::atomically([&] {
    return stm::or_else([&]() -> int { stm::retry(); }, [] { return 7; });
  }) == 7);
  BOOST_TEST(stm::would_block([] { stm::retry(); }));
}
