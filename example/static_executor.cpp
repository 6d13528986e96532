// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// An executor with static storage duration, like Python's module-level
// executor: it is destroyed after main returns, after the main thread's
// thread-locals are gone, and its destructor still waits for the work
// submitted and joins its threads. The watcher and the container beside it
// go at the same time. The process exits 0, with nothing leaked (the
// sanitizer and valgrind builds check it when this runs as a test).
//
//   static_executor [--quick]
#include <boost/stm.hpp>

#include <iostream>
#include <string>

namespace stm = boost::stm;

//[static_executor
static stm::tvar<std::string> last{""};
static stm::tlist<std::string> log_lines;
static stm::thread_pool_executor ex{2};  // last: destroyed first, while its tasks' tvars live

int main() {
  static stm::watch_handle h = stm::atomically([] {
    return stm::watch([] { return last.get(); },
                      [](const std::string& s) { log_lines.push_back(s); });
  });
  stm::future<std::string> f = ex.submit([] {
    last.set("written by a task");
    return last.get();
  });
  std::cout << f.get() << '\n';
  stm::future<void> pending = ex.submit([] { last.set("maybe still running when main returns"); });
  return 0;  // ex's destructor waits for that task, then joins its threads
}
//]
