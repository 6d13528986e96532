// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE future
#include <boost/test/unit_test.hpp>

#include <boost/stm/detail/executors/job.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/watch.hpp>

#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

// The test plays the pool: a job is made by hand, and "work" runs it the
// way every backend does (the task protocol, see task_base): begin() inside
// the commit that takes it, run() outside, complete() inside the counting
// commit.
template <class F>
auto make_job(F f) {
  using R = std::invoke_result_t<F&>;
  auto j = stm::detail::make_job<R>(std::move(f), nullptr);
  return std::make_pair(j, stm::future<R>(j));
}

void work(stm::detail::task_base& j) {
  stm::atomically([&] { j.begin(); });
  j.run();
  stm::atomically([&] { j.complete(nullptr); });
}

struct gate {
  stm::tvar<bool> open{false};
  void wait() {
    stm::atomically([&] {
      if (!open.get()) stm::retry();
    });
  }
};

using test_helpers::stderr_capture;

}  // namespace

BOOST_AUTO_TEST_CASE(get_returns_the_result_once) {
  auto [j, f] = make_job([] { return 42; });
  BOOST_TEST(f.valid());
  work(*j);
  BOOST_TEST(f.get() == 42);
  BOOST_TEST(!f.valid());
  BOOST_CHECK_THROW((void)f.get(), stm::invalid_state_error);
  stm::future<int> empty;
  BOOST_TEST(!empty.valid());
  BOOST_CHECK_THROW(empty.wait(), stm::invalid_state_error);
  BOOST_CHECK_THROW(empty.done(), stm::invalid_state_error);
  try {
    (void)empty.get();
  } catch (const stm::invalid_state_error& e) {
    BOOST_TEST(std::string(e.what()).find("share()") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(get_rethrows_the_task_exception_and_invalidates) {
  auto [j, f] = make_job([]() -> int { throw std::out_of_range("expected: task failed"); });
  work(*j);
  BOOST_CHECK_THROW((void)f.get(), std::out_of_range);
  BOOST_TEST(!f.valid());
}

BOOST_AUTO_TEST_CASE(void_and_reference_results) {
  int x = 7;
  auto [jv, fv] = make_job([] {});
  auto [jr, fr] = make_job([&x]() -> int& { return x; });
  work(*jv);
  work(*jr);
  fv.get();
  int& r = fr.get();
  BOOST_TEST(&r == &x);
}

BOOST_AUTO_TEST_CASE(move_only_result) {
  auto [j, f] = make_job([] { return std::make_unique<int>(5); });
  work(*j);
  std::unique_ptr<int> p = f.get();
  BOOST_TEST(*p == 5);
}

BOOST_AUTO_TEST_CASE(get_blocks_until_another_thread_completes) {
  auto [j, f] = make_job([] { return std::string("done"); });
  std::thread t([j = j] { work(*j); });
  BOOST_TEST(f.get() == "done");
  t.join();
}

BOOST_AUTO_TEST_CASE(cancel_state_machine_and_truth_tables) {
  // pending
  auto [jp, pending] = make_job([] { return 1; });
  BOOST_TEST(!pending.done());
  BOOST_TEST(!pending.running());
  BOOST_TEST(!pending.cancelled());
  // cancelled: cancel() is true, and stays true
  BOOST_TEST(pending.cancel());
  BOOST_TEST(pending.cancel());
  BOOST_TEST(pending.done());
  BOOST_TEST(!pending.running());
  BOOST_TEST(pending.cancelled());
  // ... and the task never runs afterwards
  std::atomic<bool> ran{false};
  auto [jc, cancelled] = make_job([&ran] {
    ran = true;
    return 1;
  });
  BOOST_TEST(cancelled.cancel());
  work(*jc);
  BOOST_TEST(!ran.load());
  BOOST_TEST(cancelled.cancelled());
  BOOST_CHECK_THROW((void)cancelled.get(), stm::cancelled_error);
  BOOST_TEST(!cancelled.valid());

  // running: cancel() is false
  gate g;
  auto [jr, running] = make_job([&g] {
    g.wait();
    return 2;
  });
  std::thread t([j = jr] { work(*j); });
  stm::atomically([&] {
    if (!running.running()) stm::retry();
  });
  BOOST_TEST(!running.done());
  BOOST_TEST(!running.cancelled());
  BOOST_TEST(!running.cancel());
  g.open.set(true);
  running.wait();
  t.join();
  // finished: cancel() is false
  BOOST_TEST(running.done());
  BOOST_TEST(!running.running());
  BOOST_TEST(!running.cancelled());
  BOOST_TEST(!running.cancel());
  BOOST_TEST(running.get() == 2);

  // finished by an exception
  auto [jf, failed] = make_job([]() -> int { throw std::runtime_error("expected"); });
  work(*jf);
  BOOST_TEST(failed.done());
  BOOST_TEST(!failed.running());
  BOOST_TEST(!failed.cancelled());
  BOOST_TEST(!failed.cancel());
}

// The task protocol: only the claim made by begin(), in the commit that
// takes the job, lets run() call it; whoever claims first (worker, cancel,
// waiter) decides, and the others change nothing.
BOOST_AUTO_TEST_CASE(only_a_begin_claim_lets_the_worker_run_the_job) {
  int calls = 0;
  auto [j, f] = make_job([&calls] { return ++calls; });
  j->run();  // no begin(): not this worker's to run
  BOOST_TEST(calls == 0);
  BOOST_TEST(!f.running());
  BOOST_TEST(!f.done());
  // A begin() in a transaction that aborts claims nothing.
  BOOST_CHECK_THROW(stm::atomically([&, j = j] {
                      j->begin();
                      throw std::runtime_error("expected: abort");
                    }),
                    std::runtime_error);
  BOOST_TEST(!f.running());
  j->run();
  BOOST_TEST(calls == 0);
  // The claim commits with the take: running at once, cancel() refused.
  stm::atomically([&, j = j] { j->begin(); });
  BOOST_TEST(f.running());
  BOOST_TEST(!f.cancel());
  j->run();
  BOOST_TEST(calls == 1);
  BOOST_TEST(!f.done());  // published by complete(), not by run()
  stm::atomically([&, j = j] { j->complete(nullptr); });
  BOOST_TEST(f.get() == 1);

  // Cancelled before the take: begin() claims nothing, run() does nothing.
  int cancelled_calls = 0;
  auto [jc, fc] = make_job([&cancelled_calls] { return ++cancelled_calls; });
  BOOST_TEST(fc.cancel());
  stm::atomically([&, jc = jc] { jc->begin(); });
  jc->run();
  stm::atomically([&, jc = jc] { jc->complete(nullptr); });
  BOOST_TEST(cancelled_calls == 0);
  BOOST_TEST(fc.cancelled());

  // Claimed by a waiter of the same owner first: it runs there, and the
  // worker that takes the job later leaves it alone.
  static const int owner = 0;
  int waited_calls = 0;
  auto jw = stm::detail::make_job<int>([&waited_calls] { return ++waited_calls; }, &owner);
  stm::future<int> fw(jw);
  const void* saved = std::exchange(stm::detail::current_job_owner, &owner);
  BOOST_TEST(jw->run_here());
  stm::detail::current_job_owner = saved;
  stm::atomically([&] { jw->begin(); });
  BOOST_TEST(!jw->claimed_by(stm::detail::runner::worker));
  jw->run();
  stm::atomically([&] { jw->complete(nullptr); });
  BOOST_TEST(waited_calls == 1);
  BOOST_TEST(fw.get() == 1);
}

BOOST_AUTO_TEST_CASE(exception_observer) {
  auto [j1, ok] = make_job([] { return 1; });
  auto [j2, bad] = make_job([]() -> int { throw std::logic_error("expected"); });
  auto [j3, gone] = make_job([] { return 3; });
  work(*j1);
  work(*j2);
  BOOST_TEST(gone.cancel());
  BOOST_TEST(!ok.exception());
  std::exception_ptr e = bad.exception();
  BOOST_REQUIRE(e);
  BOOST_CHECK_THROW(std::rethrow_exception(e), std::logic_error);
  BOOST_TEST(bad.valid());  // exception() does not consume
  BOOST_CHECK_THROW(gone.exception(), stm::cancelled_error);
}

BOOST_AUTO_TEST_CASE(wait_for_and_wait_until) {
  auto [j, f] = make_job([] { return 1; });
  BOOST_TEST((f.wait_for(0ms) == std::future_status::timeout));
  BOOST_TEST((f.wait_for(5ms) == std::future_status::timeout));
  BOOST_TEST((f.wait_until(std::chrono::system_clock::now() + 1ms) ==
              std::future_status::timeout));
  std::thread t([j = j] { work(*j); });
  BOOST_TEST((f.wait_for(60s) == std::future_status::ready));
  BOOST_TEST((f.wait_until(std::chrono::steady_clock::now()) == std::future_status::ready));
  t.join();
  auto [j2, c] = make_job([] { return 1; });
  c.cancel();
  BOOST_TEST((c.wait_for(0s) == std::future_status::ready));
}

BOOST_AUTO_TEST_CASE(callbacks_run_once_in_order_on_the_completing_thread) {
  auto [j, f] = make_job([] { return 10; });
  std::vector<int> order;
  std::vector<std::thread::id> where;
  for (int i = 0; i < 3; ++i)
    f.add_done_callback([&, i](stm::future<int>& d) {
      BOOST_TEST(d.done());
      order.push_back(i);
      where.push_back(std::this_thread::get_id());
    });
  std::thread::id worker;
  std::thread t([&, j = j] {
    worker = std::this_thread::get_id();
    work(*j);
  });
  t.join();
  BOOST_TEST((order == std::vector<int>{0, 1, 2}));
  for (auto id : where) BOOST_TEST((id == worker));
  // Added after completion: runs at once, here.
  f.add_done_callback([&](stm::future<int>&) {
    order.push_back(3);
    where.push_back(std::this_thread::get_id());
  });
  BOOST_TEST((order == std::vector<int>{0, 1, 2, 3}));
  BOOST_TEST((where.back() == std::this_thread::get_id()));
  BOOST_TEST(f.get() == 10);
}

BOOST_AUTO_TEST_CASE(callbacks_on_failure_and_cancel) {
  auto [j1, bad] = make_job([]() -> int { throw std::runtime_error("expected"); });
  int failures = 0;
  bad.add_done_callback([&](stm::future<int>& d) {
    if (d.exception()) ++failures;
  });
  work(*j1);
  BOOST_TEST(failures == 1);

  auto [j2, c] = make_job([] { return 1; });
  int cancels = 0;
  c.add_done_callback([&](stm::future<int>& d) { cancels += d.cancelled(); });
  BOOST_TEST(c.cancel());
  BOOST_TEST(cancels == 1);
  BOOST_TEST(c.cancel());  // already cancelled: no second call
  work(*j2);               // a worker reaching it later changes nothing
  BOOST_TEST(cancels == 1);
}

BOOST_AUTO_TEST_CASE(a_throwing_callback_is_reported_and_the_rest_run) {
  auto [j, f] = make_job([] { return 1; });
  int after = 0;
  f.add_done_callback([](stm::future<int>&) { throw std::runtime_error("expected callback failure"); });
  f.add_done_callback([&](stm::future<int>&) { ++after; });
  std::string err;
  {
    stderr_capture cap;
    work(*j);
    err = cap.text();
  }
  BOOST_TEST(after == 1);
  BOOST_TEST(err.find("expected callback failure") != std::string::npos);
  {
    stderr_capture cap;
    f.add_done_callback([](stm::future<int>&) { throw 5; });
    err = cap.text();
  }
  BOOST_TEST(err.find("done callback threw") != std::string::npos);
  BOOST_TEST(f.get() == 1);
}

BOOST_AUTO_TEST_CASE(a_callback_added_in_an_aborted_transaction_never_runs) {
  auto [j, f] = make_job([] { return 1; });
  int calls = 0;
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      f.add_done_callback([&](stm::future<int>&) { ++calls; });
                      throw boom{};
                    }),
                    boom);
  stm::atomically([&] { f.add_done_callback([&](stm::future<int>&) { calls += 10; }); });
  work(*j);
  BOOST_TEST(calls == 10);
}

