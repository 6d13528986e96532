// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Executors and futures: submit, map, cancellation, done callbacks, wait,
// as_completed and transactional futures. Every snippet shown in the
// documentation's "Executors and futures" page comes from here; the program
// checks its own results.
//
//   tutorial_executor [--quick]
#include <boost/stm.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/wait.hpp>

#include <chrono>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_executor: check failed: %s\n", what);
    ++failures;
  }
}

// A gate that tasks wait on (transactionally) until it is opened.
struct gate {
  stm::tvar<bool> open{false};
  void wait() const {
    stm::atomically([&] {
      if (!open.get()) stm::retry();
    });
  }
};

}  // namespace

int main() {
  {
    //[executor_submit
    stm::thread_pool_executor ex{4};  // at most four worker threads
    stm::future<int> f = ex.submit([](int a, int b) { return a + b; }, 2, 3);
    int sum = f.get();  // 5; waits for the task. get() may be called once:
    bool valid = f.valid();  // false
    //]
    check(sum == 5 && !valid, "submit and get");
  }

  {
    //[executor_observers
    gate g;  // outlives the executor, whose tasks wait on it
    stm::thread_pool_executor ex{2};
    stm::future<std::string> f = ex.submit([&] {
      g.wait();
      return std::string("done");
    });
    bool ready = f.wait_for(10ms) == std::future_status::ready;  // false: still waiting on g
    g.open.set(true);
    f.wait();  // until finished
    bool done = f.done(), cancelled = f.cancelled(), running = f.running();  // true, false, false
    //]
    check(!ready && done && !cancelled && !running && f.get() == "done", "observers");
  }

  {
    //[executor_exception
    stm::thread_pool_executor ex{2};
    stm::future<int> f = ex.submit([]() -> int { throw std::runtime_error("bad input"); });
    std::exception_ptr e = f.exception();  // waits; the task's exception (nullptr if none)
    try {
      (void)f.get();  // rethrows it
    } catch (const std::runtime_error& x) {
      std::printf("the task failed: %s\n", x.what());
    }
    //]
    check(e != nullptr, "exceptions reach the future");
  }

  {
    //[executor_map
    stm::thread_pool_executor ex{4};
    std::vector<int> xs{1, 2, 3, 4};
    std::vector<int> squares;
    for (int r : ex.map([](int x) { return x * x; }, xs)) squares.push_back(r);  // in order
    std::vector<int> ys{10, 20, 30};
    std::vector<int> sums;
    for (int r : ex.map([](int a, int b) { return a + b; }, xs, ys)) sums.push_back(r);  // zipped
    //]
    check((squares == std::vector<int>{1, 4, 9, 16}), "map yields results in order");
    check((sums == std::vector<int>{11, 22, 33}), "map zips; the shortest range wins");
  }

  {
    //[executor_post
    stm::thread_pool_executor ex{2};
    stm::tvar<int> errors{0};
    ex.set_error_handler([&](std::exception_ptr e) {  // on the worker; default: a line on stderr
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        std::printf("a posted task failed: %s\n", x.what());
      }
      errors.modify([](int n) { return n + 1; });
    });
    stm::tvar<int> done{0};
    ex.post([&](int n) { done.set(n); }, 42);                      // no future
    ex.execute([] { throw std::runtime_error("disk full"); });     // reported, never lost
    ex.shutdown(true);
    //]
    check(done.get() == 42 && errors.get() == 1, "post runs; execute's exception is reported");
  }

  {
    //[executor_cancel
    gate g;  // outlives the executor, whose tasks wait on it
    stm::thread_pool_executor ex{1};  // one worker
    stm::future<void> busy = ex.submit([&] { g.wait(); });
    stm::atomically([&] {
      if (!busy.running()) stm::retry();  // the worker has taken it
    });
    stm::future<int> queued = ex.submit([] { return 1; });
    bool cancelled = queued.cancel();  // true: it had not started, and never will
    bool too_late = busy.cancel();     // false: running tasks are never interrupted
    g.open.set(true);
    bool has_result = true;
    try {
      (void)queued.get();
    } catch (const stm::cancelled_error&) {
      has_result = false;  // a cancelled future has no result
    }
    //]
    check(cancelled && !too_late && !has_result, "cancel a pending task only");
  }

  {
    //[executor_callbacks
    stm::tvar<int> total{0};
    stm::thread_pool_executor ex{2};
    stm::future<int> f = ex.submit([] { return 20; });
    // Runs once, when f is done: on the thread that completes it, after the
    // commit, outside any transaction; or at once, here, if f is already done.
    f.add_done_callback([&](stm::future<int>& done) {
      total.modify([&](int t) { return t + done.get(); });
    });
    bool reached = stm::wait_until([&] { return total.get() == 20; }, std::chrono::seconds(60));
    //]
    check(reached, "the done callback ran");
  }

  {
    //[executor_then
    stm::thread_pool_executor ex{2};
    stm::future<int> g = ex.submit([] { return 20; });
    // The continuation gets the finished future (consumed: g is no longer
    // valid) and h gets its result, or its exception.
    stm::future<std::string> h =
        g.then([](stm::future<int> done) { return std::to_string(done.get() + 1); });
    // Chains work on temporaries; inside a transaction get() retries as
    // usual, so a continuation's future composes with or_else.
    stm::future<int> len = ex.submit([] { return std::string("abc"); })
                               .then([](stm::future<std::string> s) { return s.get().size(); })
                               .then([](stm::future<std::size_t> n) { return int(n.get()) * 2; });
    std::string first = stm::atomically([&] {
      return stm::or_else([&] { return h.get(); }, [&] { return std::to_string(len.get()); });
    });
    //]
    check(!g.valid() && (first == "21" || first == "6"), "then");
  }

  {
    //[executor_wait
    gate g;  // outlives the executor, whose tasks wait on it
    stm::thread_pool_executor ex{4};
    std::vector<stm::future<int>> fs;
    fs.push_back(ex.submit([] { return 1; }));
    fs.push_back(ex.submit([&] {
      g.wait();
      return 2;
    }));
    // Until at least one is done, for at most a minute.
    auto [done, not_done] = stm::wait(fs, std::chrono::seconds(60), stm::return_when::first_completed);
    // done and not_done refer to the elements of fs
    //]
    check(done.size() == 1 && not_done.size() == 1 && done[0].get() == 1, "wait first_completed");
    g.open.set(true);
    stm::wait(fs);  // all_completed
    check(not_done[0].done(), "wait all_completed");
  }

  {
    //[executor_as_completed
    stm::thread_pool_executor ex{4};
    std::vector<stm::future<int>> fs;
    for (int i = 1; i <= 5; ++i) fs.push_back(ex.submit([i] { return i * 10; }));
    int sum = 0;
    for (stm::future<int>& f : stm::as_completed(fs, std::chrono::seconds(60)))
      sum += f.get();  // each future once, as it becomes done
    //]
    check(sum == 150, "as_completed yields every future");
  }

  {
    //[executor_transactional
    gate g;  // outlives the executor, whose tasks wait on it
    stm::thread_pool_executor ex{2};
    stm::future<int> slow = ex.submit([&] {
      g.wait();
      return 1;
    });
    stm::future<int> fast = ex.submit([] { return 2; });
    // Inside a transaction get() retries until the result is there, so
    // futures compose with or_else (and with any tvar): the first of the two.
    int first = stm::atomically([&] {
      return stm::or_else([&] { return slow.get(); }, [&] { return fast.get(); });
    });
    //]
    check(first == 2, "or_else over two futures");
    g.open.set(true);
    check(slow.get() == 1, "the slow one finishes too");
  }

  {
    //[executor_submit_in_transaction
    stm::tvar<int> order{0};
    stm::thread_pool_executor ex{2};
    stm::future<int> f = stm::atomically([&] {
      order.set(7);
      // Submitted only if this transaction commits; the task then sees its writes.
      return ex.submit([&] { return order.get(); });
    });
    //]
    check(f.get() == 7, "a submit inside a transaction runs after the commit");
  }

  {
    //[executor_shutdown
    gate g;  // outlives the executor, whose tasks wait on it
    stm::thread_pool_executor ex{1};
    stm::future<void> running = ex.submit([&] { g.wait(); });
    stm::atomically([&] {
      if (!running.running()) stm::retry();
    });
    stm::future<int> pending = ex.submit([] { return 1; });
    ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);  // pending is cancelled
    bool refused = false;
    try {
      (void)ex.submit([] { return 2; });
    } catch (const stm::shutdown_error&) {
      refused = true;  // no new work after shutdown
    }
    g.open.set(true);
    ex.shutdown();  // wait=true: until every submitted task has ended
    //]
    check(pending.cancelled() && refused && running.done(), "shutdown");
  }

  {
    //[executor_options
    stm::thread_pool_executor::options o;
    o.max_workers = 8;
    o.thread_name_prefix = "io";            // OS thread names io_0, io_1, ...
    o.initializer = [] { /* runs in each worker before its first task */ };
    o.keep_alive = std::chrono::seconds(30);  // idle workers retire after this
    stm::thread_pool_executor configured{o};
    //]
    check(configured.max_workers() == 8 && configured.submit([] { return 3; }).get() == 3,
          "an executor made from options");
  }

  {
    //[executor_shared_future
    stm::thread_pool_executor ex{2};
    stm::shared_future<std::string> s = ex.submit([] { return std::string("shared"); }).share();
    stm::shared_future<std::string> copy = s;  // many handles, each get() a reference
    bool same = &s.get() == &copy.get();       // true: one result
    //]
    check(same && s.get() == "shared", "shared_future");
  }

  if (failures == 0) std::printf("tutorial_executor: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
