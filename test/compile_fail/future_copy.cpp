// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A future is move-only, like std::future (get() may be called once): use
// share() for a copyable shared_future.
// expected-error: use of deleted function.*future
#include <boost/stm/future.hpp>

int main() {
  boost::stm::future<int> f;
  boost::stm::future<int> g = f;
  (void)g;
}
