// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// submit() is [[nodiscard]]: a dropped future can neither be waited for nor
// cancelled. Keep it (auto f = ex.submit(...)), or write (void) to say so.
// expected-error: ignoring return value.*submit.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/thread_pool_executor.hpp>

int main() {
  boost::stm::thread_pool_executor ex{1};
  ex.submit([] { return 1; });
}
