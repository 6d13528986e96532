// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Transactions that can never be woken are made visible: a retry whose
// every read tvar was destroyed before it could wait throws (and counts
// blocked_forever); a wait longer than BOOST_STM_STALL_MS counts a stall
// and, under BOOST_STM_STATS, is reported on stderr.
#define BOOST_TEST_MODULE deadlock
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tmvar.hpp>
#include <boost/stm/tvar.hpp>

#include "container_helpers.hpp"
#include "test_support.hpp"

#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>

namespace stm = boost::stm;

namespace {

// Read once, at the first blocking retry of the process: set before any test.
struct short_stall_threshold {
  short_stall_threshold() {
    ::setenv("BOOST_STM_STALL_MS", "100", 1);
    ::setenv("BOOST_STM_STATS", "1", 1);
  }
};

using test_helpers::stderr_capture;

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(short_stall_threshold);

BOOST_AUTO_TEST_CASE(a_retry_on_a_tvar_local_to_the_transaction_throws_instead_of_hanging) {
  std::uint64_t before = stm::statistics().blocked_forever;
  stderr_capture err;
  BOOST_CHECK_EXCEPTION(stm::atomically([] {
                          stm::tvar<int> local{0};
                          if (local.get() == 0) stm::retry();
                        }),
                        stm::usage_error, [](const stm::usage_error& e) {
                          return std::string(e.what()).find("BlockedIndefinitelyOnSTM") !=
                                 std::string::npos;
                        });
  // The same through a container the body owns, and through check().
  BOOST_CHECK_THROW(stm::atomically([] {
                      stm::tmvar<int> box;
                      return box.take();
                    }),
                    stm::usage_error);
  BOOST_CHECK_THROW(stm::atomically([] {
                      auto flag = std::make_unique<stm::tvar<bool>>(false);
                      stm::check(flag->get());
                    }),
                    stm::usage_error);
  std::string text = err.text();
  BOOST_TEST(stm::statistics().blocked_forever - before == 3u);
  BOOST_TEST(text.find("that nothing can ever wake") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_destroyed_tvar_leaves_the_wait_on_the_others) {
  stm::tvar<int> shared{0};
  std::uint64_t before = stm::statistics().retries;
  auto f = std::async(std::launch::async, [&] {
    return stm::atomically([&] {
      stm::tvar<int> local{0};
      if (local.get() == 0 && shared.get() == 0) stm::retry();
      return shared.get();
    });
  });
  test_helpers::wait_for_retries(before);
  shared.set(5);  // wakes it: it waits on shared alone, not on the freed local
  BOOST_TEST(f.get() == 5);
}

BOOST_AUTO_TEST_CASE(a_long_wait_is_counted_and_reported_then_goes_on) {
  stm::tvar<int> never{0};
  std::uint64_t before = stm::statistics().stalls;
  stderr_capture err;
  auto f = std::async(std::launch::async, [&] {
    return stm::atomically([&] {
      stm::check(never.get() != 0);
      return never.get();
    });
  });
  while (stm::statistics().stalls == before) std::this_thread::yield();
  never.set(3);  // still waiting, and still woken by a commit
  BOOST_TEST(f.get() == 3);
  std::string text = err.text();
  BOOST_TEST(text.find("blocked in retry() for 100 ms") != std::string::npos, text);
  BOOST_TEST(text.find("1 tvar(s)") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_wait_with_a_deadline_is_never_a_stall) {
  // As an idle pool worker waits for its keep_alive: bounded, so not
  // reported, even past the threshold (100 ms here).
  std::uint64_t before = stm::statistics().stalls;
  stm::tvar<int> x{0};
  bool timed_out = stm::atomically([&] {
    if (x.get() != 0) return false;
    if (stm::elapsed(std::chrono::milliseconds(300))) return true;
    stm::retry();
  });
  BOOST_TEST(timed_out);
  BOOST_TEST(stm::statistics().stalls == before);
}
