// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Transactional threads and the thread pool. Every snippet shown in the
// documentation's "Threads and the thread pool" page comes from here; the
// program checks its own results.
//
//   tutorial_threads [--quick]
#include <boost/stm.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <tuple>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_threads: check failed: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int tasks = quick ? 200 : 2000;

  {
    //[threads_start_on_commit
    stm::tvar<int> result{0};
    stm::thread t{[&] { result.set(42); }};
    stm::atomically([&] {
      t.start();  // runs only if, and after, this transaction commits
    });
    // Transactions can wait for a thread like for anything else:
    stm::atomically([&] {
      if (t.state() != stm::thread_state::finished) stm::retry();
    });
    t.join();
    //]
    check(result.get() == 42, "the thread ran after the commit");
  }

  {
    //[threads_start_aborted
    bool ran = false;
    stm::thread t{[&] { ran = true; }};
    try {
      stm::atomically([&] {
        t.start();
        throw std::runtime_error("changed my mind");
      });
    } catch (const std::runtime_error&) {
    }
    // The transaction rolled back, so the thread never started.
    stm::thread_state s = t.state();  // thread_state::created
    //]
    check(!ran && s == stm::thread_state::created, "an aborted start never runs");
  }

  {
    //[threads_pool
    stm::thread_pool pool{/*max_threads=*/8, /*keep_alive=*/std::chrono::seconds(1)};
    stm::tvar<int> done{0};
    for (int i = 0; i < tasks; ++i)
      pool.schedule([&] { done.modify([](int d) { return d + 1; }); });
    pool.join();  // until every scheduled task has finished
    //]
    check(done.get() == tasks, "every task ran");

    //[threads_pool_stats
    // Transactional reads: inside one transaction they are consistent with
    // each other (and with any tvar a task wrote in the same commit).
    auto [scheduled, finished, remaining, live, idle] = stm::atomically([&] {
      return std::make_tuple(pool.tasks_scheduled(), pool.tasks_finished(),
                             pool.tasks_remaining(), pool.live_threads(), pool.free_threads());
    });
    std::printf("%zu scheduled, %zu finished, %zu remaining, %zu live, %zu free\n", scheduled,
                finished, remaining, live, idle);
    //]
    check(scheduled == finished && remaining == 0 && live <= 8 && idle <= live,
          "pool counters are consistent");
  }

  {
    //[threads_pool_in_transaction
    stm::thread_pool pool{2};
    stm::tvar<int> orders{0};
    stm::tvar<int> shipped{0};
    stm::atomically([&] {
      orders.set(orders.get() + 1);
      // Scheduled only if this transaction commits, together with the order.
      pool.schedule([&] { shipped.modify([](int s) { return s + 1; }); });
    });
    pool.join();
    //]
    check(shipped.get() == 1, "a task scheduled in a committed transaction ran");
  }

  {
    //[threads_pool_served_list
    stm::tlist<stm::task> work;  // any task list can feed a pool
    stm::thread_pool served{work, /*max_threads=*/4};
    stm::tvar<int> count{0};
    stm::atomically([&] {
      for (int i = 0; i < 10; ++i) work.push_back([&] { count.modify([](int c) { return c + 1; }); });
    });  // workers spin up by themselves: a watcher sees the list grow
    served.join();
    //]
    check(count.get() == 10, "a pool serves the list it was given");
  }

  {
    //[threads_pool_options
    stm::thread_pool::options o;
    o.max_threads = 4;
    o.keep_alive = std::chrono::milliseconds(200);
    o.thread_name_prefix = "render";  // OS threads render_0, render_1, ...
    o.initializer = [] { /* per-thread set-up, before the first task */ };
    stm::thread_pool pool{o};
    //]
    pool.schedule([] {});
    pool.join();
    check(pool.tasks_finished() == 1 && pool.max_threads() == 4, "a pool made from options");
  }

  if (failures == 0) std::printf("tutorial_threads: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
