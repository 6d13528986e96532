// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE then
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/wait.hpp>

#include "test_support.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

// A task that waits until the gate opens: keeps a one-worker executor busy.
struct gate {
  gate() = default;
  gate(const gate&) = delete;
  gate& operator=(const gate&) = delete;
  ~gate() { open.set(true); }  // a failing test must not leave a worker blocked
  stm::tvar<bool> open{false};
  void wait() const {
    stm::atomically([&] { stm::check(open.get()); });
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_value_passes_to_the_continuation_and_its_result_to_the_new_future) {
  stm::thread_pool_executor ex{2};
  stm::future<int> g = ex.submit([] { return 20; });
  stm::future<std::string> h =
      g.then([](stm::future<int> done) { return std::to_string(done.get() + 1); });
  BOOST_TEST(!g.valid());  // consumed
  BOOST_TEST(h.get() == "21");
}

BOOST_AUTO_TEST_CASE(exceptions_propagate) {
  stm::thread_pool_executor ex{1};
  auto h = ex.submit([]() -> int { throw std::out_of_range("source"); })
               .then([](stm::future<int> done) { return done.get() * 2; });
  BOOST_CHECK_THROW((void)h.get(), std::out_of_range);
  auto k = ex.submit([] { return 1; }).then([](stm::future<int>) -> int {
    throw std::domain_error("continuation");
  });
  BOOST_CHECK_THROW((void)k.get(), std::domain_error);
}

BOOST_AUTO_TEST_CASE(a_pending_source_runs_the_continuation_once_on_the_completing_thread) {
  stm::thread_pool_executor ex{1};
  gate gt;
  std::atomic<std::thread::id> task_thread{}, cont_thread{};
  std::atomic<int> runs{0};
  auto g = ex.submit([&] {
    gt.wait();
    task_thread = std::this_thread::get_id();
    return 1;
  });
  auto h = g.then([&](stm::future<int> done) {
    cont_thread = std::this_thread::get_id();
    ++runs;
    return done.get() + 1;
  });
  BOOST_TEST(!h.done());
  gt.open.set(true);
  BOOST_TEST(h.get() == 2);
  BOOST_TEST(runs.load() == 1);
  BOOST_TEST((cont_thread.load() == task_thread.load()));
  BOOST_TEST((cont_thread.load() != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(a_done_source_runs_the_continuation_at_once_here) {
  stm::thread_pool_executor ex{1};
  auto g = ex.submit([] { return 3; });
  g.wait();
  std::thread::id where{};
  auto h = g.then([&](stm::future<int> done) {
    where = std::this_thread::get_id();
    return done.get();
  });
  BOOST_TEST(h.done());  // already, before then() returned
  BOOST_TEST((where == std::this_thread::get_id()));
  BOOST_TEST(h.get() == 3);
}

BOOST_AUTO_TEST_CASE(the_continuation_runs_as_a_task_of_the_sources_executor) {
  // Waiting for its own executor from inside one of its tasks is refused:
  // so is it from the continuation, wherever it runs.
  stm::thread_pool_executor ex{2};
  auto attempt = [&ex](stm::future<int>) {
    ex.shutdown(true);
    return 0;
  };
  gate gt;
  auto pending = ex.submit([&] { gt.wait(); return 1; }).then(attempt);
  auto done = ex.submit([] { return 1; });
  done.wait();
  auto at_once = done.then(attempt);
  BOOST_CHECK_THROW((void)at_once.get(), stm::invalid_state_error);
  gt.open.set(true);
  BOOST_CHECK_THROW((void)pending.get(), stm::invalid_state_error);
}

BOOST_AUTO_TEST_CASE(void_results_chains_and_no_unwrapping) {
  stm::thread_pool_executor ex{2};
  std::atomic<int> seen{0};
  stm::future<void> v = ex.submit([] { return 5; }).then([&](stm::future<int> d) {
    seen = d.get();
  });
  v.get();
  BOOST_TEST(seen.load() == 5);
  int r = ex.submit([] {})
              .then([](stm::future<void> d) { d.get(); return 1; })
              .then([](stm::future<int> d) { return d.get() + 1; })
              .then([](stm::future<int> d) { return d.get() * 10; })
              .get();
  BOOST_TEST(r == 20);
  stm::future<stm::future<int>> nested =
      ex.submit([] { return 1; }).then([&ex](stm::future<int> d) {
        int x = d.get();
        return ex.submit([x] { return x + 1; });
      });
  BOOST_TEST(nested.get().get() == 2);
  // Move-only results move through.
  auto p = ex.submit([] { return std::make_unique<int>(7); })
               .then([](stm::future<std::unique_ptr<int>> d) { return *d.get() + 1; });
  BOOST_TEST(p.get() == 8);
}

BOOST_AUTO_TEST_CASE(cancelling_the_continuation_while_the_source_is_pending_cancels_both) {
  stm::thread_pool_executor ex{1};
  gate gt;
  auto blocker = ex.submit([&] { gt.wait(); });
  stm::tvar<int> source_state{0};  // 1: finished, 2: cancelled
  std::atomic<int> runs{0};
  auto g = ex.submit([] { return 1; });  // queued behind the blocker
  g.add_done_callback([&](stm::future<int>& d) { source_state.set(d.cancelled() ? 2 : 1); });
  auto h = g.then([&](stm::future<int> d) {
    ++runs;
    return d.get();
  });
  BOOST_TEST(h.cancel());
  BOOST_TEST(h.cancelled());
  stm::atomically([&] { stm::check(source_state.get() != 0); });
  BOOST_TEST(source_state.get() == 2);
  BOOST_CHECK_THROW((void)h.get(), stm::cancelled_error);
  gt.open.set(true);
  blocker.get();
  ex.shutdown(true);
  BOOST_TEST(runs.load() == 0);
}

BOOST_AUTO_TEST_CASE(a_cancelled_source_reaches_the_continuation_as_cancelled_error) {
  stm::thread_pool_executor ex{1};
  gate gt;
  auto blocker = ex.submit([&] { gt.wait(); });
  std::atomic<int> runs{0};
  auto h = ex.submit([] { return 1; }).then([&](stm::future<int> d) {
    ++runs;
    return d.get();
  });
  ex.shutdown(false, /*cancel_futures=*/true);  // cancels the queued source
  h.wait();
  BOOST_TEST(!h.cancelled());  // it ran, and ended with the source's cancelled_error
  BOOST_TEST(runs.load() == 1);
  BOOST_CHECK_THROW((void)h.get(), stm::cancelled_error);
  gt.open.set(true);
  blocker.get();
}

BOOST_AUTO_TEST_CASE(continuations_compose_with_transactions) {
  stm::thread_pool_executor ex{2};
  gate gt;
  auto slow = ex.submit([&] { gt.wait(); return 1; }).then([](stm::future<int> d) {
    return d.get() + 100;
  });
  // get() inside a transaction retries: or_else falls through while pending.
  int now = stm::atomically([&] { return stm::or_else([&] { return slow.get(); }, [] { return -1; }); });
  BOOST_TEST(now == -1);
  auto fast = ex.submit([] { return 2; }).then([](stm::future<int> d) { return d.get() + 200; });
  std::vector<stm::future<int>> both;
  both.push_back(std::move(slow));
  both.push_back(std::move(fast));
  auto r = stm::wait(both, stm::return_when::first_completed);
  BOOST_TEST(r.done.size() == 1u);
  BOOST_TEST(both[1].done());
  gt.open.set(true);
  int sum = stm::atomically([&] { return both[0].get() + both[1].get(); });
  BOOST_TEST(sum == 303);

  // then() inside a transaction attaches when it commits: the source stays
  // valid there, since the transaction may run again.
  auto g = ex.submit([] { return 4; });
  stm::future<int> h = stm::atomically([&] {
    auto k = g.then([](stm::future<int> d) { return d.get() * 2; });
    BOOST_TEST(g.valid());
    return k;
  });
  BOOST_TEST(h.get() == 8);
  // A transaction that throws attaches nothing.
  std::atomic<int> runs{0};
  stm::future<int> dropped;
  BOOST_CHECK_THROW(stm::atomically([&] {
                      dropped = g.then([&](stm::future<int> d) { ++runs; return d.get(); });
                      throw std::runtime_error("abort");
                    }),
                    std::runtime_error);
  g.wait();
  BOOST_TEST(!dropped.done());
  BOOST_TEST(runs.load() == 0);
}

BOOST_AUTO_TEST_CASE(then_on_an_empty_future_throws) {
  stm::future<int> empty;
  BOOST_CHECK_THROW(empty.then([](stm::future<int>) { return 0; }), stm::invalid_state_error);
}

// Chains submitted while another thread cancels some of them: every
// continuation future ends exactly once, the continuation ran exactly for
// the ones that finished, and a cancelled continuation never ran.
BOOST_AUTO_TEST_CASE(chains_under_concurrent_cancellation_end_exactly_once) {
  const int n = static_cast<int>(test_helpers::stress_size(2000));
  stm::thread_pool_executor ex{3};
  std::atomic<int> runs{0};
  std::vector<stm::future<int>> hs;
  hs.reserve(static_cast<std::size_t>(n));
  std::atomic<int> published{0};
  std::thread canceller([&] {
    for (int i = 0; i < n; i += 3) {
      while (published.load(std::memory_order_acquire) <= i) std::this_thread::yield();
      hs[static_cast<std::size_t>(i)].cancel();
    }
  });
  for (int i = 0; i < n; ++i) {
    hs.push_back(ex.submit([i] { return i; }).then([&](stm::future<int> d) {
      ++runs;
      return d.get();
    }));
    published.store(i + 1, std::memory_order_release);
  }
  canceller.join();
  int finished = 0, cancelled = 0;
  bool values_ok = true;
  for (int i = 0; i < n; ++i) {
    auto& h = hs[static_cast<std::size_t>(i)];
    h.wait();
    if (h.cancelled()) {
      ++cancelled;
      values_ok = values_ok && i % 3 == 0;
    } else {
      ++finished;
      values_ok = values_ok && h.get() == i;
    }
  }
  BOOST_TEST(values_ok);
  BOOST_TEST(finished + cancelled == n);
  BOOST_TEST(runs.load() == finished);
}
