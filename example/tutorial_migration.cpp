// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// From std::async to thread_pool_executor::submit, and the one difference
// that changes meaning: our future's destructor never blocks. Every snippet
// shown in the documentation's migration page comes from here; the program
// checks its own results.
//
//   tutorial_migration [--quick]
#include <boost/stm.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <thread>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_migration: check failed: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  {
    //[migration_async
    std::future<int> f = std::async(std::launch::async, [](int a, int b) { return a + b; }, 2, 3);
    int r = f.get();
    //]
    check(r == 5, "std::async");
  }

  {
    //[migration_submit
    stm::thread_pool_executor ex;  // min(32, hardware threads + 4) workers, started on demand
    stm::future<int> f = ex.submit([](int a, int b) { return a + b; }, 2, 3);
    int r = f.get();
    //]
    check(r == 5, "submit");
  }

  {
    stm::thread_pool_executor ex;
    //[migration_std_future
    // Code that stores a std::future keeps compiling, and keeps std::async's
    // guarantee: this std::future comes from std::async (a thread that waits
    // for the task), so its destructor waits for the task.
    std::future<int> f = ex.submit([] { return 1; });
    //]
    check(f.get() == 1, "conversion to std::future");
  }

  {
    //[migration_async_destructor
    // std::async: the discarded future's destructor waits for the task, so
    // this statement takes as long as the task.
    auto t0 = std::chrono::steady_clock::now();
    (void)std::async(std::launch::async, [] { std::this_thread::sleep_for(50ms); });
    auto waited = std::chrono::steady_clock::now() - t0;  // >= 50 ms
    //]
    check(waited >= 50ms, "std::async's future blocks in its destructor");
  }

  {
    //[migration_submit_destructor
    stm::tvar<bool> open{false};
    std::atomic<bool> finished{false};
    stm::thread_pool_executor ex{2};
    {
      stm::future<void> f = ex.submit([&] {
        stm::atomically([&] {
          if (!open.get()) stm::retry();
        });
        finished = true;
      });
    }  // returns at once: the task is still waiting for `open`, and runs on
    bool before = finished;  // false
    open.set(true);
    ex.shutdown();  // waits for every submitted task (so does ex's destructor)
    bool after = finished;   // true
    //]
    check(!before && after, "our future's destructor does not block or cancel");
  }

  if (failures == 0) std::printf("tutorial_migration: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
