// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE wait
#include <boost/test/unit_test.hpp>

#include <boost/stm/detail/executors/job.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/wait.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

using job_ptr = std::shared_ptr<stm::detail::task_base>;

// Futures completed by hand, the way a pool worker completes them.
struct batch {
  std::vector<job_ptr> jobs;
  std::vector<stm::future<int>> futures;

  explicit batch(int n, int failing = -1) {
    for (int i = 0; i < n; ++i) {
      auto j = stm::detail::make_job<int>(
          [i, failing]() -> int {
            if (i == failing) throw std::runtime_error("expected task failure");
            return i;
          },
          nullptr);
      jobs.push_back(j);
      futures.emplace_back(j);
    }
  }
  void complete(int i) {  // as a backend runs a job (see task_base)
    stm::atomically([&] { jobs[i]->begin(); });
    jobs[i]->run();
    stm::atomically([&] { jobs[i]->complete(nullptr); });
  }
};

std::vector<int> values(stm::future_refs<stm::future<int>>& r, batch& b) {
  std::vector<int> v;
  for (auto& f : r) v.push_back(static_cast<int>(&f - b.futures.data()));
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(all_completed_waits_for_every_future) {
  batch b(5);
  std::thread t([&] {
    for (int i = 4; i >= 0; --i) b.complete(i);
  });
  auto [done, not_done] = stm::wait(b.futures);
  t.join();
  BOOST_TEST(done.size() == 5u);
  BOOST_TEST(not_done.empty());
  BOOST_TEST(done[2].get() == 2);  // references to the caller's futures
  BOOST_TEST(!b.futures[2].valid());
}

BOOST_AUTO_TEST_CASE(first_completed_returns_when_one_is_done) {
  batch b(4);
  std::thread t([&] { b.complete(2); });
  auto r = stm::wait(b.futures, stm::return_when::first_completed);
  t.join();
  BOOST_TEST((values(r.done, b) == std::vector<int>{2}));
  BOOST_TEST((values(r.not_done, b) == std::vector<int>{0, 1, 3}));
  BOOST_TEST(r.done.contains(b.futures[2]));
  BOOST_TEST(!r.done.contains(b.futures[0]));
  // Already done: at once; and a cancelled one counts as completed.
  b.futures[0].cancel();
  auto r2 = stm::wait(b.futures, stm::return_when::first_completed);
  BOOST_TEST((values(r2.done, b) == std::vector<int>{0, 2}));
}

BOOST_AUTO_TEST_CASE(first_exception_returns_on_a_failure_else_waits_for_all) {
  batch b(4, /*failing=*/1);
  b.complete(0);
  b.futures[3].cancel();  // cancelled is not an exception
  auto r = stm::wait(b.futures, 10ms, stm::return_when::first_exception);
  BOOST_TEST((values(r.done, b) == std::vector<int>{0, 3}));
  std::thread t([&] { b.complete(1); });
  auto r2 = stm::wait(b.futures, stm::return_when::first_exception);
  t.join();
  BOOST_TEST((values(r2.done, b) == std::vector<int>{0, 1, 3}));
  BOOST_TEST((values(r2.not_done, b) == std::vector<int>{2}));

  batch ok(3);
  std::thread t2([&] {
    for (int i = 0; i < 3; ++i) ok.complete(i);
  });
  auto r3 = stm::wait(ok.futures, stm::return_when::first_exception);
  t2.join();
  BOOST_TEST(r3.done.size() == 3u);  // no failure: same as all_completed
}

BOOST_AUTO_TEST_CASE(a_timeout_returns_partial_sets) {
  batch b(3);
  b.complete(1);
  for (auto w : {stm::return_when::all_completed, stm::return_when::first_exception}) {
    auto start = std::chrono::steady_clock::now();
    auto [done, not_done] = stm::wait(b.futures, 20ms, w);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 20ms));
    BOOST_TEST((values(done, b) == std::vector<int>{1}));
    BOOST_TEST((values(not_done, b) == std::vector<int>{0, 2}));
  }
  auto r = stm::wait(b.futures, 0s, stm::return_when::all_completed);
  BOOST_TEST(r.not_done.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_empty_set_and_consumed_futures_are_done) {
  std::vector<stm::future<int>> none;
  auto r = stm::wait(none, stm::return_when::first_completed);
  BOOST_TEST(r.done.empty());
  BOOST_TEST(r.not_done.empty());
  batch b(2);
  b.complete(0);
  b.complete(1);
  BOOST_TEST(b.futures[0].get() == 0);  // no state any more
  auto r2 = stm::wait(b.futures);
  BOOST_TEST(r2.done.size() == 2u);
  const std::vector<stm::future<int>>& read_only = b.futures;  // const containers work too
  auto r3 = stm::wait(read_only, 0s);
  BOOST_TEST(r3.done.size() == 2u);
  BOOST_TEST(r3.done[1].done());
}

BOOST_AUTO_TEST_CASE(wait_works_on_shared_futures) {
  batch b(2);
  std::vector<stm::shared_future<int>> shared;
  for (auto& f : b.futures) shared.push_back(f.share());
  std::thread t([&] { b.complete(1); });
  auto r = stm::wait(shared, stm::return_when::first_completed);
  t.join();
  BOOST_TEST(r.done.size() == 1u);
  BOOST_TEST(r.done[0].get() == 1);
}

BOOST_AUTO_TEST_CASE(as_completed_yields_finished_first_then_in_completion_order) {
  batch b(5);
  b.complete(3);
  b.complete(1);
  std::vector<int> order;
  int next[] = {4, 0, 2};
  std::size_t k = 0;
  for (auto& f : stm::as_completed(b.futures)) {
    order.push_back(f.get());
    if (order.size() >= 2 && k < 3) b.complete(next[k++]);
  }
  BOOST_TEST((order == std::vector<int>{1, 3, 4, 0, 2}));
}

BOOST_AUTO_TEST_CASE(as_completed_from_another_thread) {
  batch b(50);
  std::thread t([&] {
    for (int i = 49; i >= 0; --i) b.complete(i);
  });
  std::vector<int> seen(50, 0);
  for (auto& f : stm::as_completed(b.futures, 60s)) ++seen[f.get()];
  t.join();
  for (int s : seen) BOOST_TEST(s == 1);
}

BOOST_AUTO_TEST_CASE(as_completed_throws_timeout_with_the_unfinished_count) {
  batch b(4);
  b.complete(2);
  std::vector<int> got;
  try {
    for (auto& f : stm::as_completed(b.futures, 20ms)) got.push_back(f.get());
    BOOST_FAIL("no timeout");
  } catch (const stm::timeout_error& e) {
    BOOST_TEST(std::string(e.what()).find("3 (of 4) futures unfinished") != std::string::npos);
  }
  BOOST_TEST((got == std::vector<int>{2}));
}

BOOST_AUTO_TEST_CASE(as_completed_of_nothing_is_empty) {
  std::vector<stm::future<int>> none;
  int n = 0;
  for (auto& f : stm::as_completed(none, 0s)) {
    (void)f;
    ++n;
  }
  BOOST_TEST(n == 0);
}
