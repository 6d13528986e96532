// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// map() is [[nodiscard]]: dropping its result cancels every task not yet
// started, so a discarded map() silently does (almost) nothing.
// expected-error: ignoring return value.*map.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/thread_pool_executor.hpp>

#include <vector>

int main() {
  boost::stm::thread_pool_executor ex{1};
  std::vector<int> in{1, 2, 3};
  ex.map([](int i) { return i; }, in);
}
