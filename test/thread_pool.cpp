// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE thread_pool
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/stats.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {
using test_helpers::stress;

// A gate the tasks block on, transactionally, until the test opens it.
struct gate {
  stm::tvar<bool> open{false};
  void wait() {
    stm::atomically([&] { if (!open.get()) stm::retry(); });
  }
};

// Starts n workers (a task each, all blocked at once, so n distinct
// threads), then lets their tasks end: n live workers, all gone free.
void start_idle_workers(stm::thread_pool& pool, std::size_t n) {
  gate g;
  for (std::size_t i = 0; i < n; ++i) pool.schedule([&] { g.wait(); });
  stm::atomically([&] { if (pool.live_threads() < n) stm::retry(); });
  g.open.set(true);
  pool.join();
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_task_runs_exactly_once) {
  const std::size_t n = 2000 * stress();
  std::vector<std::atomic<int>> runs(n);
  {
    stm::thread_pool pool{8, 1s};
    for (std::size_t i = 0; i < n; ++i) pool.schedule([&runs, i] { ++runs[i]; });
    pool.join();
    BOOST_TEST(pool.tasks_finished() == n);
    BOOST_TEST(pool.tasks_scheduled() == n);
    BOOST_TEST(pool.tasks_remaining() == 0u);
  }
  for (std::size_t i = 0; i < n; ++i) BOOST_TEST_REQUIRE(runs[i].load() == 1);
}

BOOST_AUTO_TEST_CASE(max_threads_is_never_exceeded) {
  stm::thread_pool pool{4, 1s};
  stm::tvar<std::size_t> most{0};
  auto w = stm::atomically_watch([&] { return pool.live_threads(); }, [&](std::size_t live) {
    if (live > most.get()) most.set(live);
  });
  gate g;
  stm::tvar<int> running{0};
  for (int i = 0; i < 60; ++i)
    pool.schedule([&] {
      stm::atomically([&] { running.set(running.get() + 1); });
      g.wait();
    });
  // With 60 blocked tasks, exactly 4 workers exist and 4 tasks run.
  stm::atomically([&] { if (running.get() < 4) stm::retry(); });
  BOOST_TEST(pool.live_threads() == 4u);
  BOOST_TEST(pool.free_threads() == 0u);
  BOOST_TEST(pool.tasks().size() == 56u);
  g.open.set(true);
  pool.join();
  BOOST_TEST(most.get() == 4u);
  BOOST_TEST(running.get() == 60);
}

BOOST_AUTO_TEST_CASE(sequential_tasks_reuse_one_idle_worker) {
  stm::thread_pool pool{8, 10s};
  for (int i = 0; i < 20; ++i) {
    pool.schedule([] {});
    pool.join();
  }
  BOOST_TEST(pool.live_threads() == 1u);
  BOOST_TEST(pool.free_threads() == 1u);
}

BOOST_AUTO_TEST_CASE(counters_are_mutually_consistent) {
  stm::thread_pool pool{4, 1s};
  std::atomic<bool> bad{false};
  auto w = stm::atomically_watch(
      [&] {
        return pool.tasks_scheduled() == pool.tasks_finished() + pool.tasks_remaining() &&
               pool.free_threads() <= pool.live_threads() && pool.live_threads() <= 4;
      },
      [&](bool ok) {
        if (!ok) bad = true;
      });
  for (int i = 0; i < 500; ++i) pool.schedule([] {});
  pool.join();
  BOOST_TEST(!bad.load());
}

BOOST_AUTO_TEST_CASE(an_aborted_schedule_runs_nothing) {
  std::atomic<int> ran{0};
  stm::thread_pool pool{2, 1s};
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      pool.schedule([&] { ++ran; });
                      throw boom{};
                    }),
                    boom);
  stm::atomically([&] { pool.schedule([&] { ++ran; }); });
  pool.join();
  BOOST_TEST(ran.load() == 1);
  BOOST_TEST(pool.tasks_scheduled() == 1u);
}

BOOST_AUTO_TEST_CASE(a_throwing_task_is_counted_and_the_pool_goes_on) {
  stm::thread_pool pool{2, 1s};
  std::atomic<int> ran{0};
  pool.schedule([] { throw std::runtime_error("expected test exception"); });
  for (int i = 0; i < 10; ++i) pool.schedule([&] { ++ran; });
  pool.join();
  BOOST_TEST(ran.load() == 10);
  BOOST_TEST(pool.tasks_failed() == 1u);
  BOOST_TEST(pool.tasks_finished() == 11u);
}

