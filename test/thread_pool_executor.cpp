// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE thread_pool_executor
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/wait.hpp>
#include <boost/stm/watch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <variant>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

std::size_t stress_factor() { return static_cast<std::size_t>(test_helpers::stress()); }

// Tasks block on a gate, transactionally, until the test opens it.
struct gate {
  stm::tvar<bool> open{false};
  void wait() const {
    stm::atomically([&] {
      if (!open.get()) stm::retry();
    });
  }
};

// Counts tasks that have started, so the test can wait for them.
struct counter {
  stm::tvar<int> n{0};
  void bump() {
    stm::atomically([&] { n.set(n.get() + 1); });
  }
  void wait_for(int k) const {
    stm::atomically([&] {
      if (n.get() < k) stm::retry();
    });
  }
};

using test_helpers::count_prefixed;
using test_helpers::thread_names;

int add(int a, int b) { return a + b; }

struct accumulator {
  int base;
  int plus(int x) const { return base + x; }
};

}  // namespace

BOOST_AUTO_TEST_CASE(submit_and_get) {
  stm::thread_pool_executor ex{4};
  stm::future<int> f = ex.submit([](int a, int b) { return a + b; }, 2, 3);
  BOOST_TEST(f.get() == 5);
  BOOST_TEST(ex.submit(add, 20, 22).get() == 42);
  BOOST_TEST(ex.submit([] { return std::pow(2.0, 8); }).get() == 256.0);
  auto id = ex.submit([] { return std::this_thread::get_id(); }).get();
  BOOST_TEST((id != std::this_thread::get_id()));
  ex.submit([] {}).get();
}

BOOST_AUTO_TEST_CASE(arguments_are_forwarded_including_move_only_ones) {
  stm::thread_pool_executor ex{2};
  auto p = std::make_unique<int>(41);
  stm::future<std::unique_ptr<int>> f = ex.submit(
      [](std::unique_ptr<int> q, int by) {
        *q += by;
        return q;
      },
      std::move(p), 1);
  BOOST_TEST(!p);
  BOOST_TEST(*f.get() == 42);
  // Copies are made at submit (decay-copy, like std::async) ...
  std::string s = "abc";
  auto g = ex.submit([](std::string mine) { return mine += "d"; }, s);
  BOOST_TEST(g.get() == "abcd");
  BOOST_TEST(s == "abc");
  // ... unless a reference is asked for.
  int counter = 0;
  ex.submit([](int& c) { c = 7; }, std::ref(counter)).get();
  BOOST_TEST(counter == 7);
  accumulator acc{100};
  BOOST_TEST(ex.submit(&accumulator::plus, &acc, 5).get() == 105);
  // A move-only callable.
  BOOST_TEST(ex.submit([q = std::make_unique<int>(3)] { return *q; }).get() == 3);
  // A reference result.
  int target = 0;
  int& r = ex.submit([&target]() -> int& { return target; }).get();
  BOOST_TEST(&r == &target);
}

BOOST_AUTO_TEST_CASE(a_task_exception_reaches_its_future) {
  stm::thread_pool_executor ex{2};
  auto f = ex.submit([]() -> int { throw std::domain_error("expected task failure"); });
  BOOST_CHECK_THROW((void)f.get(), std::domain_error);
  BOOST_TEST(ex.submit([] { return 1; }).get() == 1);  // the executor goes on
}

BOOST_AUTO_TEST_CASE(converts_to_std_future) {
  stm::thread_pool_executor ex{2};
  std::future<int> sf = ex.submit([] { return 1; });
  BOOST_TEST(sf.get() == 1);
}

BOOST_AUTO_TEST_CASE(map_yields_results_in_order) {
  stm::thread_pool_executor ex{4};
  std::vector<int> in(100);
  for (int i = 0; i < 100; ++i) in[i] = i;
  std::vector<int> out;
  for (int r : ex.map([](int i) { return i * i; }, in)) out.push_back(r);
  BOOST_REQUIRE(out.size() == 100u);
  for (int i = 0; i < 100; ++i) BOOST_TEST(out[i] == i * i);
  // Temporaries work; so do other containers.
  std::vector<int> sq;
  for (int r : ex.map([](int i) { return i * i; }, std::vector<int>{1, 2, 3})) sq.push_back(r);
  BOOST_TEST((sq == std::vector<int>{1, 4, 9}));
  std::list<std::string> words{"a", "bb", "ccc"};
  std::vector<std::size_t> lens;
  for (std::size_t n : ex.map([](const std::string& w) { return w.size(); }, words))
    lens.push_back(n);
  BOOST_TEST((lens == std::vector<std::size_t>{1, 2, 3}));
}

