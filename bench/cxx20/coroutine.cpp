// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The cost of co_await against done callbacks, on the example of
// example/cxx20/coroutines.cpp: a chain of N tiny submits, each started
// when the previous one is done, written three ways on one
// thread_pool_executor with 2 workers:
//
//   1. a coroutine:     total += co_await ex.submit(f);  in a loop
//   2. done callbacks:  each callback adds the result and submits the next
//   3. then():          each continuation adds the result and submits the next
//
// and, for reference, 4. get() in a loop on the main thread (each step a
// round trip to a worker and back). Each contender runs >= 5 interleaved
// rounds; the table gives the median, min and max time per step and the
// ratio of medians to the callback version. Exits 0.
//
//   coroutine [--quick] [--rounds R] [--steps N]
#include <boost/stm.hpp>

#include "../common.hpp"
#include "../../example/cxx20/eager.hpp"

#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace stm = boost::stm;

namespace {

eager<long> coroutine_chain(stm::thread_pool_executor& ex, int n) {
  long total = 0;
  for (int i = 0; i < n; ++i) total += co_await ex.submit([i] { return long(i); });
  co_return total;
}

// The same chain with done callbacks (UseThen false: the continuation is
// the callback) or with then() (each continuation submits the next step).
template <bool UseThen>
struct chain {
  chain(stm::thread_pool_executor& e, int steps) : ex(e), n(steps) {}
  stm::thread_pool_executor& ex;
  int n;
  long total = 0;
  stm::tmvar<long> done;
  void step(int i) {
    if (i == n) return done.put(total);
    auto f = ex.submit([i] { return long(i); });
    if constexpr (UseThen) {
      (void)f.then([this, i](stm::future<long> g) {
        total += g.get();
        step(i + 1);
      });
    } else {
      f.add_done_callback([this, i](stm::future<long>& g) {
        total += g.get();
        step(i + 1);
      });
    }
  }
};

long get_loop(stm::thread_pool_executor& ex, int n) {
  long total = 0;
  for (int i = 0; i < n; ++i) total += ex.submit([i] { return long(i); }).get();
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5, steps = 20000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) steps = 2000;
    else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::atoi(argv[++i]);
  }
  if (rounds < 1) rounds = 1;
  const long want = long(steps) * (steps - 1) / 2;
  stm::thread_pool_executor ex{2};
  std::vector<double> co, cb, th, gl;
  bool ok = true;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = bench::clock_type::now();
    ok = ok && coroutine_chain(ex, steps).result->take() == want;
    co.push_back(bench::seconds_since(t0) / steps);

    t0 = bench::clock_type::now();
    chain<false> c{ex, steps};
    c.step(0);
    ok = ok && c.done.take() == want;
    cb.push_back(bench::seconds_since(t0) / steps);

    t0 = bench::clock_type::now();
    chain<true> t{ex, steps};
    t.step(0);
    ok = ok && t.done.take() == want;
    th.push_back(bench::seconds_since(t0) / steps);

    t0 = bench::clock_type::now();
    ok = ok && get_loop(ex, steps) == want;
    gl.push_back(bench::seconds_since(t0) / steps);
  }
  auto base = bench::summarize(cb).median;
  std::printf("| chain of %d submits, 2 workers | median us/step | min | max | vs callbacks |\n",
              steps);
  std::printf("|---|---|---|---|---|\n");
  auto row = [&](const char* name, const std::vector<double>& v) {
    bench::summary s = bench::summarize(v);
    std::printf("| %s | %.2f | %.2f | %.2f | %.2f |\n", name, s.median * 1e6, s.min * 1e6,
                s.max * 1e6, s.median / base);
  };
  row("co_await", co);
  row("add_done_callback", cb);
  row("then", th);
  row("get() on the main thread", gl);
  if (!ok) std::fprintf(stderr, "coroutine: a chain computed a wrong total\n");
  return ok ? 0 : 1;
}
