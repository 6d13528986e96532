// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Transactions in Boost.Fiber fibers: with enable_fiber_support(), retry()
// suspends only the calling fiber, and a commit on any thread wakes it.
// Every snippet shown in the documentation's Fibers page comes from here;
// the program checks its own results. (File names starting with "fiber"
// carry the CTest label "fiber", which the ThreadSanitizer stage skips.)
//
//   fiber_tutorial [--quick]
#include <boost/fiber/all.hpp>
#include <boost/stm.hpp>

#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fiber_tutorial: check failed: %s\n", what);
    ++failures;
  }
}

//[fiber_take
int take(stm::tvar<int>& box) {
  return stm::atomically([&] {
    int v = box.get();
    if (v == 0) stm::retry();  // in a fiber: suspends this fiber only
    box.set(0);
    return v;
  });
}
//]

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const std::size_t blocked_tasks = quick ? 1000 : 10000;

  //[fiber_enable
  // Once, before fibers block in transactions (fiber_executor does it for
  // its own fibers).
  stm::enable_fiber_support();
  //]

  {
    //[fiber_same_thread
    // Two fibers on this one thread: the consumer's retry suspends it, so
    // the producer fiber can run and fill the box.
    stm::tvar<int> box{0};
    int got = 0;
    boost::fibers::fiber consumer([&] { got = take(box); });
    boost::fibers::fiber producer([&] { box.set(42); });
    consumer.join();
    producer.join();
    //]
    check(got == 42, "a fiber's retry lets the other fiber of its thread run");
  }

  {
    //[fiber_other_thread
    // A commit on another thread wakes the fiber.
    stm::tvar<int> box{0};
    int got = 0;
    boost::fibers::fiber consumer([&] { got = take(box); });
    std::thread producer([&] { box.set(7); });
    consumer.join();
    producer.join();
    //]
    check(got == 7, "a commit on another thread wakes the fiber");
  }

  {
    //[fiber_executor
    stm::tvar<bool> open{false};
    stm::tvar<std::size_t> done{0};
    stm::fiber_executor fx{2};  // two OS threads; each task runs as a fiber
    std::vector<stm::future<void>> fs;
    for (std::size_t i = 0; i < blocked_tasks; ++i)
      fs.push_back(fx.submit([&] {
        stm::atomically([&] {
          if (!open.get()) stm::retry();  // suspends this task's fiber only
        });
        done.modify([](std::size_t d) { return d + 1; });
      }));
    // Every task is started and blocked at once, on two threads.
    stm::atomically([&] {
      if (fx.tasks_running() < blocked_tasks) stm::retry();
    });
    open.set(true);  // one commit wakes them all
    stm::wait(fs);
    //]
    check(done.get() == blocked_tasks, "every blocked fiber task ran");
  }

  {
    //[fiber_executor_wait
    // One thread, and a task that waits for a task submitted after it: a
    // thread pool of one worker would deadlock; a fiber executor suspends
    // the waiting fiber and runs the other task meanwhile.
    stm::tvar<int> first_result{0};
    stm::fiber_executor fx{1};
    stm::future<int> waiter = fx.submit([&] {
      stm::atomically([&] {
        if (first_result.get() == 0) stm::retry();
      });
      return first_result.get() * 2;
    });
    stm::future<void> setter = fx.submit([&] { first_result.set(21); });
    int r = waiter.get();  // 42
    //]
    setter.get();
    check(r == 42, "a fiber task waits for a later task on one thread");
  }

  if (failures == 0) std::printf("fiber_tutorial: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