BOOST_AUTO_TEST_CASE(callback_and_owner_both_read_the_result) {
  auto [j, f] = make_job([] { return std::string(100, 'x'); });
  std::string seen;
  f.add_done_callback([&](stm::future<std::string>& d) { seen = d.get(); });
  work(*j);
  BOOST_TEST(seen.size() == 100u);
  BOOST_TEST(f.get().size() == 100u);  // copied for the callback, so still there
}

BOOST_AUTO_TEST_CASE(a_move_only_result_goes_to_one_taker) {
  auto [j, f] = make_job([] { return std::make_unique<int>(3); });
  std::unique_ptr<int> from_callback;
  f.add_done_callback([&](stm::future<std::unique_ptr<int>>& d) { from_callback = d.get(); });
  work(*j);
  BOOST_REQUIRE(from_callback);
  BOOST_TEST(*from_callback == 3);
  BOOST_CHECK_THROW((void)f.get(), stm::invalid_state_error);
}

BOOST_AUTO_TEST_CASE(transactional_observers_and_get) {
  auto [j, f] = make_job([] { return 5; });
  // or_else: pending, so the second alternative.
  int v = stm::atomically([&] {
    return stm::or_else([&] { return f.get(); }, [] { return -1; });
  });
  BOOST_TEST(v == -1);
  BOOST_TEST(stm::would_block([&] { f.wait(); }));
  BOOST_TEST(stm::atomically([&] { return !f.done() && !f.running(); }));
  std::thread t([j = j] { work(*j); });
  // Blocks (retries) until the result is there; composes with another tvar.
  stm::tvar<int> bonus{100};
  int w = stm::atomically([&] { return f.get() + bonus.get(); });
  t.join();
  BOOST_TEST(w == 105);
  BOOST_TEST(f.valid());  // get() in a transaction does not invalidate
  BOOST_TEST(f.get() == 5);
  BOOST_TEST(!f.valid());
}

