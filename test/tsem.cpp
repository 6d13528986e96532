// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tsem
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tsem.hpp>
#include <boost/stm/tvar.hpp>

#include "container_helpers.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stm = boost::stm;

BOOST_AUTO_TEST_CASE(every_operation) {
  stm::tsem sem{2};
  BOOST_TEST(sem.count() == 2);
  sem.wait();
  BOOST_TEST(sem.try_wait());
  BOOST_TEST(!sem.try_wait());
  BOOST_TEST(sem.count() == 0);
  sem.signal();
  sem.signal(3);
  sem.signal(0);
  BOOST_TEST(sem.count() == 4);
  BOOST_CHECK_THROW(sem.signal(-1), std::invalid_argument);
  BOOST_TEST(sem.count() == 4);
  BOOST_TEST(stm::tsem{}.count() == 0);
}

// wait() through or_else against a plain counter.
BOOST_AUTO_TEST_CASE(matches_a_counter_under_random_operations) {
  std::mt19937 rng(7);
  stm::tsem sem{-3};
  std::ptrdiff_t model = -3;
  bool ok = true;
  for (int step = 0; step < 10000 && ok; ++step) {
    switch (rng() % 4) {
      case 0:
        ok = sem.try_wait() == (model > 0);
        if (model > 0) --model;
        break;
      case 1:
        ok = stm::or_else([&] { sem.wait(); return true; }, [] { return false; }) == (model > 0);
        if (model > 0) --model;
        break;
      case 2: {
        std::ptrdiff_t n = static_cast<std::ptrdiff_t>(rng() % 3);
        sem.signal(n);
        model += n;
        break;
      }
      default:
        // Signal and wait in one transaction: a wait may use what the
        // same transaction signalled (when that makes the count positive).
        if (model < 0) break;
        stm::atomically([&] {
          sem.signal();
          sem.wait();
        });
    }
    ok = ok && sem.count() == model;
  }
  BOOST_TEST(ok);
}

BOOST_AUTO_TEST_CASE(a_negative_count_needs_that_many_signals_more) {
  stm::tsem sem{-1};
  std::uint64_t before = stm::statistics().retries;
  std::thread waiter([&] { sem.wait(); });
  test_helpers::wait_for_retries(before);
  before = stm::statistics().retries;
  sem.signal();  // count 0: still blocked, so it waits once more
  test_helpers::wait_for_retries(before);
  sem.signal();
  waiter.join();
  BOOST_TEST(sem.count() == 0);
}

// At most `permits` threads hold the semaphore at once, and every permit
// comes back.
BOOST_AUTO_TEST_CASE(never_more_holders_than_permits_and_no_permit_lost) {
  const std::ptrdiff_t permits = 2;
  const int threads = 5;
  const int rounds = static_cast<int>(test_helpers::stress_size(2000));
  stm::tsem sem{permits};
  stm::tvar<int> holders{0};
  stm::tvar<int> most{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        auto enter = [&] {
          int h = holders.get() + 1;
          holders.set(h);
          most.set(std::max(most.get(), h));
        };
        if (t % 2) {
          sem.wait();
          stm::atomically(enter);
        } else {
          stm::atomically([&] {  // acquiring as part of a larger transaction
            sem.wait();
            enter();
          });
        }
        holders.modify([](int h) { return h - 1; });
        sem.signal();
      }
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(most.get() <= permits);
  BOOST_TEST(most.get() >= 1);
  BOOST_TEST(holders.get() == 0);
  BOOST_TEST(sem.count() == permits);
}

// Producers signal n at a time, consumers wait one at a time: what was
// signalled is what was waited for, plus what is left.
BOOST_AUTO_TEST_CASE(signals_of_n_are_all_consumed) {
  const int producers = 2, consumers = 3;
  const int per_producer = static_cast<int>(test_helpers::stress_size(3000));
  stm::tsem sem;
  std::vector<long> taken(consumers, 0);
  stm::tvar<bool> stop{false};
  std::vector<std::thread> ts;
  for (int c = 0; c < consumers; ++c)
    ts.emplace_back([&, c] {
      for (;;) {
        bool got = stm::atomically([&] {
          return stm::or_else([&] { sem.wait(); return true; },
                              [&] { stm::check(stop.get()); return false; });
        });
        if (!got) return;
        ++taken[static_cast<std::size_t>(c)];
      }
    });
  for (int p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      int left = per_producer;
      for (std::ptrdiff_t n = 1 + p; left > 0; n = n % 4 + 1) {
        std::ptrdiff_t k = std::min<std::ptrdiff_t>(n, left);
        sem.signal(k);
        left -= static_cast<int>(k);
      }
    });
  for (int p = 0; p < producers; ++p) ts[static_cast<std::size_t>(consumers + p)].join();
  stop.set(true);
  for (int c = 0; c < consumers; ++c) ts[static_cast<std::size_t>(c)].join();
  long total = 0;
  for (long t : taken) total += t;
  BOOST_TEST(total + sem.count() == static_cast<long>(producers) * per_producer);
  BOOST_TEST(sem.count() == 0);  // or_else tries wait() first: nothing is left behind
}
