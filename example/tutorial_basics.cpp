// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// STM tutorial, part 1: tvar, atomically, retry, consistent snapshots and
// nested transactions. Every snippet shown in the documentation's tutorial
// comes from here; the program checks its own results.
//
//   tutorial_basics [--quick]
#include <boost/stm.hpp>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_basics: check failed: %s\n", what);
    ++failures;
  }
}

//[tutorial_account
struct account {
  stm::tvar<long> balance{0};
};

// Both writes become visible together, or not at all. If `from` cannot
// pay, the transaction waits (retry) until some other commit changes a
// balance it read, then runs again.
void transfer(account& from, account& to, long amount) {
  stm::atomically([&] {
    long available = from.balance.get();
    if (available < amount) stm::retry();
    from.balance.set(available - amount);
    to.balance.set(to.balance.get() + amount);
  });
}
//]

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int rounds = quick ? 2000 : 20000;

  {
    //[tutorial_tvar
    stm::tvar<int> x{0};
    x.set(5);        // outside a transaction: a transaction of its own
    int v = x.get(); // outside a transaction: one consistent read

    stm::atomically([&] { x.set(x.get() + 1); });               // read, modify, write
    int doubled = stm::atomically([&] { return x.get() * 2; }); // the body's result
    int tripled = x.modify([](int old) { return old * 3; });    // the same, in one call
    //]
    check(v == 5, "a set outside a transaction is seen by the next get");
    check(doubled == 12, "atomically returns the body's result");
    check(tripled == 18 && x.get() == 18, "modify returns the new value");
  }

  {
    //[tutorial_bank
    const int n = 4;
    std::vector<account> accounts(n);
    for (account& a : accounts) a.balance.set(100);

    // Each thread moves money around the ring; an auditor sums the balances
    // in one transaction, so it always sees a state between two commits.
    std::vector<std::thread> movers;
    for (int t = 0; t < n; ++t)
      movers.emplace_back([&, t] {
        for (int i = 0; i < rounds; ++i) transfer(accounts[t], accounts[(t + 1) % n], 1 + i % 7);
      });
    long lowest = 400, highest = 400;
    for (int i = 0; i < 100; ++i) {
      long total = stm::atomically([&] {
        long sum = 0;
        for (account& a : accounts) sum += a.balance.get();
        return sum;
      });
      lowest = std::min(lowest, total);
      highest = std::max(highest, total);
    }
    for (std::thread& m : movers) m.join();
    //]
    long total = 0;
    for (account& a : accounts) total += a.balance.get();
    check(lowest == 400 && highest == 400, "every snapshot sees 400 in total");
    check(total == 400, "no money is created or lost");
  }

  {
    //[tutorial_retry
    stm::tvar<int> items{0};
    std::thread consumer([&] {
      for (int taken = 0; taken < 3; ++taken)
        stm::atomically([&] {
          int n = items.get();
          if (n == 0) stm::retry();  // sleeps until a commit writes `items`
          items.set(n - 1);
        });
    });
    for (int i = 0; i < 3; ++i) stm::atomically([&] { items.set(items.get() + 1); });
    consumer.join();
    //]
    check(items.get() == 0, "the consumer took every item");
  }

  {
    //[tutorial_nesting
    stm::tvar<int> a{0}, b{0};
    stm::atomically([&] {
      a.set(1);
      try {
        stm::atomically([&] {  // a nested transaction
          b.set(1);
          throw std::runtime_error("undo the inner transaction");
        });
      } catch (const std::runtime_error&) {
        // b's write was undone; a's is still part of the outer transaction
      }
      check(stm::in_transaction(), "still inside the outer transaction");
    });
    // a == 1, b == 0
    //]
    check(a.get() == 1 && b.get() == 0, "a nested exception undoes only the inner writes");
    check(!stm::in_transaction(), "outside any transaction");
  }

  {
    //[tutorial_exception
    stm::tvar<int> stock{10};
    try {
      stm::atomically([&] {
        stock.set(stock.get() - 20);
        if (stock.get() < 0) throw std::range_error("not enough stock");
      });
    } catch (const std::range_error&) {
      // the transaction was rolled back: stock is still 10
    }
    //]
    check(stock.get() == 10, "an exception rolls the transaction back");
  }

  {
    //[tutorial_usage_error
    try {
      stm::retry();  // outside a transaction: nothing to wait in
    } catch (const stm::usage_error& e) {
      std::printf("usage_error: %s\n", e.what());
    }
    //]
  }

  if (failures == 0) std::printf("tutorial_basics: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