BOOST_AUTO_TEST_CASE(transactional_get_of_a_move_only_result_is_refused) {
  auto [j, f] = make_job([] { return std::make_unique<int>(1); });
  work(*j);
  BOOST_CHECK_THROW(stm::atomically([&] { return f.get(); }), stm::usage_error);
  stm::atomically([&] { f.wait(); });
  BOOST_TEST(*f.get() == 1);
}

BOOST_AUTO_TEST_CASE(cancel_inside_a_transaction_only_if_it_commits) {
  auto [j, f] = make_job([] { return 1; });
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      BOOST_TEST(f.cancel());
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(!f.cancelled());
  work(*j);
  BOOST_TEST(f.get() == 1);
}

BOOST_AUTO_TEST_CASE(shared_future_reads_many_times) {
  auto [j, f] = make_job([] { return std::make_unique<int>(9); });
  stm::shared_future<std::unique_ptr<int>> s = f.share();
  BOOST_TEST(!f.valid());
  stm::shared_future<std::unique_ptr<int>> s2 = s;
  int calls = 0;
  s.add_done_callback([&](stm::shared_future<std::unique_ptr<int>>& d) { calls += *d.get(); });
  std::thread t([j = j] { work(*j); });
  BOOST_TEST(*s.get() == 9);
  BOOST_TEST(*s2.get() == 9);
  BOOST_TEST(&s.get() == &s2.get());
  t.join();
  BOOST_TEST(s.valid());
  BOOST_TEST(calls == 9);
  BOOST_TEST(stm::atomically([&] { return *s.get(); }) == 9);

  auto [jv, fv] = make_job([] {});
  stm::shared_future<void> sv = std::move(fv);
  work(*jv);
  sv.get();
  sv.get();
}

