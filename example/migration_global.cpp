// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// std::async needs no object to submit to; a function moved to an executor
// that has no executor parameter can use one global executor. It may be a
// namespace-scope (or function-local) static: it is destroyed after main
// returns, waiting for the work still submitted, and never touches what
// was destroyed before it.
//
//   migration_global [--quick]
#include <boost/stm.hpp>

#include <cstdio>
#include <cstring>
#include <numeric>
#include <vector>

namespace stm = boost::stm;

//[migration_global
namespace app {

// One executor for the whole program, made at first use.
stm::thread_pool_executor& executor() {
  static stm::thread_pool_executor ex{4};
  return ex;
}

// Was: return std::async(std::launch::async, sum_range, v, begin, end);
stm::future<long> sum_async(const std::vector<int>& v, std::size_t begin, std::size_t end) {
  return executor().submit([&v, begin, end] {
    return std::accumulate(v.begin() + static_cast<long>(begin), v.begin() + static_cast<long>(end),
                           0L);
  });
}

}  // namespace app
//]

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  std::vector<int> v(quick ? 10000 : 1000000);
  std::iota(v.begin(), v.end(), 1);
  std::size_t half = v.size() / 2;
  stm::future<long> a = app::sum_async(v, 0, half);
  stm::future<long> b = app::sum_async(v, half, v.size());
  long sum = a.get() + b.get();
  long n = static_cast<long>(v.size());
  std::printf("sum of 1..%ld = %ld\n", n, sum);
  return sum == n * (n + 1) / 2 ? 0 : 1;
}
