// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// shared_future::get() is [[nodiscard]].
// expected-error: ignoring return value.*get.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/future.hpp>

int main() {
  boost::stm::shared_future<int> f;
  f.get();
}
