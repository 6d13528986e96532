// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

//[hello
// A first program: a task on a thread pool waits, inside a transaction,
// until the balance can pay; the main thread's deposit wakes it.
#include <boost/stm.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include <cstdio>

namespace stm = boost::stm;

int main() {
  stm::tvar<int> balance{0};
  stm::thread_pool_executor ex{4};
  stm::future<int> paid = ex.submit([&] {
    return stm::atomically([&] {
      if (balance.get() < 100) stm::retry();  // sleeps until balance changes
      balance.set(balance.get() - 100);
      return 100;
    });
  });
  stm::atomically([&] { balance.set(balance.get() + 150); });
  int p = paid.get();
  std::printf("%d paid, %d left\n", p, balance.get());  // 100 paid, 50 left
  return p == 100 && balance.get() == 50 ? 0 : 1;
}
//]