// The warmest thread gets the next task (it may still be watching for it:
// no wake-up through the kernel), not the one idle longest: one schedule
// and join after another keeps running on one worker even when several
// are free.
BOOST_AUTO_TEST_CASE(the_last_worker_to_go_free_gets_the_next_task) {
  stm::thread_pool pool{4, 10s};
  gate g;
  std::atomic<int> started{0};
  for (int i = 0; i < 4; ++i)
    pool.schedule([&] {
      ++started;
      g.wait();
    });
  while (started.load() < 4) std::this_thread::yield();
  g.open.set(true);
  pool.join();
  BOOST_TEST(pool.free_threads() == 4u);
  std::set<std::thread::id> ran_on;
  for (int i = 0; i < 20; ++i) {
    pool.schedule([&] { ran_on.insert(std::this_thread::get_id()); });
    pool.join();
  }
  BOOST_TEST(ran_on.size() == 1u);
  BOOST_TEST(pool.live_threads() == 4u);
  BOOST_TEST(pool.free_threads() == 4u);
}

BOOST_AUTO_TEST_CASE(idle_workers_retire_after_keep_alive) {
  stm::thread_pool pool{4, 20ms};
  start_idle_workers(pool, 4);
  BOOST_TEST(stm::wait_until([&] { return pool.live_threads() == 0; }, 30s));
  BOOST_TEST(pool.free_threads() == 0u);
  // And it comes back to life.
  std::atomic<int> ran{0};
  pool.schedule([&] { ++ran; });
  pool.join();
  BOOST_TEST(ran.load() == 1);
}

BOOST_AUTO_TEST_CASE(a_pool_serves_any_task_list) {
  stm::tlist<stm::task> tasks;
  std::atomic<int> ran{0};
  stm::thread_pool served{tasks, 3, 1s};
  stm::atomically([&] {
    for (int i = 0; i < 50; ++i) tasks.push_back([&] { ++ran; });
  });
  served.join();
  BOOST_TEST(ran.load() == 50);
  BOOST_TEST(served.live_threads() <= 3u);
}

BOOST_AUTO_TEST_CASE(destruction_runs_what_was_scheduled) {
  std::atomic<int> ran{0};
  {
    stm::thread_pool pool{3, 1s};
    for (int i = 0; i < 100; ++i) pool.schedule([&] { ++ran; });
  }
  BOOST_TEST(ran.load() == 100);
}

BOOST_AUTO_TEST_CASE(join_with_timeout) {
  stm::thread_pool pool{1, 1s};
  gate g;
  pool.schedule([&] { g.wait(); });
  BOOST_TEST(!pool.join(10ms));
  g.open.set(true);
  BOOST_TEST(pool.join(60s));
}

