// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Waiting on your own executor never deadlocks: a get(), wait(), stm::wait()
// or as_completed() on a task's thread for a task of the same executor that
// no worker has started runs that task there, in place, on a worker that is
// already counted; the worker that takes it from the queue later leaves it.
#define BOOST_TEST_MODULE run_in_place
#include <boost/test/unit_test.hpp>

// Every test runs under a watchdog: without the fix they deadlock, and the
// watchdog turns that into a failure.

#include "test_support.hpp"

#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/wait.hpp>
#include <boost/stm/watch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <random>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

// Threads running at least one task now, and the most seen at once.
std::atomic<int> busy_threads{0};
std::atomic<int> most_busy{0};
thread_local int task_depth = 0;

struct in_task {
  in_task() {
    if (task_depth++ == 0) {
      int n = ++busy_threads;
      int m = most_busy.load();
      while (n > m && !most_busy.compare_exchange_weak(m, n)) {
      }
    }
  }
  ~in_task() {
    if (--task_depth == 0) --busy_threads;
  }
};

int fib(stm::thread_pool_executor& ex, int n) {
  in_task counted;
  if (n < 2) return n;
  auto a = ex.submit(fib, std::ref(ex), n - 1);
  auto b = ex.submit(fib, std::ref(ex), n - 2);
  return a.get() + b.get();
}

