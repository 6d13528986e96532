// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// future::get() is [[nodiscard]] (get() of a future<void> is not: it is how
// one waits and sees the task's exception).
// expected-error: ignoring return value.*get.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/future.hpp>

int main() {
  boost::stm::future<int> f;
  f.get();
}
