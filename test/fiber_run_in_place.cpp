// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// As test/run_in_place.cpp, on a fiber_executor: a task's get() of a task of
// the same executor that no fiber has started runs it in place, on the
// waiting fiber, as deep as the fiber's stack allows; deeper, the fiber
// suspends and the task gets a fiber of its own.
#define BOOST_TEST_MODULE fiber_run_in_place
#include <boost/test/unit_test.hpp>

// Every test runs under a watchdog: without the fix they deadlock, and the
// watchdog turns that into a failure.

#include "test_support.hpp"

#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/wait.hpp>

#include <boost/fiber/operations.hpp>

#include <functional>
#include <vector>

namespace stm = boost::stm;

namespace {

int fib(stm::fiber_executor& ex, int n) {
  if (n < 2) return n;
  auto a = ex.submit(fib, std::ref(ex), n - 1);
  auto b = ex.submit(fib, std::ref(ex), n - 2);
  return a.get() + b.get();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_queued_task_runs_on_the_waiting_fiber) {
  test_helpers::watchdog dog("a_queued_task_runs_on_the_waiting_fiber", nullptr);
  stm::fiber_executor fx{1};
  auto outer = fx.submit([&] {
    auto inner = fx.submit([] { return boost::this_fiber::get_id(); });
    return inner.get() == boost::this_fiber::get_id();
  });
  BOOST_TEST(outer.get());
}

BOOST_AUTO_TEST_CASE(recursion_deeper_than_a_fiber_stack_allows_in_place) {
  test_helpers::watchdog dog("recursion_deeper_than_a_fiber_stack_allows_in_place", nullptr);
  // Small stacks: run in place only a level or two deep, the rest suspends.
  stm::fiber_executor::options o;
  o.threads = 2;
  o.stack_size = 32 * 1024;
  stm::fiber_executor fx{o};
  auto f = fx.submit(fib, std::ref(fx), 18);
  BOOST_TEST(f.get() == 2584);
}

BOOST_AUTO_TEST_CASE(recursion_and_wait_from_fiber_tasks) {
  test_helpers::watchdog dog("recursion_and_wait_from_fiber_tasks", nullptr);
  stm::fiber_executor fx{2};
  auto f = fx.submit(fib, std::ref(fx), 20);
  BOOST_TEST(f.get() == 6765);
  auto w = fx.submit([&] {
    std::vector<stm::future<int>> fs;
    for (int i = 0; i < 6; ++i) fs.push_back(fx.submit([i] { return i; }));
    stm::wait(fs);
    int sum = 0;
    for (auto& x : stm::as_completed(fs)) sum += x.get();
    return sum;
  });
  BOOST_TEST(w.get() == 15);
}