BOOST_AUTO_TEST_CASE(map_takes_a_mutable_callable_copied_per_call) {
  stm::thread_pool_executor ex{4};
  std::vector<int> in(50);
  for (int i = 0; i < 50; ++i) in[i] = i;
  // Callable only as non-const: each call gets its own copy, so `calls`
  // starts at 0 in every one of them, whatever runs at once.
  int calls = 0;
  std::vector<int> out;
  for (int r : ex.map([calls](int i) mutable { return i * 10 + calls++; }, in)) out.push_back(r);
  BOOST_TEST(out.size() == 50u);
  for (int i = 0; i < 50; ++i) BOOST_TEST(out[static_cast<std::size_t>(i)] == i * 10);
  BOOST_TEST(calls == 0);  // the caller's callable is not touched
}

BOOST_AUTO_TEST_CASE(map_zips_and_the_shortest_range_wins) {
  stm::thread_pool_executor ex{2};
  std::vector<int> a{1, 2, 3, 4}, b{10, 20, 30};
  std::vector<int> out;
  auto results = ex.map([](int x, int y) { return x + y; }, a, b);
  BOOST_TEST(results.size() == 3u);
  for (int r : results) out.push_back(r);
  BOOST_TEST((out == std::vector<int>{11, 22, 33}));
  std::vector<int> none;
  auto empty = ex.map([](int x, int y) { return x + y; }, a, none);
  BOOST_TEST((empty.begin() == empty.end()));
}

BOOST_AUTO_TEST_CASE(map_of_void_and_reference_results) {
  stm::thread_pool_executor ex{2};
  std::vector<std::atomic<int>> hits(5);
  std::vector<int> idx{0, 1, 2, 3, 4};
  std::size_t n = 0;
  for (std::monostate m : ex.map([&hits](int i) { ++hits[static_cast<std::size_t>(i)]; }, idx)) {
    (void)m;
    ++n;
  }
  BOOST_TEST(n == 5u);
  for (auto& h : hits) BOOST_TEST(h.load() == 1);
  std::vector<int> cells{10, 20, 30};
  std::vector<int*> where;
  for (int& r : ex.map([&cells](int i) -> int& { return cells[static_cast<std::size_t>(i)]; },
                       std::vector<int>{2, 0}))
    where.push_back(&r);
  BOOST_TEST((where == std::vector<int*>{&cells[2], &cells[0]}));
}

BOOST_AUTO_TEST_CASE(map_rethrows_a_task_exception_at_its_position) {
  stm::thread_pool_executor ex{2};
  std::vector<int> in{1, 2, 0, 4};
  std::vector<int> got;
  auto results = ex.map(
      [](int x) {
        if (x == 0) throw std::invalid_argument("expected: division by zero");
        return 12 / x;
      },
      in);
  BOOST_CHECK_THROW(
      {
        for (int r : results) got.push_back(r);
      },
      std::invalid_argument);
  BOOST_TEST((got == std::vector<int>{12, 6}));
}

BOOST_AUTO_TEST_CASE(map_with_a_timeout) {
  stm::thread_pool_executor ex{1};
  gate g;
  std::vector<std::atomic<bool>> ran(10);
  std::vector<int> in(10);
  for (int i = 0; i < 10; ++i) in[i] = i;
  std::vector<int> got;
  {
    auto results = ex.map(
        30ms,
        [&](int i) {
          ran[i] = true;
          if (i == 1) g.wait();
          return i;
        },
        in);
    try {
      for (int r : results) got.push_back(r);
      BOOST_FAIL("no timeout");
    } catch (const stm::timeout_error& e) {
      BOOST_TEST(std::string(e.what()).find("result 1 (of 10)") != std::string::npos);
    }
  }  // destroyed: what was not reached is cancelled
  g.open.set(true);
  ex.shutdown(true);
  BOOST_TEST((got == std::vector<int>{0}));
  BOOST_TEST(ran[1].load());
  for (int i = 2; i < 10; ++i) BOOST_TEST(!ran[i].load());
}

BOOST_AUTO_TEST_CASE(map_cancels_leftovers_when_destroyed_early) {
  stm::thread_pool_executor ex{1};
  gate g;
  counter started;
  std::atomic<int> ran{0};
  {
    std::vector<int> in(50, 0);
    auto results = ex.map(
        [&](int) {
          ++ran;
          started.bump();
          g.wait();
          return 1;
        },
        in);
    started.wait_for(1);
  }
  g.open.set(true);
  ex.shutdown(true);
  BOOST_TEST(ran.load() == 1);  // only the one that was already running
}

