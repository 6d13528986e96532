// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// fiber_executor under load: see executor_stress.hpp for the run and what it
// checks. A task blocked in get() suspends only its fiber, so any number of
// waiters may block at once. 100,000 top-level tasks by default (10,000
// under a sanitizer or valgrind), times BOOST_STM_STRESS.
#define BOOST_TEST_MODULE fiber_executor_stress
#include "executor_stress.hpp"

#include <boost/stm/fiber_executor.hpp>

#include <cstdio>
#include <limits>
#include <memory>

namespace stm = boost::stm;

BOOST_AUTO_TEST_CASE(fiber_executor_on_two_threads) {
  const std::size_t n = test_helpers::stress_size(100000);
  auto ex = std::make_unique<stm::fiber_executor>(2);
  stress_test::run<stm::fiber_executor> r(*ex, n, std::numeric_limits<std::size_t>::max());
  r.dump_counters = [&ex] { std::fprintf(stderr, "fiber_executor: running %zu\n", ex->tasks_running()); };
  r.go();
  BOOST_TEST(ex->tasks_running() == 0u);
  ex.reset();
  stress_test::run<stm::fiber_executor>::totals t = r.check();
  BOOST_TEST(t.ran <= t.published);
}
