// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// future::share() is [[nodiscard]]: it empties the future, so a dropped
// result loses the only handle to the task.
// expected-error: ignoring return value.*share.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/future.hpp>

int main() {
  boost::stm::future<int> f;
  f.share();
}