BOOST_AUTO_TEST_CASE(map_submits_in_one_transaction) {
  stm::thread_pool_executor ex{2};
  std::vector<int> in(100, 1);
  std::size_t before = ex.pool().tasks_scheduled();
  // Inside a transaction that aborts: nothing is submitted at all.
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      auto r = ex.map([](int x) { return x; }, in);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(ex.pool().tasks_scheduled() == before);
  int sum = 0;
  for (int r : ex.map([](int x) { return x; }, in)) sum += r;
  BOOST_TEST(sum == 100);
}

BOOST_AUTO_TEST_CASE(max_workers_validation_and_default) {
  BOOST_CHECK_THROW(stm::thread_pool_executor{0}, std::invalid_argument);
  stm::thread_pool_executor::options o;
  o.max_workers = 0;
  BOOST_CHECK_THROW(stm::thread_pool_executor{o}, std::invalid_argument);
  std::size_t expected = std::min<std::size_t>(32, std::thread::hardware_concurrency() + 4);
  BOOST_TEST(stm::thread_pool_executor::default_max_workers() == expected);
  stm::thread_pool_executor ex;
  BOOST_TEST(ex.max_workers() == expected);
}

BOOST_AUTO_TEST_CASE(four_workers_and_sixty_blocked_tasks_make_four_threads) {
  stm::thread_pool_executor::options o;
  o.max_workers = 4;
  o.thread_name_prefix = "four";
  stm::thread_pool_executor ex{o};
  gate g;
  counter started;
  std::vector<stm::future<void>> fs;
  for (int i = 0; i < 60; ++i)
    fs.push_back(ex.submit([&] {
      started.bump();
      g.wait();
    }));
  started.wait_for(4);
  BOOST_TEST(ex.pool().live_threads() == 4u);
  BOOST_TEST(count_prefixed(thread_names(), "four_") == 4u);
  int running = 0;
  for (auto& f : fs) running += f.running();
  BOOST_TEST(running == 4);
  g.open.set(true);
  stm::wait(fs);
  BOOST_TEST(started.n.get() == 60);
  BOOST_TEST(ex.pool().live_threads() <= 4u);
}

BOOST_AUTO_TEST_CASE(sequential_submit_and_get_reuse_one_idle_thread) {
  stm::thread_pool_executor ex{8};
  for (int i = 0; i < 20; ++i) BOOST_TEST(ex.submit([i] { return i; }).get() == i);
  BOOST_TEST(ex.pool().live_threads() == 1u);
}

// The last worker to go free gets the next task: a load that keeps two
// busy uses the same two workers over and over, and the others, idle,
// retire after keep_alive. (Handed out in the order they went free, the
// tasks went round all eight, and none ever retired.)
BOOST_AUTO_TEST_CASE(a_light_load_uses_the_last_free_workers_and_the_rest_retire) {
  stm::thread_pool_executor::options o;
  o.max_workers = 8;
  o.keep_alive = std::chrono::milliseconds(300);
  stm::thread_pool_executor ex{o};
  {
    gate g;
    counter started;
    std::vector<stm::future<void>> fs;
    for (int i = 0; i < 8; ++i)
      fs.push_back(ex.submit([&] {
        started.bump();
        g.wait();
      }));
    started.wait_for(8);
    g.open.set(true);
    stm::wait(fs);
  }
  BOOST_TEST(ex.pool().live_threads() == 8u);
  // Pairs of tasks, each pair waited for: a task's end and its worker's
  // going free are one commit, so both are free again before the next pair.
  std::set<std::thread::id> used;
  auto id = [] { return std::this_thread::get_id(); };
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int pairs = 0;
  while (ex.pool().live_threads() > 2 && std::chrono::steady_clock::now() < until) {
    stm::future<std::thread::id> a = ex.submit(id), b = ex.submit(id);
    used.insert(a.get());
    used.insert(b.get());
    ++pairs;
  }
  BOOST_TEST(used.size() == 2u, "pairs of tasks ran on " << used.size() << " workers");
  BOOST_TEST(ex.pool().live_threads() <= 2u, "still " << ex.pool().live_threads()
                                                       << " workers after " << pairs << " pairs");
}

// A transaction waiting for a task to end reads only what the end writes:
// the worker taking the task (running) does not wake it for nothing.
BOOST_AUTO_TEST_CASE(waiting_for_the_end_is_not_woken_by_the_start) {
  stm::thread_pool_executor ex{1};
  gate g1, g2;
  counter started;
  auto first = ex.submit([&] {
    started.bump();
    g1.wait();
  });
  started.wait_for(1);  // the one worker is busy: `second` stays queued
  auto second = ex.submit([&] {
    g2.wait();
    return 7;
  });
  std::atomic<int> attempts{0};
  std::atomic<bool> looked{false};
  std::thread waiter([&] {
    stm::atomically([&] {
      ++attempts;
      if (!second.done()) {
        looked = true;
        stm::retry();
      }
    });
  });
  // The waiter has seen `second` pending before the worker can take it.
  while (!looked.load()) std::this_thread::yield();
  g1.open.set(true);
  while (!second.running()) std::this_thread::yield();
  // A waiter woken by the start would look again now: give it the chance
  // (on a correct build nothing happens, however long this takes).
  for (int i = 0; i < 2000 && attempts.load() < 2; ++i) std::this_thread::yield();
  BOOST_TEST(attempts.load() == 1);
  g2.open.set(true);
  waiter.join();
  BOOST_TEST(attempts.load() == 2);  // the first look, and the end
  BOOST_TEST(second.get() == 7);
  first.get();
}

