// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE executor_stats
#include <boost/test/unit_test.hpp>

#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

struct delta {
  std::uint64_t submitted, finished, failed, cancelled;
};

delta since(const stm::executor_stats& before) {
  stm::executor_stats now = stm::executor_statistics();
  return {now.submitted - before.submitted, now.finished - before.finished,
          now.failed - before.failed, now.cancelled - before.cancelled};
}

// A task that holds the executor's only thread until open is set. It blocks
// the OS thread, not just its task: a fiber_executor thread whose task
// waits in retry() goes on to start the next queued task on another fiber,
// which would then no longer be queued (and could not be cancelled).
template <class Executor>
stm::future<void> hold_the_worker(Executor& ex, std::atomic<bool>& open) {
  return ex.submit([&open] {
    while (!open.load()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  });
}

// Submits 10 tasks that return, 3 that throw and 4 that are cancelled while
// a gate task holds the only worker; the gate is one more that returns.
template <class Executor>
void count_every_outcome(Executor& ex) {
  stm::executor_stats before = stm::executor_statistics();
  std::atomic<bool> open{false};
  auto gate = hold_the_worker(ex, open);
  std::vector<stm::future<int>> doomed;
  for (int i = 0; i < 4; ++i) doomed.push_back(ex.submit([] { return 0; }));
  for (auto& f : doomed) BOOST_TEST(f.cancel());
  for (auto& f : doomed) BOOST_TEST(f.cancel());  // a second cancel counts nothing
  std::vector<stm::future<int>> ok, bad;
  for (int i = 0; i < 10; ++i) ok.push_back(ex.submit([i] { return i; }));
  for (int i = 0; i < 3; ++i) bad.push_back(ex.submit([]() -> int { throw std::runtime_error("x"); }));
  open.store(true);
  ex.shutdown(true);
  delta d = since(before);
  BOOST_TEST(d.submitted == 18u);
  BOOST_TEST(d.finished == 11u);
  BOOST_TEST(d.failed == 3u);
  BOOST_TEST(d.cancelled == 4u);
  BOOST_TEST(d.submitted == d.finished + d.failed + d.cancelled);
}

}  // namespace

BOOST_AUTO_TEST_CASE(thread_pool_executor_counts_every_outcome) {
  stm::thread_pool_executor ex{1};
  count_every_outcome(ex);
}

BOOST_AUTO_TEST_CASE(fiber_executor_counts_every_outcome) {
  stm::fiber_executor ex{1};
  count_every_outcome(ex);
}

BOOST_AUTO_TEST_CASE(shutdown_cancel_futures_counts_the_queued_tasks_cancelled) {
  stm::executor_stats before = stm::executor_statistics();
  stm::thread_pool_executor ex{1};
  std::atomic<bool> open{false};
  auto gate = hold_the_worker(ex, open);
  std::vector<stm::future<int>> queued;
  for (int i = 0; i < 5; ++i) queued.push_back(ex.submit([] { return 0; }));
  BOOST_TEST(queued[0].cancel());  // cancelled first, then taken by the shutdown: counted once
  ex.shutdown(false, /*cancel_futures=*/true);
  open.store(true);
  ex.shutdown(true);
  delta d = since(before);
  BOOST_TEST(d.submitted == 6u);
  BOOST_TEST(d.finished == 1u);
  BOOST_TEST(d.cancelled == 5u);
}

BOOST_AUTO_TEST_CASE(a_submit_inside_a_transaction_counts_only_if_it_commits) {
  stm::executor_stats before = stm::executor_statistics();
  stm::thread_pool_executor ex{1};
  struct undo {};
  try {
    stm::atomically([&] {
      (void)ex.submit([] { return 1; });
      throw undo{};
    });
  } catch (const undo&) {
  }
  BOOST_TEST(since(before).submitted == 0u);
  stm::future<int> f = stm::atomically([&] { return ex.submit([] { return 2; }); });
  BOOST_TEST(f.get() == 2);
  BOOST_TEST(since(before).submitted == 1u);
}

BOOST_AUTO_TEST_CASE(live_workers_are_counted_until_they_exit) {
  std::uint64_t live_before = stm::executor_statistics().workers_live;
  {
    stm::thread_pool_executor ex{2};
    BOOST_TEST(ex.submit([] { return stm::executor_statistics().workers_live; }).get() >= live_before + 1);
    ex.shutdown(true);  // returns after the workers' threads have exited
  }
  BOOST_TEST(stm::executor_statistics().workers_live == live_before);
  BOOST_TEST(stm::executor_statistics().workers_peak >= live_before + 1);
}
