// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Every misuse that the public surface names gets an exception of this
// library's (or a standard) type whose message says what to do instead.
// One test per misuse: the type, and the part of the message that tells the
// user how to fix it. (The behaviour itself is tested with each concept;
// this file keeps the list of misuses and their messages in one place.)
#define BOOST_TEST_MODULE misuse
#include <boost/test/unit_test.hpp>

#include <boost/stm.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

// f must throw E, and E's message must contain every one of `hints`.
template <class E, class F>
void expect(F&& f, std::initializer_list<const char*> hints) {
  try {
    f();
  } catch (const E& e) {
    std::string what = e.what();
    for (const char* h : hints)
      BOOST_TEST(what.find(h) != std::string::npos, "message \"" << what << "\" lacks \"" << h << "\"");
    return;
  } catch (const std::exception& e) {
    BOOST_ERROR("wrong exception type: " << e.what());
    return;
  }
  BOOST_ERROR("no exception");
}

}  // namespace

// ---- core ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(retry_outside_a_transaction) {
  expect<stm::usage_error>([] { stm::retry(); }, {"outside a transaction", "inside atomically()"});
}

BOOST_AUTO_TEST_CASE(retry_with_nothing_to_wait_for) {
  expect<stm::usage_error>([] { stm::atomically([] { stm::retry(); }); },
                           {"nothing to wait for", "read no tvar", "block forever"});
}

BOOST_AUTO_TEST_CASE(elapsed_outside_a_transaction) {
  expect<stm::usage_error>([] { (void)stm::elapsed(1ms); }, {"inside atomically()"});
  expect<stm::usage_error>([] { (void)stm::elapsed(std::chrono::steady_clock::now()); },
                           {"inside atomically()"});
}

BOOST_AUTO_TEST_CASE(retry_inside_a_watcher) {
  stm::tvar<int> x{0};
  expect<stm::usage_error>(
      [&] {
        auto h = stm::atomically_watch(
            [&] {
              if (x.get() == 0) stm::retry();
              return x.get();
            },
            [](int) {});
      },
      {"inside a watcher", "use try_ operations"});
}

BOOST_AUTO_TEST_CASE(a_broken_invariant) {
  stm::tvar<int> x{0};
  stm::invariant([&] { return x.get() >= 0; });
  expect<stm::invariant_error>([&] { x.set(-1); }, {"invariant", "rolled back"});
  BOOST_TEST(x.get() == 0);
}

BOOST_AUTO_TEST_CASE(watchers_that_never_settle) {
  stm::tvar<int> a{0}, b{0};
  auto h1 = stm::atomically_watch([&] { return a.get(); }, [&](int v) { b.set(v + 1); });
  expect<stm::watch_cascade_error>(
      [&] { auto h2 = stm::atomically_watch([&] { return b.get(); }, [&](int v) { a.set(v + 1); }); },
                                   {"without settling", "changes_only", "BOOST_STM_MAX_WATCH_ROUNDS"});
}

// ---- containers ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_bounded_queue_of_capacity_zero) {
  expect<std::invalid_argument>([] { stm::tqueue<int> q(0); }, {"at least 1"});
}

BOOST_AUTO_TEST_CASE(a_list_index_out_of_range) {
  stm::tlist<int> l{1, 2};
  expect<std::out_of_range>([&] { (void)l[2]; }, {"index 2", "size 2"});
}

// ---- threads and the pool -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_pool_of_zero_threads_and_an_empty_task) {
  expect<std::invalid_argument>([] { stm::thread_pool p(0); }, {"at least 1"});
  stm::thread_pool p(1);
  expect<std::invalid_argument>([&] { p.schedule(stm::task{}); }, {"empty task"});
}

BOOST_AUTO_TEST_CASE(joining_a_thread_never_started_or_itself) {
  stm::thread never{[] {}};
  expect<stm::invalid_state_error>([&] { never.join(); }, {"never started"});
  stm::thread twice{[] {}};
  twice.start();
  expect<stm::invalid_state_error>([&] { twice.start(); }, {"already started"});
  twice.join();
}