// The names the workers of ex have, seen from n tasks that run at once.
std::set<std::string> worker_names(stm::thread_pool_executor& ex, int n) {
  gate g;
  counter started;
  std::vector<stm::future<std::string>> fs;
  for (int i = 0; i < n; ++i)
    fs.push_back(ex.submit([&] {
      started.bump();
      g.wait();
      return test_helpers::this_thread_name();
    }));
  started.wait_for(n);
  g.open.set(true);
  std::set<std::string> names;
  for (auto& f : fs) names.insert(f.get());
  return names;
}

// The options shared by every owner of threads are one object: set through
// worker_options, they reach the executor's pool as they are; each owner
// keeps its own default keep-alive.
BOOST_AUTO_TEST_CASE(options_share_worker_options_with_the_pool) {
  stm::thread_pool::options p;
  stm::thread_pool_executor::options x;
  BOOST_TEST((p.keep_alive == std::chrono::seconds(1)));
  BOOST_TEST((x.keep_alive == std::chrono::seconds(10)));
  BOOST_TEST(p.stack_size == 0u);
  BOOST_TEST(x.stack_size == 0u);
  BOOST_TEST(x.thread_name_prefix.empty());
  BOOST_TEST(!x.initializer);
  stm::worker_options& shared = x;
  shared.thread_name_prefix = "wop";
  shared.stack_size = 512 * 1024;
  shared.keep_alive = std::chrono::seconds(30);
  std::atomic<int> initialized{0};
  shared.initializer = [&] { ++initialized; };
  x.max_workers = 1;
  stm::thread_pool_executor ex{x};
  BOOST_TEST(ex.submit([] { return test_helpers::this_thread_name(); }).get() == "wop_0");
  BOOST_TEST(initialized.load() == 1);
}

BOOST_AUTO_TEST_CASE(thread_names_follow_the_prefix) {
  stm::thread_pool_executor::options o;
  o.max_workers = 3;
  o.thread_name_prefix = "tnm";
  stm::thread_pool_executor ex{o};
  BOOST_TEST((worker_names(ex, 3) == std::set<std::string>{"tnm_0", "tnm_1", "tnm_2"}));
}

BOOST_AUTO_TEST_CASE(shutdown_wait_returns_after_the_worker_threads_exited) {
  stm::thread_pool_executor::options o;
  o.max_workers = 3;
  o.thread_name_prefix = "sdw";
  o.keep_alive = std::chrono::hours(1);  // idle workers would stay that long
  stm::thread_pool_executor ex{o};
  BOOST_TEST(worker_names(ex, 3).size() == 3u);
  BOOST_TEST(count_prefixed(thread_names(), "sdw_") == 3u);  // idle now
  ex.shutdown(true);
  BOOST_TEST(count_prefixed(thread_names(), "sdw_") == 0u);
  BOOST_TEST(ex.pool().live_threads() == 0u);
  ex.shutdown(true);  // again: nothing left to wait for
}

BOOST_AUTO_TEST_CASE(default_thread_names_differ_between_executors) {
  stm::thread_pool_executor a{2}, b{2};
  std::set<std::string> na = worker_names(a, 2), nb = worker_names(b, 2);
  BOOST_TEST(na.size() == 2u);
  BOOST_TEST(nb.size() == 2u);
  for (const std::string& n : na) {
    BOOST_TEST_INFO("name " << n);
    BOOST_TEST(nb.count(n) == 0u);
  }
}

BOOST_AUTO_TEST_CASE(worker_names_reuse_indices_after_keep_alive_retirements) {
  stm::thread_pool_executor::options o;
  o.max_workers = 2;
  o.keep_alive = std::chrono::milliseconds(1);
  stm::thread_pool_executor ex{o};
  std::set<std::string> seen;
  for (int round = 0; round < 6; ++round) {
    std::set<std::string> now = worker_names(ex, 2);
    seen.insert(now.begin(), now.end());
    // Every worker retires before the next round starts new ones.
    stm::atomically([&] {
      if (ex.pool().live_threads() != 0) stm::retry();
    });
  }
  BOOST_TEST(seen.size() == 2u);
}