struct gate {
  stm::tvar<bool> open{false};
  void wait() {
    stm::atomically([&] {
      if (!open.get()) stm::retry();
    });
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(recursive_submit_and_get_on_two_workers) {
  test_helpers::watchdog dog("recursive_submit_and_get_on_two_workers", nullptr);
  most_busy = 0;
  stm::thread_pool_executor two{2};
  auto f = two.submit(fib, std::ref(two), 20);
  BOOST_TEST(f.get() == 6765);
  BOOST_TEST(most_busy.load() <= 2);  // never more threads running tasks than max_workers
  BOOST_TEST(two.pool().live_threads() <= 2u);
}

BOOST_AUTO_TEST_CASE(recursion_on_a_single_worker) {
  test_helpers::watchdog dog("recursion_on_a_single_worker", nullptr);
  stm::thread_pool_executor one{1};
  auto f = one.submit(fib, std::ref(one), 15);
  BOOST_TEST(f.get() == 610);
  // Every task submitted ends in exactly one terminal state, counted once
  // by the pool (the queued entries of tasks run in place included).
  one.shutdown(true);
  BOOST_TEST(one.pool().tasks_finished() == 1973u);  // calls of fib(15)
  BOOST_TEST(one.pool().tasks_remaining() == 0u);
}

BOOST_AUTO_TEST_CASE(the_waiter_runs_the_queued_task_once_on_its_own_thread) {
  test_helpers::watchdog dog("the_waiter_runs_the_queued_task_once_on_its_own_thread", nullptr);
  stm::thread_pool_executor one{1};
  gate g;
  stm::tvar<stm::shared_future<int>> published;
  std::atomic<int> inner_runs{0};
  std::thread::id inner_thread;
  auto outer = one.submit([&] {
    stm::shared_future<int> inner = one.submit([&] {
      ++inner_runs;
      inner_thread = std::this_thread::get_id();
      g.wait();
      return 5;
    });
    published.set(inner);
    int r = inner.get();  // queued behind this very task: runs here
    return std::make_pair(r, std::this_thread::get_id());
  });
  stm::shared_future<int> inner = stm::atomically([&] {
    stm::shared_future<int> f = published.get();
    if (!f.valid() || !f.running()) stm::retry();
    return f;
  });
  BOOST_TEST(!inner.cancel());  // it runs: cancel() loses
  g.open.set(true);
  auto [r, outer_thread] = outer.get();
  BOOST_TEST(r == 5);
  BOOST_TEST((inner_thread == outer_thread));
  one.shutdown(true);
  BOOST_TEST(inner_runs.load() == 1);  // the worker that took it later did not run it again
  BOOST_TEST(one.pool().tasks_finished() == 2u);
}

BOOST_AUTO_TEST_CASE(a_cancelled_task_is_not_run_in_place) {
  test_helpers::watchdog dog("a_cancelled_task_is_not_run_in_place", nullptr);
  stm::thread_pool_executor one{1};
  gate cancelled;
  stm::tvar<stm::shared_future<int>> published;
  std::atomic<int> inner_runs{0};
  auto outer = one.submit([&] {
    stm::shared_future<int> inner = one.submit([&] { return ++inner_runs; });
    published.set(inner);
    cancelled.wait();
    try {
      return inner.get();
    } catch (const stm::cancelled_error&) {
      return -1;
    }
  });
  stm::shared_future<int> inner = stm::atomically([&] {
    stm::shared_future<int> f = published.get();
    if (!f.valid()) stm::retry();
    return f;
  });
  BOOST_TEST(inner.cancel());  // queued behind outer: cancel() wins
  cancelled.open.set(true);
  BOOST_TEST(outer.get() == -1);
  one.shutdown(true);
  BOOST_TEST(inner_runs.load() == 0);
}

BOOST_AUTO_TEST_CASE(cancel_and_run_in_place_never_both_win) {
  test_helpers::watchdog dog("cancel_and_run_in_place_never_both_win", nullptr);
  // A queued task is cancelled by another thread while a task that waits
  // for it tries to run it: exactly one of them wins, every time.
  std::size_t rounds = test_helpers::stress_size(300);
  stm::thread_pool_executor one{1};
  std::size_t ran = 0, cancelled = 0;
  for (std::size_t i = 0; i < rounds; ++i) {
    std::atomic<int> runs{0};
    stm::tvar<stm::shared_future<int>> published;
    auto outer = one.submit([&] {
      stm::shared_future<int> inner = one.submit([&] { return ++runs; });
      published.set(inner);
      try {
        return inner.get();
      } catch (const stm::cancelled_error&) {
        return 0;
      }
    });
    stm::shared_future<int> inner = stm::atomically([&] {
      stm::shared_future<int> f = published.get();
      if (!f.valid()) stm::retry();
      return f;
    });
    bool c = inner.cancel();
    int got = outer.get();
    BOOST_TEST(got == (c ? 0 : 1));
    BOOST_TEST(runs.load() == (c ? 0 : 1));
    (c ? cancelled : ran) += 1;
  }
  BOOST_TEST(ran + cancelled == rounds);
  one.shutdown(true);
  BOOST_TEST(one.pool().tasks_finished() == 2 * rounds);
}

BOOST_AUTO_TEST_CASE(wait_and_as_completed_from_a_task) {
  test_helpers::watchdog dog("wait_and_as_completed_from_a_task", nullptr);
  stm::thread_pool_executor one{1};
  auto children = [&](int n) {
    std::vector<stm::future<int>> fs;
    for (int i = 0; i < n; ++i) fs.push_back(one.submit([i] { return i; }));
    return fs;
  };
  auto all = one.submit([&] {
    auto fs = children(4);
    auto r = stm::wait(fs);
    int sum = 0;
    for (auto& f : r.done) sum += f.get();
    return static_cast<int>(r.not_done.size()) * 100 + sum;
  });
  BOOST_TEST(all.get() == 6);

  auto first = one.submit([&] {
    auto fs = children(3);
    auto r = stm::wait(fs, stm::return_when::first_completed);
    return r.done.size() >= 1;
  });
  BOOST_TEST(first.get());

  auto failing = one.submit([&] {
    std::vector<stm::future<int>> fs;
    fs.push_back(one.submit([] { return 1; }));
    fs.push_back(one.submit([]() -> int { throw std::runtime_error("expected"); }));
    fs.push_back(one.submit([] { return 3; }));
    auto r = stm::wait(fs, stm::return_when::first_exception);
    return r.done.size();
  });
  BOOST_TEST(failing.get() == 2u);  // stopped at the failure: the third still queued

  auto each = one.submit([&] {
    auto fs = children(5);
    int sum = 0;
    for (auto& f : stm::as_completed(fs)) sum += f.get();
    return sum;
  });
  BOOST_TEST(each.get() == 10);
  one.shutdown(true);
}

BOOST_AUTO_TEST_CASE(a_task_of_another_executor_is_not_run_here) {
  test_helpers::watchdog dog("a_task_of_another_executor_is_not_run_here", nullptr);
  stm::thread_pool_executor a{1}, b{1};
  gate g;
  std::thread::id b_thread, ran_on;
  auto blocker = b.submit([&] {
    b_thread = std::this_thread::get_id();
    g.wait();
  });
  auto waiter = a.submit([&] {
    auto y = b.submit([&] { ran_on = std::this_thread::get_id(); });
    g.open.set(true);
    y.get();  // b's: waits for b's worker
    return std::this_thread::get_id();
  });
  std::thread::id a_thread = waiter.get();
  blocker.get();
  BOOST_TEST((ran_on == b_thread));
  BOOST_TEST((ran_on != a_thread));
}

BOOST_AUTO_TEST_CASE(random_recursion_conserves_tasks) {
  test_helpers::watchdog dog("random_recursion_conserves_tasks", nullptr);
  // Tasks that submit children and wait for some, cancel others: every
  // child ends in exactly one state (ran or cancelled), counted once.
  std::size_t roots = test_helpers::stress_size(40);
  stm::thread_pool_executor ex{3};
  std::atomic<std::size_t> submitted{0}, ran{0}, cancelled{0};
  std::function<int(int, unsigned)> node = [&](int depth, unsigned seed) -> int {
    ++ran;
    if (depth == 0) return 1;
    std::minstd_rand rng(seed);
    std::vector<stm::future<int>> kids;
    for (int i = 0; i < 3; ++i) {
      kids.push_back(ex.submit(node, depth - 1, static_cast<unsigned>(rng())));
      ++submitted;
    }
    int sum = 1;
    for (auto& k : kids) {
      if (rng() % 4 == 0 && k.cancel()) {
        ++cancelled;
        continue;
      }
      sum += k.get();
    }
    return sum;
  };
  std::vector<stm::future<int>> fs;
  for (std::size_t i = 0; i < roots; ++i) {
    fs.push_back(ex.submit(node, 4, static_cast<unsigned>(i)));
    ++submitted;
  }
  for (auto& f : fs) {
    BOOST_TEST(f.get() >= 1);
  }
  ex.shutdown(true);
  BOOST_TEST(ran.load() + cancelled.load() == submitted.load());
  BOOST_TEST(ex.pool().tasks_finished() == submitted.load());
}
