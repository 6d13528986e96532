// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// thread_pool_executor under load: see executor_stress.hpp for the run and
// what it checks. 100,000 top-level tasks by default (10,000 under a
// sanitizer or valgrind), times BOOST_STM_STRESS.
#define BOOST_TEST_MODULE executor_stress
#include "executor_stress.hpp"

#include <boost/stm/thread_pool_executor.hpp>

#include <cstdio>
#include <memory>

namespace stm = boost::stm;

namespace {

void stress_thread_pool(std::size_t workers) {
  const std::size_t n = test_helpers::stress_size(100000);
  auto ex = std::make_unique<stm::thread_pool_executor>(workers);
  const stm::thread_pool& pool = ex->pool();
  stress_test::run<stm::thread_pool_executor> r(*ex, n, workers - 1);
  r.dump_counters = [&pool] {
    std::fprintf(stderr, "pool: scheduled %zu, finished %zu, failed %zu, remaining %zu, live %zu, free %zu\n",
                 pool.tasks_scheduled(), pool.tasks_finished(), pool.tasks_failed(),
                 pool.tasks_remaining(), pool.live_threads(), pool.free_threads());
  };
  r.go();
  // The pool's side, read after shutdown(true) and before the destructor.
  // A task taken back by cancel_futures was never counted; one cancelled
  // while queued is still handed to a worker (which skips it) and counted
  // finished; job::run never throws, so the pool sees no failure.
  std::size_t scheduled = pool.tasks_scheduled(), finished = pool.tasks_finished();
  BOOST_TEST(pool.tasks_remaining() == 0u);
  BOOST_TEST(pool.tasks_failed() == 0u);
  BOOST_TEST(finished == scheduled);
  BOOST_TEST(pool.live_threads() <= workers);
  ex.reset();
  stress_test::run<stm::thread_pool_executor>::totals t = r.check();
  BOOST_TEST(finished >= t.ran);
  BOOST_TEST(finished <= t.published);
  BOOST_TEST(t.published - finished <= t.cancelled);  // taken back: all cancelled
}

}  // namespace

BOOST_AUTO_TEST_CASE(thread_pool_executor_with_four_workers) { stress_thread_pool(4); }

// Two workers: at most one of them ever blocks in a wait.
BOOST_AUTO_TEST_CASE(thread_pool_executor_with_two_workers) { stress_thread_pool(2); }