BOOST_AUTO_TEST_CASE(submit_after_shutdown_throws) {
  stm::thread_pool_executor ex{2};
  ex.shutdown();
  BOOST_TEST(ex.is_shutdown());
  BOOST_CHECK_THROW((void)ex.submit([] { return 1; }), stm::shutdown_error);
  BOOST_CHECK_THROW((void)ex.map([](int x) { return x; }, std::vector<int>{1}), stm::shutdown_error);
}

BOOST_AUTO_TEST_CASE(shutdown_waits_for_submitted_work) {
  stm::thread_pool_executor ex{3};
  gate g;
  std::vector<stm::future<int>> fs;
  for (int i = 0; i < 10; ++i)
    fs.push_back(ex.submit([&g, i] {
      g.wait();
      return i;
    }));
  // The gate opens only once shutdown has begun, so shutdown must wait.
  std::thread opener([&] {
    stm::atomically([&] {
      if (!ex.is_shutdown()) stm::retry();
    });
    g.open.set(true);
  });
  ex.shutdown(true);
  for (auto& f : fs) BOOST_TEST(f.done());
  opener.join();
  for (int i = 0; i < 10; ++i) BOOST_TEST(fs[i].get() == i);
}

BOOST_AUTO_TEST_CASE(shutdown_with_cancel_futures_cancels_queued_work_only) {
  stm::thread_pool_executor ex{1};
  gate g;
  counter started;
  std::atomic<int> ran{0};
  std::vector<stm::future<int>> fs;
  for (int i = 0; i < 10; ++i)
    fs.push_back(ex.submit([&, i] {
      ++ran;
      started.bump();
      g.wait();
      return i;
    }));
  started.wait_for(1);
  ex.shutdown(false, true);
  BOOST_TEST(fs[0].running());
  for (int i = 1; i < 10; ++i) BOOST_TEST(fs[i].cancelled());
  g.open.set(true);
  BOOST_TEST(fs[0].get() == 0);
  ex.shutdown(true);
  BOOST_TEST(ran.load() == 1);
  for (int i = 1; i < 10; ++i) BOOST_CHECK_THROW((void)fs[i].get(), stm::cancelled_error);
}

BOOST_AUTO_TEST_CASE(shutdown_can_be_repeated) {
  stm::thread_pool_executor ex{2};
  auto f = ex.submit([] { return 1; });
  ex.shutdown(false);
  ex.shutdown(true);
  ex.shutdown(true, true);
  ex.shutdown(false, false);
  BOOST_TEST(f.get() == 1);
}

BOOST_AUTO_TEST_CASE(the_destructor_shuts_down_and_waits) {
  std::vector<stm::future<int>> fs;
  gate g;
  std::thread opener;
  {
    stm::thread_pool_executor ex{2};
    for (int i = 0; i < 6; ++i)
      fs.push_back(ex.submit([&g, i] {
        g.wait();
        return i;
      }));
    opener = std::thread([&, e = &ex] {
      stm::atomically([&] {
        if (!e->is_shutdown()) stm::retry();
      });
      g.open.set(true);
    });
  }
  opener.join();
  for (int i = 0; i < 6; ++i) {
    BOOST_TEST(fs[i].done());
    BOOST_TEST(fs[i].get() == i);
  }
}

BOOST_AUTO_TEST_CASE(shutdown_waiting_from_its_own_task_is_refused) {
  stm::thread_pool_executor ex{2};
  auto f = ex.submit([&] { ex.shutdown(true); });
  BOOST_CHECK_THROW((void)f.get(), stm::invalid_state_error);
  BOOST_TEST(ex.is_shutdown());  // the non-waiting part took effect
  auto g = stm::thread_pool_executor{1}.submit([] { return 2; });  // temporary: waits
  BOOST_TEST(g.done());
}

BOOST_AUTO_TEST_CASE(the_initializer_runs_first_in_each_worker) {
  static thread_local bool initialized = false;
  std::atomic<int> inits{0};
  stm::thread_pool_executor::options o;
  o.max_workers = 3;
  o.initializer = [&] {
    initialized = true;
    ++inits;
  };
  stm::thread_pool_executor ex{o};
  gate g;
  counter started;
  std::vector<stm::future<bool>> fs;
  for (int i = 0; i < 12; ++i)
    fs.push_back(ex.submit([&] {
      started.bump();
      if (started.n.get() <= 3) g.wait();
      return initialized;
    }));
  started.wait_for(3);
  g.open.set(true);
  for (auto& f : fs) BOOST_TEST(f.get());
  BOOST_TEST(inits.load() == 3);
}

