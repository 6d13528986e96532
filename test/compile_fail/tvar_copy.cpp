// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A tvar is neither copyable nor movable: transactions, waiters and
// watchers refer to it by address. Share it by reference, or hold it in a
// std::shared_ptr.
// expected-error: use of deleted function.*tvar
#include <boost/stm/tvar.hpp>

int main() {
  boost::stm::tvar<int> a{1};
  boost::stm::tvar<int> b = a;
  (void)b;
}
