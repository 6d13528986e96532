// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Divide and conquer on an executor: fib(n) where every call submits its
// two halves and waits for them (the recursion of the executors' docs,
// "Waiting from inside a task"). On thread_pool_executor and fiber_executor
// a get() of a task still queued runs it in place on the waiting worker;
// against std::async (a thread per call) and, if oneTBB was found at build
// time, tbb::task_group (work stealing, the waiter helps).
//
// Each contender runs once per round, rounds interleaved; every result is
// checked (fib(25) = 75025). Prints a markdown table.
//
//   recursion [--quick] [--threads N] [--rounds R] [--n N]
#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include "common.hpp"

#if defined(BOOST_STM_HAVE_TBB)
#include <tbb/global_control.h>
#include <tbb/task_group.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <string>
#include <system_error>
#include <vector>

namespace stm = boost::stm;

namespace {

long fib_serial(int n) { return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2); }

template <class Ex>
long fib_on(Ex& ex, int n) {
  if (n < 2) return n;
  auto a = ex.submit(fib_on<Ex>, std::ref(ex), n - 1);
  auto b = ex.submit(fib_on<Ex>, std::ref(ex), n - 2);
  return a.get() + b.get();
}

long fib_async(int n) {
  if (n < 2) return n;
  auto a = std::async(std::launch::async, fib_async, n - 1);
  auto b = std::async(std::launch::async, fib_async, n - 2);
  return a.get() + b.get();
}

#if defined(BOOST_STM_HAVE_TBB)
long fib_tbb(int n) {
  if (n < 2) return n;
  long a = 0, b = 0;
  tbb::task_group g;
  g.run([&] { a = fib_tbb(n - 1); });
  g.run([&] { b = fib_tbb(n - 2); });
  g.wait();
  return a + b;
}
#endif

struct contender {
  std::string name;
  std::function<long()> run;
  std::vector<double> ms;
  std::string failed;  // why it could not finish (std::async: out of threads)
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5, n = 25, threads = 2;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(5, std::atoi(argv[++i]));
    } else if (a == "--n" && i + 1 < argc) {
      n = std::max(2, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--threads N] [--rounds R] [--n N]\n", argv[0]);
      return 2;
    }
  }
  // --quick: fewer calls, but the same shape (std::async's thread per call
  // is the slow one: 2 * fib(n + 1) - 1 threads).
  if (quick) n = std::min(n, 20);
  const long expected = fib_serial(n);
  auto uthreads = static_cast<std::size_t>(threads);

  stm::thread_pool_executor pool{uthreads};
  stm::fiber_executor fibers{uthreads};
#if defined(BOOST_STM_HAVE_TBB)
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, uthreads);
#endif
  std::vector<contender> cs;
  cs.push_back({"thread_pool_executor",
                [&] {
                  return pool.submit(fib_on<stm::thread_pool_executor>, std::ref(pool), n).get();
                },
                {}, {}});
  cs.push_back({"fiber_executor",
                [&] {
                  return fibers.submit(fib_on<stm::fiber_executor>, std::ref(fibers), n).get();
                },
                {}, {}});
  cs.push_back({"std::async", [&] { return fib_async(n); }, {}, {}});
#if defined(BOOST_STM_HAVE_TBB)
  cs.push_back({"tbb::task_group", [&] { return fib_tbb(n); }, {}, {}});
#endif
  cs.push_back({"serial (no tasks)", [&] { return fib_serial(n); }, {}, {}});

  for (int r = 0; r < rounds; ++r)
    for (contender& c : cs) {
      if (!c.failed.empty()) continue;
      auto t0 = bench::clock_type::now();
      long got = 0;
      try {
        got = c.run();
      } catch (const std::system_error& e) {
        // std::async's thread per call: fib(25) has thousands alive at once.
        c.failed = std::string("failed: ") + e.what();
        continue;
      }
      c.ms.push_back(bench::seconds_since(t0) * 1e3);
      if (got != expected) {
        std::fprintf(stderr, "%s: fib(%d) = %ld, expected %ld\n", c.name.c_str(), n, got, expected);
        return 1;
      }
    }

  long calls = 2 * fib_serial(n + 1) - 1;
  std::printf("## Recursive submit + get: fib(%d) = %ld, %ld tasks, %d workers\n\n", n, expected,
              calls, threads);
  std::printf("Every call submits both halves and waits for them; %d interleaved rounds, "
              "median (min-max).\n\n",
              rounds);
  std::printf("| contender | ms | us per task |\n|---|---|---|\n");
  for (contender& c : cs) {
    if (!c.failed.empty()) {
      std::printf("| %s | %s | - |\n", c.name.c_str(), c.failed.c_str());
      continue;
    }
    bench::summary s = bench::summarize(c.ms);
    std::vector<double> per;
    for (double m : c.ms) per.push_back(m * 1e3 / double(calls));
    std::printf("| %s | %s | %s |\n", c.name.c_str(), bench::cell(s).c_str(),
                bench::cell(bench::summarize(per), "%.2f").c_str());
  }
#if !defined(BOOST_STM_HAVE_TBB)
  std::printf("\n(oneTBB not found at build time: no tbb::task_group row.)\n");
#endif
  return 0;
}