BOOST_AUTO_TEST_CASE(converts_to_std_future) {
  auto [j1, f1] = make_job([] { return 1; });
  std::future<int> s1 = std::move(f1);
  BOOST_TEST(!f1.valid());
  std::thread t([j = j1] { work(*j); });
  BOOST_TEST(s1.get() == 1);
  t.join();

  auto [j2, f2] = make_job([]() -> int { throw std::range_error("expected"); });
  std::future<int> s2 = std::move(f2);
  work(*j2);
  BOOST_CHECK_THROW((void)s2.get(), std::range_error);

  auto [j3, f3] = make_job([] { return std::make_unique<int>(4); });
  BOOST_TEST(f3.cancel());
  std::future<std::unique_ptr<int>> s3 = std::move(f3);
  BOOST_CHECK_THROW((void)s3.get(), stm::cancelled_error);

  auto [j4, f4] = make_job([] { return std::make_unique<int>(4); });
  std::future<std::unique_ptr<int>> s4 = std::move(f4);
  work(*j4);
  BOOST_TEST(*s4.get() == 4);

  auto [j5, f5] = make_job([] {});
  std::future<void> s5 = std::move(f5);
  work(*j5);
  s5.get();
}

BOOST_AUTO_TEST_CASE(the_destructor_never_blocks) {
  gate g;
  std::atomic<bool> finished{false};
  auto [j, f] = make_job([&] {
    g.wait();
    finished = true;
    return 1;
  });
  std::thread t([j = j] { work(*j); });
  stm::atomically([&] {
    if (!f.running()) stm::retry();
  });
  { stm::future<int> dropped = std::move(f); }  // returns at once
  BOOST_TEST(!finished.load());
  g.open.set(true);
  t.join();
  BOOST_TEST(finished.load());
}

BOOST_AUTO_TEST_CASE(many_threads_wait_and_one_completes) {
  auto [j, f] = make_job([] { return 77; });
  stm::shared_future<int> s = f.share();
  std::vector<std::thread> ts;
  std::atomic<int> sum{0};
  for (int i = 0; i < 8; ++i) ts.emplace_back([s, &sum] { sum += s.get(); });
  work(*j);
  for (auto& t : ts) t.join();
  BOOST_TEST(sum.load() == 8 * 77);
}