BOOST_AUTO_TEST_CASE(a_failing_initializer_breaks_the_executor) {
  stm::thread_pool_executor::options o;
  o.max_workers = 2;
  o.initializer = [] { throw std::runtime_error("expected initializer failure"); };
  stm::thread_pool_executor ex{o};
  std::vector<stm::future<int>> fs;
  stm::atomically([&] {
    fs.clear();
    for (int i = 0; i < 5; ++i) fs.push_back(ex.submit([i] { return i; }));
  });
  for (auto& f : fs) {
    try {
      (void)f.get();
      BOOST_FAIL("a task ran in a broken executor");
    } catch (const stm::broken_executor& e) {
      BOOST_TEST(std::string(e.what()).find("expected initializer failure") != std::string::npos);
    }
  }
  BOOST_TEST(ex.is_broken());
  BOOST_CHECK_THROW((void)ex.submit([] { return 1; }), stm::broken_executor);
}

// Both workers' initializers fail only once the destructor has begun: every
// future ends broken and the destructor returns once the failures are
// reported. (The waits are transactions: the initializers block on a tvar,
// and the test waits on another for both to have started.)
BOOST_AUTO_TEST_CASE(initializers_failing_after_destruction_began_break_every_future) {
  stm::tvar<bool> destroying{false};
  stm::tvar<int> started{0};
  std::vector<stm::future<int>> fs;
  {
    stm::thread_pool_executor::options o;
    o.max_workers = 2;
    o.initializer = [&] {
      started.modify([](int n) { return n + 1; });
      stm::atomically([&] {
        if (!destroying.get()) stm::retry();
      });
      throw std::runtime_error("expected initializer failure");
    };
    stm::thread_pool_executor ex{o};
    stm::atomically([&] {
      fs.clear();
      for (int i = 0; i < 2; ++i) fs.push_back(ex.submit([i] { return i; }));
    });
    stm::atomically([&] {
      if (started.get() < 2) stm::retry();
    });
    destroying.set(true);
  }
  for (auto& f : fs) BOOST_CHECK_THROW((void)f.get(), stm::broken_executor);
}

BOOST_AUTO_TEST_CASE(submit_inside_a_transaction_only_if_it_commits) {
  stm::thread_pool_executor ex{2};
  std::atomic<int> ran{0};
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      (void)ex.submit([&] { ++ran; });  // dropped: it never runs
                      throw boom{};
                    }),
                    boom);
  stm::tvar<int> x{0};
  auto f = stm::atomically([&] {
    x.set(1);
    return ex.submit([&] { ++ran; return x.get(); });
  });
  BOOST_TEST(f.get() == 1);  // it ran after the commit: it sees x == 1
  ex.shutdown(true);
  BOOST_TEST(ran.load() == 1);
}

BOOST_AUTO_TEST_CASE(a_result_and_the_pool_counters_change_in_one_commit) {
  stm::thread_pool_executor ex{2};
  gate g;
  auto f = ex.submit([&] {
    g.wait();
    return 1;
  });
  std::size_t base = ex.pool().tasks_finished();
  std::atomic<bool> inconsistent{false};
  auto w = stm::atomically_watch(
      [&] { return std::make_pair(f.done(), ex.pool().tasks_finished() - base); },
      [&](std::pair<bool, std::size_t> seen) {
        if (seen.first != (seen.second == 1)) inconsistent = true;
      });
  g.open.set(true);
  f.wait();
  BOOST_TEST(!inconsistent.load());
  BOOST_TEST(stm::atomically([&] { return f.done() && ex.pool().tasks_finished() == base + 1; }));
}

BOOST_AUTO_TEST_CASE(callbacks_with_an_executor) {
  stm::tvar<int> ok{0}, failed{0}, cancelled{0};
  stm::thread_pool_executor ex{2};
  auto bump = [](stm::tvar<int>& v, int by) {
    stm::atomically([&] { v.set(v.get() + by); });
  };
  auto f1 = ex.submit([] { return 1; });
  f1.add_done_callback([&](stm::future<int>& d) { bump(ok, d.get()); });
  auto f2 = ex.submit([]() -> int { throw std::runtime_error("expected"); });
  f2.add_done_callback([&](stm::future<int>& d) { bump(failed, d.exception() != nullptr); });
  gate g;  // outlives the executor whose task waits on it
  stm::thread_pool_executor one{1};
  auto busy = one.submit([&] { g.wait(); });
  auto f3 = one.submit([] { return 3; });
  f3.add_done_callback([&](stm::future<int>& d) { bump(cancelled, d.cancelled()); });
  BOOST_TEST(f3.cancel());
  BOOST_TEST(cancelled.get() == 1);  // at once, on the cancelling thread
  g.open.set(true);
  // Callbacks run on the workers after the completing commits.
  BOOST_TEST(stm::wait_until([&] { return ok.get() == 1 && failed.get() == 1; }, 60s));
}

