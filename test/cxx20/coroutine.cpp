// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// co_await on stm::future and stm::shared_future (C++20).
#define BOOST_TEST_MODULE coroutine
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tmvar.hpp>
#include <boost/stm/tvar.hpp>

#include "../test_support.hpp"

#include <coroutine>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef __cpp_impl_coroutine
#error "this test is compiled as C++20 with coroutines"
#endif

namespace stm = boost::stm;

namespace {

// A coroutine that starts at once and delivers its result, or its
// exception, into a tmvar the test takes from.
template <class T>
struct outcome {
  T value{};
  std::exception_ptr error;
};

template <class T>
struct eager {
  struct promise_type {
    std::shared_ptr<stm::tmvar<outcome<T>>> out = std::make_shared<stm::tmvar<outcome<T>>>();
    eager get_return_object() { return eager{out}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T v) { out->put(outcome<T>{std::move(v), nullptr}); }
    void unhandled_exception() { out->put(outcome<T>{T{}, std::current_exception()}); }
  };
  std::shared_ptr<stm::tmvar<outcome<T>>> out;

  T get() {
    outcome<T> o = out->take();
    if (o.error) std::rethrow_exception(o.error);
    return std::move(o.value);
  }
};

struct gate {
  gate() = default;
  gate(const gate&) = delete;
  gate& operator=(const gate&) = delete;
  ~gate() { open.set(true); }
  stm::tvar<bool> open{false};
  void wait() const {
    stm::atomically([&] { stm::check(open.get()); });
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(awaits_several_submits_in_turn) {
  stm::thread_pool_executor ex{2};
  auto co = [](stm::thread_pool_executor& e, int n) -> eager<int> {
    int total = 0;
    for (int i = 1; i <= n; ++i) total += co_await e.submit([i] { return i * i; });
    co_return total;
  };
  BOOST_TEST(co(ex, 10).get() == 385);
}

BOOST_AUTO_TEST_CASE(resumes_on_the_completing_thread_or_does_not_suspend) {
  stm::thread_pool_executor ex{1};
  gate gt;
  std::thread::id worker{};
  auto pending = ex.submit([&] {
    gt.wait();
    worker = std::this_thread::get_id();
    return 1;
  });
  auto co = [](stm::future<int>& f) -> eager<std::thread::id> {
    co_await f;  // an lvalue: consumed, as by get()
    co_return std::this_thread::get_id();
  };
  eager<std::thread::id> r = co(pending);
  gt.open.set(true);
  std::thread::id resumed_on = r.get();
  BOOST_TEST((resumed_on == worker));
  BOOST_TEST(!pending.valid());

  auto done = ex.submit([] { return 2; });
  done.wait();
  eager<std::thread::id> here = co(done);  // ready: no suspension
  BOOST_TEST((here.get() == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(exceptions_and_cancellation_come_back_as_get_gives_them) {
  stm::thread_pool_executor ex{1};
  auto thrower = [](stm::thread_pool_executor& e) -> eager<int> {
    co_return co_await e.submit([]() -> int { throw std::out_of_range("task"); });
  };
  BOOST_CHECK_THROW(thrower(ex).get(), std::out_of_range);

  gate gt;
  auto blocker = ex.submit([&] { gt.wait(); });
  auto queued = ex.submit([] { return 1; });
  auto co = [](stm::future<int> f) -> eager<int> { co_return co_await std::move(f); };
  eager<int> r = co(std::move(queued));
  ex.shutdown(false, /*cancel_futures=*/true);
  BOOST_CHECK_THROW((void)r.get(), stm::cancelled_error);
  gt.open.set(true);
  blocker.get();

  stm::future<int> empty;
  BOOST_CHECK_THROW(co(std::move(empty)).get(), stm::invalid_state_error);
}

BOOST_AUTO_TEST_CASE(shared_futures_wake_every_awaiting_coroutine) {
  stm::thread_pool_executor ex{1};
  gate gt;
  stm::shared_future<std::string> s = ex.submit([&] {
    gt.wait();
    return std::string("shared");
  }).share();
  auto co = [](stm::shared_future<std::string> f) -> eager<std::string> {
    const std::string& v = co_await f;
    co_return v + "!";
  };
  std::vector<eager<std::string>> waiting;
  for (int i = 0; i < 5; ++i) waiting.push_back(co(s));
  gt.open.set(true);
  for (auto& w : waiting) BOOST_TEST(w.get() == "shared!");
  BOOST_TEST(s.valid());
}

BOOST_AUTO_TEST_CASE(move_only_results_move_through) {
  stm::thread_pool_executor ex{1};
  auto co = [](stm::thread_pool_executor& e) -> eager<int> {
    std::unique_ptr<int> p = co_await e.submit([] { return std::make_unique<int>(6); });
    co_return *p + 1;
  };
  BOOST_TEST(co(ex).get() == 7);
}

// Many coroutines, each awaiting a chain of submits: every one finishes
// once, with the sum of what its tasks returned.
BOOST_AUTO_TEST_CASE(many_coroutines_lose_no_resumption) {
  const int coroutines = 50;
  const int steps = static_cast<int>(test_helpers::stress_size(40));
  stm::thread_pool_executor ex{3};
  auto co = [](stm::thread_pool_executor& e, int id, int n) -> eager<long> {
    long total = 0;
    for (int i = 0; i < n; ++i) {
      auto a = e.submit([id, i] { return long(id) * i; });
      auto b = e.submit([] { return 1L; });
      total += co_await a;
      total += co_await std::move(b);
    }
    co_return total;
  };
  std::vector<eager<long>> all;
  for (int c = 0; c < coroutines; ++c) all.push_back(co(ex, c, steps));
  long sum = 0;
  for (auto& r : all) sum += r.get();
  long want = 0;
  for (int c = 0; c < coroutines; ++c) want += long(c) * steps * (steps - 1) / 2 + steps;
  BOOST_TEST(sum == want);
}
