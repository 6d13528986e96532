// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Divide and conquer with futures: each call submits its halves to the same
// executor and waits for them. With std::async that costs a thread per
// call; on an executor the waiting task runs a half that no worker has
// started yet itself, in place, so even two workers never deadlock and
// never more than two threads run tasks.
//
//   migration_recursion [--quick]
#include <boost/stm.hpp>

#include <cstdio>
#include <cstring>
#include <functional>
#include <future>
#include <vector>

namespace stm = boost::stm;

namespace {

//[migration_recursion_async
int fib_async(int n) {
  if (n < 2) return n;
  auto a = std::async(std::launch::async, fib_async, n - 1);
  auto b = std::async(std::launch::async, fib_async, n - 2);
  return a.get() + b.get();
}
//]

//[migration_recursion
int fib(stm::thread_pool_executor& ex, int n) {
  if (n < 2) return n;
  auto a = ex.submit(fib, std::ref(ex), n - 1);
  auto b = ex.submit(fib, std::ref(ex), n - 2);
  return a.get() + b.get();  // a half still queued runs here, on this worker
}

// stm::wait and as_completed from a task do the same for the futures they wait on.
long sum_of_squares(stm::thread_pool_executor& ex, int n) {
  std::vector<stm::future<long>> parts;
  for (int i = 1; i <= n; ++i) parts.push_back(ex.submit([i] { return long(i) * i; }));
  stm::wait(parts);
  long s = 0;
  for (auto& p : parts) s += p.get();
  return s;
}
//]

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  int n = quick ? 16 : 22;
  int want = fib_async(quick ? 12 : 16);
  //[migration_recursion_use
  stm::thread_pool_executor two{2};
  int got = two.submit(fib, std::ref(two), n).get();
  //]
  long squares = two.submit(sum_of_squares, std::ref(two), 100).get();
  int small = two.submit(fib, std::ref(two), quick ? 12 : 16).get();
  std::printf("fib(%d) = %d on 2 workers; sum of squares 1..100 = %ld\n", n, got, squares);
  bool ok = small == want && squares == 338350 && got == (quick ? 987 : 17711);
  return ok ? 0 : 1;
}