BOOST_AUTO_TEST_CASE(a_callback_may_submit_more_work) {
  stm::thread_pool_executor ex{2};
  stm::tvar<int> second{0};
  auto f = ex.submit([] { return 20; });
  f.add_done_callback([&](stm::future<int>& d) {
    int v = d.get();
    (void)ex.submit([&, v] { second.set(v + 1); });
  });
  BOOST_TEST(stm::wait_until([&] { return second.get() == 21; }, 60s));
}

BOOST_AUTO_TEST_CASE(a_callback_may_shut_the_executor_down) {
  stm::tvar<bool> shut{false};
  stm::thread_pool_executor ex{2};
  auto f = ex.submit([] { return 1; });
  f.add_done_callback([&](stm::future<int>&) {
    ex.shutdown(true);  // on a worker, after its task was counted: no self-wait
    shut.set(true);
  });
  BOOST_TEST(stm::wait_until([&] { return shut.get(); }, 60s));
  BOOST_CHECK_THROW((void)ex.submit([] { return 2; }), stm::shutdown_error);
}

BOOST_AUTO_TEST_CASE(a_task_may_submit_more_work_and_wait_transactionally) {
  stm::thread_pool_executor ex{1};
  // With one worker, a task waiting outside a transaction for another task
  // would deadlock; or_else lets it do the work itself instead.
  auto outer = ex.submit([&] {
    auto inner = ex.submit([] { return 5; });
    int v = stm::atomically([&] {
      return stm::or_else([&] { return inner.get(); }, [] { return -1; });
    });
    if (v == -1 && inner.cancel()) v = 5;  // never started: do it here
    else if (v == -1) v = inner.get();
    return v;
  });
  BOOST_TEST(outer.get() == 5);
}

namespace {

// Two threads submit n tasks between them while a third cancels futures at
// random; the main thread calls shutdown(cancel_futures) once `shutdown_at`
// tasks were submitted (n: right after the last one). Conservation: every
// future submitted ends exactly once, either cancelled (and its task never
// ran, in particular not after cancel() said true) or finished (and its task
// ran exactly once), and its done callback ran exactly once.
void stress(std::size_t n, std::size_t shutdown_at) {
  std::vector<stm::future<std::size_t>> fs(n);
  std::vector<std::atomic<bool>> published(n);
  std::vector<std::atomic<int>> ran(n), callbacks(n), reported_cancelled(n);
  std::atomic<int> ran_after_cancel{0};
  stm::tvar<std::size_t> submitted{0};
  std::atomic<bool> stop_cancelling{false};
  {
    stm::thread_pool_executor ex{2};
    auto submitter = [&](std::size_t first) {
      std::size_t mine = 0;
      for (std::size_t i = first; i < n; i += 2) {
        try {
          fs[i] = ex.submit([&, i] {
            if (reported_cancelled[i].load()) ++ran_after_cancel;
            ++ran[i];
            return i;
          });
        } catch (const stm::shutdown_error&) {
          break;
        }
        fs[i].add_done_callback([&callbacks, i](stm::future<std::size_t>&) { ++callbacks[i]; });
        published[i].store(true, std::memory_order_release);
        if (++mine % 128 == 0 || i + 2 >= n) {
          std::size_t add = mine % 128 == 0 ? 128 : mine % 128;
          stm::atomically([&] { submitted.set(submitted.get() + add); });
        }
      }
    };
    std::thread canceller([&] {
      std::mt19937 rng(12345);
      while (!stop_cancelling.load()) {
        std::size_t k = rng() % n;
        if (published[k].load(std::memory_order_acquire) && fs[k].cancel())
          reported_cancelled[k] = true;
      }
    });
    std::thread s0(submitter, 0), s1(submitter, 1);
    stm::atomically([&] {
      if (submitted.get() < shutdown_at) stm::retry();
    });
    ex.shutdown(false, true);
    s0.join();
    s1.join();
    stop_cancelling = true;
    canceller.join();
    ex.shutdown(true);
  }  // the workers are joined: every callback has run
  std::size_t finished = 0, cancelled = 0, never_submitted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!published[i].load()) {
      ++never_submitted;
      continue;
    }
    BOOST_TEST_REQUIRE(fs[i].done());
    BOOST_TEST_REQUIRE(callbacks[i].load() == 1);
    if (fs[i].cancelled()) {
      ++cancelled;
      BOOST_TEST_REQUIRE(ran[i].load() == 0);
    } else {
      ++finished;
      BOOST_TEST_REQUIRE(ran[i].load() == 1);
      BOOST_TEST_REQUIRE(!reported_cancelled[i].load());
      BOOST_TEST_REQUIRE(fs[i].get() == i);
    }
  }
  BOOST_TEST(ran_after_cancel.load() == 0);
  BOOST_TEST(finished + cancelled + never_submitted == n);
  BOOST_TEST(n - never_submitted >= shutdown_at);
  BOOST_TEST_MESSAGE("finished " << finished << ", cancelled " << cancelled
                                 << ", never submitted " << never_submitted);
}

}  // namespace