BOOST_AUTO_TEST_CASE(zero_max_threads_is_rejected) {
  BOOST_CHECK_THROW(stm::thread_pool(0, 1s), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_failed_thread_start_loses_nothing) {
  std::atomic<int> failures{0};
  std::atomic<int> ran{0};
  stm::thread_pool::options o;
  o.max_threads = 2;
  o.on_worker_failure = [&](std::exception_ptr) { ++failures; };
  stm::thread_pool pool{o};
  stm::detail::inject_thread_start_failure(true);
  pool.schedule([&] { ++ran; });
  stm::detail::inject_thread_start_failure(false);
  BOOST_TEST(failures.load() >= 1);
  BOOST_TEST(pool.live_threads() == 0u);
  BOOST_TEST(pool.free_threads() == 0u);
  BOOST_TEST(pool.tasks_remaining() == 1u);  // still queued, not lost
  pool.schedule([&] { ++ran; });             // starting works again
  pool.join();
  BOOST_TEST(ran.load() == 2);
}

BOOST_AUTO_TEST_CASE(a_failing_initializer_gives_its_task_back) {
  std::atomic<int> inits{0}, ran{0};
  stm::tvar<int> failures{0};
  stm::thread_pool::options o;
  o.max_threads = 2;
  o.initializer = [&] {
    if (inits++ == 0) throw std::runtime_error("expected: first initializer fails");
  };
  o.on_worker_failure = [&](std::exception_ptr) { failures.set(failures.get() + 1); };
  stm::thread_pool pool{o};
  pool.schedule([&] { ++ran; });
  stm::atomically([&] { if (failures.get() == 0) stm::retry(); });
  // The task went back to the queue; nothing starts until the next schedule.
  BOOST_TEST(pool.live_threads() == 0u);
  BOOST_TEST(pool.free_threads() == 0u);
  BOOST_TEST(pool.tasks_remaining() == 1u);
  pool.schedule([&] { ++ran; });
  pool.join();
  BOOST_TEST(ran.load() == 2);
  BOOST_TEST(failures.get() == 1);
}

BOOST_AUTO_TEST_CASE(handing_out_a_task_wakes_one_worker) {
  // 64 idle workers; then tasks one at a time. Each hand-out must wake the
  // one worker it was given to, not the whole idle crowd.
  const std::size_t idle = 64, n = 200;
  stm::thread_pool pool{idle, 60s};
  start_idle_workers(pool, idle);
  stm::atomically([&] { if (pool.free_threads() < idle) stm::retry(); });
  stm::stats before = stm::statistics();
  for (std::size_t i = 0; i < n; ++i) {
    pool.schedule([] {});
    pool.join();
  }
  stm::stats after = stm::statistics();
  double wakeups = double(after.wakeups - before.wakeups) / n;
  double futile = double(after.futile_wakeups - before.futile_wakeups) / n;
  BOOST_TEST_MESSAGE("wake-ups per task " << wakeups << ", futile " << futile);
  // One for the worker, one for this thread's join(); a naive pool would wake all 64.
  BOOST_TEST(wakeups <= 3.0);
  BOOST_TEST(futile <= 0.5);
  BOOST_TEST(pool.live_threads() == idle);
}

BOOST_AUTO_TEST_CASE(scheduling_to_a_busy_pool_runs_no_watcher) {
  // With every worker busy and the pool at its size, a schedule() has no
  // worker to hand the task to and none to start: the dispatcher and the
  // spin-up watcher must not even re-run (they read the free queue and the
  // live count first), so submits and finishing workers do not conflict
  // through them. 100 schedules here, while both workers are blocked.
  stm::thread_pool pool{2, 60s};
  gate g;
  std::atomic<int> ran{0};
  for (int i = 0; i < 2; ++i) pool.schedule([&] { g.wait(); ++ran; });
  stm::atomically([&] {
    if (pool.live_threads() < 2 || pool.free_threads() > 0 || !pool.tasks().empty()) stm::retry();
  });
  stm::stats before = stm::statistics();
  for (int i = 0; i < 100; ++i) pool.schedule([&] { ++ran; });
  stm::stats after = stm::statistics();
  BOOST_TEST(after.watcher_runs - before.watcher_runs == 0u);
  g.open.set(true);
  pool.join();
  BOOST_TEST(ran.load() == 102);
}

BOOST_AUTO_TEST_CASE(scheduling_to_an_idle_pool_hands_over_in_the_same_commit) {
  // With workers free and nothing queued, schedule() gives the task to a
  // free worker in its own commit: neither the dispatcher nor the spin-up
  // watcher re-runs, and a worker going free beside other free workers
  // re-runs neither. 100 schedules, each run before the next, on 4 workers.
  stm::thread_pool pool{4, 60s};
  start_idle_workers(pool, 4);
  stm::atomically([&] { if (pool.free_threads() < 4) stm::retry(); });
  std::atomic<int> ran{0};
  stm::stats before = stm::statistics();
  for (int i = 0; i < 100; ++i) {
    pool.schedule([&] { ++ran; });
    pool.join();
  }
  stm::stats after = stm::statistics();
  BOOST_TEST(after.watcher_runs - before.watcher_runs == 0u);
  BOOST_TEST(ran.load() == 100);
  BOOST_TEST(pool.tasks_finished() == 104u);
  BOOST_TEST(pool.live_threads() == 4u);
}

BOOST_AUTO_TEST_CASE(scheduling_a_vector_queues_all_in_order_or_none) {
  stm::tlist<stm::task> tasks;
  stm::thread_pool pool{tasks, 1, 60s};
  gate g;
  std::vector<int> order;  // written by the one worker only
  pool.schedule([&] { g.wait(); });
  std::vector<stm::task> ts;
  for (int i = 0; i < 100; ++i) ts.emplace_back([&order, i] { order.push_back(i); });
  // An empty task anywhere: nothing is queued.
  std::vector<stm::task> bad = ts;
  bad.insert(bad.begin() + 50, stm::task());
  BOOST_CHECK_THROW(pool.schedule(bad), std::invalid_argument);
  // Inside a transaction that aborts: nothing is queued either.
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      pool.schedule(ts);
                      throw boom{};
                    }),
                    boom);
  pool.schedule(ts);
  g.open.set(true);
  pool.join();
  std::vector<int> want(100);
  for (int i = 0; i < 100; ++i) want[static_cast<std::size_t>(i)] = i;
  BOOST_TEST(order == want);
  BOOST_TEST(pool.tasks_finished() == 101u);
}
