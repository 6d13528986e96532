// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE fiber_executor
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tqueue.hpp>
#include <boost/stm/wait.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {
using test_helpers::stress;
}  // namespace

BOOST_AUTO_TEST_CASE(submit_map_and_exceptions) {
  stm::fiber_executor fx{2};
  BOOST_TEST(fx.submit([](int a, int b) { return a + b; }, 2, 3).get() == 5);
  std::vector<int> squares;
  for (int r : fx.map([](int i) { return i * i; }, std::vector<int>{1, 2, 3, 4})) squares.push_back(r);
  BOOST_TEST((squares == std::vector<int>{1, 4, 9, 16}));
  auto f = fx.submit([]() -> int { throw std::runtime_error("expected"); });
  BOOST_CHECK_THROW((void)f.get(), std::runtime_error);
  auto moved = fx.submit([](std::unique_ptr<int> p) { return std::make_unique<int>(*p + 1); },
                         std::make_unique<int>(41));
  BOOST_TEST(*moved.get() == 42);
}

BOOST_AUTO_TEST_CASE(zero_threads_is_rejected) {
  BOOST_CHECK_THROW(stm::fiber_executor{0}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(ten_thousand_blocked_tasks_on_two_threads) {
  const std::size_t n = 10000 * stress();
  stm::fiber_executor fx{2};
  stm::tvar<bool> open{false};
  stm::tvar<std::size_t> done{0};
  std::vector<stm::future<void>> fs;
  fs.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    fs.push_back(fx.submit([&] {
      stm::atomically([&] { if (!open.get()) stm::retry(); });  // suspends only this fiber
      stm::atomically([&] { done.set(done.get() + 1); });
    }));
  // All of them are started and blocked at once, on two threads.
  stm::atomically([&] { if (fx.tasks_running() < n) stm::retry(); });
  BOOST_TEST(done.get() == 0u);
  open.set(true);  // a commit from a thread that is not a fiber wakes them all
  for (auto& f : fs) f.get();
  BOOST_TEST(done.get() == n);
  BOOST_TEST(fx.threads() == 2u);
}

BOOST_AUTO_TEST_CASE(a_fiber_waits_on_a_later_task_with_one_thread) {
  // With one OS thread, the first task blocks in future::get() on a task
  // submitted after it: only its fiber may be suspended, or nothing runs.
  stm::fiber_executor fx{1};
  stm::tvar<std::shared_ptr<stm::shared_future<int>>> later;
  auto first = fx.submit([&] {
    std::shared_ptr<stm::shared_future<int>> f = stm::atomically([&] {
      auto p = later.get();
      if (!p) stm::retry();
      return p;
    });
    return f->get() * 2;
  });
  auto second = fx.submit([] { return 21; }).share();
  later.set(std::make_shared<stm::shared_future<int>>(second));
  BOOST_TEST(first.get() == 42);
}

BOOST_AUTO_TEST_CASE(fibers_and_threads_hand_work_to_each_other) {
  const int n = 2000;
  stm::fiber_executor fx{2};
  stm::thread_pool_executor tx{2};
  stm::tqueue<int> to_thread, to_fiber;
  // Ping-pong: the fiber side sends i, the thread side answers i + 1.
  auto fiber_side = fx.submit([&] {
    long sum = 0;
    for (int i = 0; i < n; ++i) {
      to_thread.push(i);
      sum += to_fiber.pop();  // blocks only this fiber
    }
    return sum;
  });
  auto thread_side = tx.submit([&] {
    for (int i = 0; i < n; ++i) to_fiber.push(to_thread.pop() + 1);
  });
  thread_side.get();
  BOOST_TEST(fiber_side.get() == long(n) * (n + 1) / 2);
}

BOOST_AUTO_TEST_CASE(shutdown_wait_returns_after_the_threads_exited) {
  stm::fiber_executor::options o;
  o.threads = 2;
  o.thread_name_prefix = "fsw";
  stm::fiber_executor fx{o};
  BOOST_TEST(fx.submit([] { return 1; }).get() == 1);
  // A thread names itself when it starts, which on a loaded machine can
  // come after the first task ran on the other one. Two tasks that each
  // block their OS thread until both have begun (submits go to the
  // threads' queues in turn) prove that both threads have started.
  std::mutex m;
  std::condition_variable cv;
  int begun = 0;
  auto meet = [&] {
    std::unique_lock<std::mutex> lk(m);
    ++begun;
    cv.notify_all();
    cv.wait(lk, [&] { return begun == 2; });
  };
  auto a = fx.submit(meet);
  auto b = fx.submit(meet);
  a.get();
  b.get();
  BOOST_TEST(test_helpers::count_prefixed(test_helpers::thread_names(), "fsw_") == 2u);
  fx.shutdown(true);
  BOOST_TEST(test_helpers::count_prefixed(test_helpers::thread_names(), "fsw_") == 0u);
}

BOOST_AUTO_TEST_CASE(default_thread_names_differ_between_executors) {
  stm::fiber_executor a{1}, b{1};
  std::string na = a.submit([] { return test_helpers::this_thread_name(); }).get();
  std::string nb = b.submit([] { return test_helpers::this_thread_name(); }).get();
  BOOST_TEST(na != nb);
}

BOOST_AUTO_TEST_CASE(shutdown_with_blocked_fibers_runs_them_to_completion) {
  stm::tvar<bool> open{false};
  stm::tvar<int> finished{0};
  std::vector<stm::future<void>> blocked;
  std::vector<stm::future<void>> queued;
  {
    stm::fiber_executor::options o;
    o.threads = 1;
    stm::fiber_executor fx{o};
    for (int i = 0; i < 100; ++i)
      blocked.push_back(fx.submit([&] {
        stm::atomically([&] { if (!open.get()) stm::retry(); });
        stm::atomically([&] { finished.set(finished.get() + 1); });
      }));
    stm::atomically([&] { if (fx.tasks_running() < 100) stm::retry(); });
    fx.shutdown(/*wait=*/false);
    BOOST_CHECK_THROW((void)fx.submit([] {}), stm::shutdown_error);
    for (auto& f : blocked) BOOST_TEST(!f.done());
    open.set(true);
    // The destructor waits for the blocked fibers; none is destroyed early.
  }
  BOOST_TEST(finished.get() == 100);
  for (auto& f : blocked) BOOST_TEST(f.done());
}

BOOST_AUTO_TEST_CASE(shutdown_cancel_futures_cancels_only_what_waits) {
  // The initializer holds the only thread back, so everything submitted
  // meanwhile is still queued when shutdown(cancel_futures) comes.
  stm::tvar<bool> go{false};
  stm::tvar<int> ran{0};
  stm::fiber_executor::options o;
  o.threads = 1;
  o.initializer = [&] { stm::atomically([&] { if (!go.get()) stm::retry(); }); };
  stm::fiber_executor fx{o};
  std::vector<stm::future<void>> fs;
  for (int i = 0; i < 10; ++i)
    fs.push_back(fx.submit([&] { stm::atomically([&] { ran.set(ran.get() + 1); }); }));
  fx.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  for (auto& f : fs) {
    BOOST_TEST(f.cancelled());
    BOOST_CHECK_THROW((void)f.get(), stm::cancelled_error);
  }
  go.set(true);
  fx.shutdown(true);  // repeatable; nothing left to wait for
  BOOST_TEST(ran.get() == 0);
}

BOOST_AUTO_TEST_CASE(a_failing_initializer_breaks_the_executor) {
  stm::fiber_executor::options o;
  o.threads = 1;
  o.initializer = [] { throw std::runtime_error("expected: initializer fails"); };
  stm::fiber_executor fx{o};
  auto f = fx.submit([] { return 1; });
  // broken_executor names the executor and the initializer's message, and
  // nests its exception, as thread_pool_executor's does.
  try {
    (void)f.get();
    BOOST_FAIL("get() returned");
  } catch (const stm::broken_executor& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("boost::stm::fiber_executor") != std::string::npos);
    BOOST_TEST(what.find("expected: initializer fails") != std::string::npos);
    BOOST_CHECK_THROW(std::rethrow_if_nested(e), std::runtime_error);
  }
  BOOST_CHECK_THROW((void)fx.submit([] { return 2; }), stm::broken_executor);
}

// Its threads start as every thread of the library does: a failure to start
// one (out of threads) comes out of the constructor, after the threads
// already started have been joined.
BOOST_AUTO_TEST_CASE(a_thread_that_cannot_start_fails_the_constructor) {
  stm::detail::inject_thread_start_failure(true);
  try {
    stm::fiber_executor fx{2};
    stm::detail::inject_thread_start_failure(false);
    BOOST_FAIL("the constructor returned");
  } catch (const std::system_error& e) {
    stm::detail::inject_thread_start_failure(false);
    BOOST_TEST(std::string(e.what()).find("thread start failure") != std::string::npos);
  }
  stm::fiber_executor fx{2};
  BOOST_TEST(fx.submit([] { return 3; }).get() == 3);
}

BOOST_AUTO_TEST_CASE(as_completed_over_fiber_futures) {
  stm::fiber_executor fx{2};
  std::vector<stm::future<int>> fs;
  for (int i = 0; i < 100; ++i) fs.push_back(fx.submit([i] { return i; }));
  std::set<int> seen;
  for (auto& f : stm::as_completed(fs, 60s)) seen.insert(f.get());
  BOOST_TEST(seen.size() == 100u);
}

// Destroyed by its own task or done callback, the executor cannot wait for
// its own thread: it shuts down without waiting, the work already submitted
// still runs, and its threads are joined in the background.
BOOST_AUTO_TEST_CASE(destroyed_by_its_own_task_the_submitted_work_still_runs) {
  auto fx = std::make_unique<stm::fiber_executor>(2);
  stm::tvar<bool> open{false};
  auto blocked = fx->submit([&] {
    stm::atomically([&] { if (!open.get()) stm::retry(); });
    return 1;
  });
  stm::tvar<bool> go{false};  // this thread is done with fx
  auto killer = fx->submit([&] {
    stm::atomically([&] { if (!go.get()) stm::retry(); });
    fx.reset();
  });
  std::vector<stm::future<int>> after;
  for (int i = 0; i < 5; ++i) after.push_back(fx->submit([i] { return i; }));
  go.set(true);
  killer.get();
  BOOST_TEST(!fx);
  for (int i = 0; i < 5; ++i) BOOST_TEST(after[i].get() == i);
  open.set(true);
  BOOST_TEST(blocked.get() == 1);
}

BOOST_AUTO_TEST_CASE(destroyed_by_its_own_done_callback) {
  auto fx = std::make_unique<stm::fiber_executor>(1);
  stm::tvar<bool> open{false}, destroyed{false};
  auto f = fx->submit([&] {
    stm::atomically([&] { if (!open.get()) stm::retry(); });
    return 1;
  });
  f.add_done_callback([&](stm::future<int>&) {
    fx.reset();  // on the executor's thread, right after f's task
    destroyed.set(true);
  });
  open.set(true);
  stm::atomically([&] { if (!destroyed.get()) stm::retry(); });
  BOOST_TEST(!fx);
  BOOST_TEST(f.get() == 1);
}