BOOST_AUTO_TEST_CASE(stress_random_cancels_then_shutdown_with_cancel_futures) {
  const std::size_t n = 20000 * stress_factor();
  stress(n, n);
}

BOOST_AUTO_TEST_CASE(stress_shutdown_with_cancel_futures_races_the_submitters) {
  const std::size_t n = 20000 * stress_factor();
  stress(n, n / 2);
}

// Destroyed by its own task or done callback, the executor cannot wait for
// that worker: it shuts down without waiting, and the work already
// submitted still runs (the workers are joined in the background).
BOOST_AUTO_TEST_CASE(destroyed_by_its_own_task_the_submitted_work_still_runs) {
  auto ex = std::make_unique<stm::thread_pool_executor>(2);
  gate g;
  auto blocked = ex->submit([&] {
    g.wait();
    return 1;
  });
  gate go;  // this thread is done with ex
  auto killer = ex->submit([&] {
    go.wait();
    ex.reset();
  });
  std::vector<stm::future<int>> after;  // queued behind the killer
  for (int i = 0; i < 5; ++i) after.push_back(ex->submit([i] { return i; }));
  go.open.set(true);
  killer.get();  // no exception, no deadlock
  BOOST_TEST(!ex);
  for (int i = 0; i < 5; ++i) BOOST_TEST(after[i].get() == i);
  g.open.set(true);
  BOOST_TEST(blocked.get() == 1);
}

BOOST_AUTO_TEST_CASE(destroyed_by_its_own_done_callback) {
  auto ex = std::make_unique<stm::thread_pool_executor>(1);
  gate g;
  stm::tvar<bool> destroyed{false};
  auto f = ex->submit([&] {
    g.wait();
    return 1;
  });
  auto next = ex->submit([] { return 2; });
  f.add_done_callback([&](stm::future<int>&) {
    ex.reset();  // on the worker, right after f's task
    destroyed.set(true);
  });
  g.open.set(true);
  stm::atomically([&] {
    if (!destroyed.get()) stm::retry();
  });
  BOOST_TEST(!ex);
  BOOST_TEST(f.get() == 1);
  BOOST_TEST(next.get() == 2);  // queued before: still runs
}

// A worker that cannot be started (no threads left), with no other worker
// alive: the queued tasks end failed with the start error (nothing else
// would ever run them), the pool's counters agree, and the next submit
// starts a worker again.
BOOST_AUTO_TEST_CASE(a_worker_that_cannot_start_fails_the_queued_tasks) {
  stm::thread_pool_executor ex{1};
  stm::detail::inject_thread_start_failure(true);
  // The worker is started after the submit's commit, on this thread.
  auto f = ex.submit([] { return 1; });
  stm::detail::inject_thread_start_failure(false);
  BOOST_TEST(f.done());
  BOOST_TEST(!f.cancelled());
  BOOST_TEST(ex.pool().live_threads() == 0u);
  BOOST_TEST(ex.pool().tasks_remaining() == 0u);
  BOOST_CHECK_EXCEPTION((void)f.get(), std::system_error, [](const std::system_error& e) {
    return std::string(e.what()).find("thread start failure") != std::string::npos;
  });
  auto g = ex.submit([] { return 2; });
  BOOST_TEST(g.get() == 2);
}

// With a worker alive, a failed start leaves the task queued for it.
BOOST_AUTO_TEST_CASE(a_worker_that_cannot_start_leaves_work_to_the_live_ones) {
  stm::thread_pool_executor ex{2};
  stm::tvar<bool> open{false};
  auto blocker = ex.submit([&] {
    stm::atomically([&] {
      if (!open.get()) stm::retry();
    });
    return 0;
  });
  stm::atomically([&] {  // the first worker runs it
    if (ex.pool().live_threads() != 1u || ex.pool().free_threads() != 0u) stm::retry();
  });
  stm::detail::inject_thread_start_failure(true);
  auto f = ex.submit([] { return 1; });  // a second worker is wanted, and fails
  stm::detail::inject_thread_start_failure(false);
  BOOST_TEST(!f.done());
  open.set(true);
  BOOST_TEST(blocker.get() == 0);
  BOOST_TEST(f.get() == 1);  // run by the first worker once it is free
}