// ---- executors and futures ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(zero_workers) {
  expect<std::invalid_argument>([] { stm::thread_pool_executor ex{0}; }, {"at least 1"});
  expect<std::invalid_argument>([] { stm::fiber_executor fx{0}; }, {"at least 1"});
}

BOOST_AUTO_TEST_CASE(submit_after_shutdown) {
  stm::thread_pool_executor ex{1};
  ex.shutdown();
  expect<stm::shutdown_error>([&] { (void)ex.submit([] {}); }, {"shut down", "before shutdown()"});
}

BOOST_AUTO_TEST_CASE(submit_to_a_broken_executor) {
  stm::thread_pool_executor::options o;
  o.max_workers = 1;
  o.initializer = [] { throw std::runtime_error("expected: no database"); };
  stm::thread_pool_executor ex{o};
  auto f = ex.submit([] { return 1; });
  expect<stm::broken_executor>([&] { (void)f.get(); }, {"expected: no database", "new executor"});
  expect<stm::broken_executor>([&] { (void)ex.submit([] {}); }, {"initializer", "new executor"});
}

BOOST_AUTO_TEST_CASE(get_on_a_cancelled_future) {
  stm::tvar<bool> open{false};  // outlives the executor, whose task reads it
  stm::thread_pool_executor ex{1};
  auto busy = ex.submit([&] { stm::atomically([&] { if (!open.get()) stm::retry(); }); });
  auto f = ex.submit([] { return 1; });  // queued behind busy
  BOOST_TEST(f.cancel());
  expect<stm::cancelled_error>([&] { (void)f.get(); }, {"cancelled", "cancelled()"});
  open.set(true);
}

BOOST_AUTO_TEST_CASE(get_twice_or_on_an_empty_future) {
  stm::thread_pool_executor ex{1};
  auto f = ex.submit([] { return 1; });
  (void)f.get();
  expect<stm::invalid_state_error>([&] { (void)f.get(); }, {"no shared state", "use share()"});
  stm::future<int> empty;
  expect<stm::invalid_state_error>([&] { empty.wait(); }, {"no shared state"});
}

BOOST_AUTO_TEST_CASE(get_of_a_move_only_result_inside_a_transaction) {
  stm::thread_pool_executor ex{1};
  auto f = ex.submit([] { return std::make_unique<int>(1); });
  expect<stm::usage_error>([&] { stm::atomically([&] { (void)f.get(); }); },
                           {"move-only", "call wait() inside the transaction and get() after"});
  BOOST_TEST(*f.get() == 1);
}

BOOST_AUTO_TEST_CASE(shutdown_waiting_from_an_own_task) {
  stm::thread_pool_executor ex{1};
  auto f = ex.submit([&] { ex.shutdown(true); });
  expect<stm::invalid_state_error>([&] { (void)f.get(); }, {"own tasks", "call shutdown(false) there"});
}

BOOST_AUTO_TEST_CASE(map_and_as_completed_timeouts) {
  stm::tvar<bool> open{false};  // outlives the executor, whose tasks read it
  stm::thread_pool_executor ex{1};
  auto wait_open = [&] { stm::atomically([&] { if (!open.get()) stm::retry(); }); };
  {
    auto r = ex.map(1ms, [&](int) { wait_open(); return 1; }, std::vector<int>{1});
    expect<stm::timeout_error>([&] { (void)*r.begin(); }, {"not ready within the timeout", "longer timeout"});
  }
  std::vector<stm::future<void>> fs;
  fs.push_back(ex.submit(wait_open));
  expect<stm::timeout_error>(
      [&] {
        for (auto& f : stm::as_completed(fs, 1ms)) f.get();
      },
      {"unfinished", "longer timeout"});
  open.set(true);
}
