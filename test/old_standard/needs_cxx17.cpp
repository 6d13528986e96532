// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Compiled with -std=c++14 by test/old_standard/check.cmake: the library must
// stop at one #error that names the standard it needs.
#include <boost/stm.hpp>

int main() {
  boost::stm::tvar<int> x{0};
  return boost::stm::atomically([&] { return x.get(); });
}
