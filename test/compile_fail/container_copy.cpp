// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Transactional containers are not copyable (their identity is their tvars,
// as with tvar itself): share them by reference instead.
// expected-error: use of deleted function.*tqueue
#include <boost/stm/tqueue.hpp>

void consume(boost::stm::tqueue<int> q);  // by value: would need a copy

int main() {
  boost::stm::tqueue<int> q;
  consume(q);
}
