// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Thousands of blocking tasks on two OS threads. Each task waits, in a
// transaction, on its own tvar for its turn; while it waits only its fiber is
// suspended. The tasks then pass the turn along in order, each one writing
// the next one's tvar, so each hand-off wakes exactly one fiber (a shared
// "whose turn" tvar would wake all of them every time: the herd this library
// is built to avoid).
//
//   fibers [--quick] [--tasks N]
#include <boost/stm.hpp>
#include <boost/stm/fiber_executor.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace stm = boost::stm;

int main(int argc, char** argv) {
  std::size_t n = 5000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) n = 1000;
    else if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) n = std::strtoul(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: %s [--quick] [--tasks N]\n", argv[0]);
      return 2;
    }
  }

  //[fibers_baton
  stm::fiber_executor fx{/*threads=*/2};
  std::vector<stm::tvar<bool>> turn(n + 1);  // turn[i]: task i may go
  std::vector<stm::future<std::size_t>> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    order.push_back(fx.submit([&turn, i] {
      stm::atomically([&] { if (!turn[i].get()) stm::retry(); });  // suspends this fiber only
      turn[i + 1].set(true);                                          // wakes the next one
      return i;
    }));
  // Every task is now running and blocked, on two threads.
  stm::atomically([&] { if (fx.tasks_running() < n) stm::retry(); });
  std::printf("%zu tasks blocked on %zu threads\n", fx.tasks_running(), fx.threads());
  auto t0 = std::chrono::steady_clock::now();
  turn[0].set(true);  // a commit from this (non-fiber) thread starts the chain
  //]
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (order[i].get() != i) ++wrong;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("turn passed through %zu fibers in %.3f s (%.1f us per hand-off), %zu out of order\n",
              n, secs, secs * 1e6 / double(n), wrong);
  return wrong == 0 && turn[n].get() ? 0 : 1;
}
