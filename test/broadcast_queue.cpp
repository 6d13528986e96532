// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE broadcast_queue
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/broadcast_queue.hpp>
#include <boost/stm/stats.hpp>

#include "container_helpers.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using test_helpers::counted;

BOOST_AUTO_TEST_CASE(every_endpoint_sees_every_later_item) {
  stm::broadcast_queue<int> q;
  q.put(0);  // no endpoint yet: nobody sees it
  stm::broadcast_endpoint<int> a = q.new_endpoint();
  q.put(1);
  stm::broadcast_endpoint<int> b = q.new_endpoint();
  q.put(2);
  BOOST_TEST(a.remaining() == 2u);
  BOOST_TEST(b.remaining() == 1u);
  BOOST_TEST(a.get() == 1);
  BOOST_TEST(a.get() == 2);
  BOOST_TEST(b.get() == 2);
  BOOST_TEST(a.empty());
  BOOST_TEST(b.empty());
  BOOST_TEST(!a.try_get());
  BOOST_TEST(!a.try_peek());
  BOOST_TEST(a.remaining() == 0u);
}

BOOST_AUTO_TEST_CASE(peek_does_not_consume) {
  stm::broadcast_queue<std::string> q;
  auto e = q.new_endpoint();
  q.put("x");
  BOOST_TEST(e.peek() == "x");
  BOOST_TEST(*e.try_peek() == "x");
  BOOST_TEST(e.remaining() == 1u);
  BOOST_TEST(*e.try_get() == "x");
  BOOST_TEST(e.empty());
}

BOOST_AUTO_TEST_CASE(replace_pushes_back_for_this_endpoint_only) {
  stm::broadcast_queue<int> q;
  auto a = q.new_endpoint();
  auto b = q.new_endpoint();
  a.replace(10);  // before anything was put
  BOOST_TEST(a.remaining() == 1u);
  BOOST_TEST(b.remaining() == 0u);
  q.put(1);
  a.replace(11);
  BOOST_TEST(a.remaining() == 3u);
  BOOST_TEST(a.get() == 11);
  BOOST_TEST(a.get() == 10);
  BOOST_TEST(a.get() == 1);
  BOOST_TEST(b.get() == 1);
  // Taking an item and putting it back leaves things as they were.
  q.put(2);
  stm::atomically([&] { a.replace(a.get()); });
  BOOST_TEST(a.remaining() == 1u);
  BOOST_TEST(a.get() == 2);
}

BOOST_AUTO_TEST_CASE(duplicate_has_its_own_cursor_copies_share_one) {
  stm::broadcast_queue<int> q;
  auto a = q.new_endpoint();
  q.put(1);
  q.put(2);
  a.replace(0);
  auto d = a.duplicate();
  auto shared = a;  // a copy of the handle: same cursor
  BOOST_TEST(d.remaining() == 3u);
  BOOST_TEST(shared.get() == 0);
  BOOST_TEST(a.get() == 1);
  BOOST_TEST(a.remaining() == 1u);
  BOOST_TEST(shared.remaining() == 1u);
  BOOST_TEST(d.get() == 0);
  BOOST_TEST(d.get() == 1);
  BOOST_TEST(d.get() == 2);
  BOOST_TEST(a.get() == 2);
}

BOOST_AUTO_TEST_CASE(endpoints_outlive_the_queue) {
  std::optional<stm::broadcast_endpoint<int>> e;
  {
    stm::broadcast_queue<int> q;
    e = q.new_endpoint();
    q.put(5);
  }
  BOOST_TEST(e->remaining() == 1u);
  BOOST_TEST(e->get() == 5);
  BOOST_TEST(e->empty());
}

BOOST_AUTO_TEST_CASE(exception_rolls_back) {
  stm::broadcast_queue<int> q;
  auto e = q.new_endpoint();
  q.put(1);
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      q.put(2);
                      BOOST_TEST(e.get() == 1);
                      e.replace(7);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(e.remaining() == 1u);
  BOOST_TEST(e.get() == 1);
  BOOST_TEST(e.empty());
  // A nested transaction that throws undoes only itself.
  stm::atomically([&] {
    q.put(3);
    try {
      stm::atomically([&] {
        BOOST_TEST(e.get() == 3);
        q.put(4);
        throw boom{};
      });
    } catch (const boom&) {
    }
  });
  BOOST_TEST(e.remaining() == 1u);
  BOOST_TEST(e.get() == 3);
}

BOOST_AUTO_TEST_CASE(or_else_takes_from_the_first_endpoint_with_an_item) {
  stm::broadcast_queue<int> q1, q2;
  auto a = q1.new_endpoint();
  auto b = q2.new_endpoint();
  auto either = [&] {
    return stm::atomically([&] {
      return stm::or_else([&] { return a.get(); },
                          [&] { return stm::or_else([&] { return b.get(); }, [] { return -1; }); });
    });
  };
  BOOST_TEST(either() == -1);
  q2.put(2);
  BOOST_TEST(either() == 2);
  q1.put(1);
  q2.put(3);
  BOOST_TEST(either() == 1);
  BOOST_TEST(either() == 3);
  BOOST_TEST(either() == -1);
}

BOOST_AUTO_TEST_CASE(get_blocks_until_a_put) {
  stm::broadcast_queue<int> q;
  auto e1 = q.new_endpoint();
  auto e2 = q.new_endpoint();
  std::uint64_t before = stm::statistics().retries;
  int got1 = 0, got2 = 0;
  std::thread t1([&] { got1 = e1.get(); });
  std::thread t2([&] { got2 = e2.peek(); });
  test_helpers::wait_for_retries(before, 2);  // both asleep in retry()
  q.put(42);
  t1.join();
  t2.join();
  BOOST_TEST(got1 == 42);
  BOOST_TEST(got2 == 42);
  BOOST_TEST(e2.remaining() == 1u);
}

BOOST_AUTO_TEST_CASE(retry_across_two_endpoints_wakes_on_either) {
  stm::broadcast_queue<int> q1, q2;
  auto a = q1.new_endpoint();
  auto b = q2.new_endpoint();
  std::uint64_t before = stm::statistics().retries;
  int got = 0;
  std::thread t([&] {
    got = stm::atomically([&] { return stm::or_else([&] { return a.get(); }, [&] { return b.get(); }); });
  });
  test_helpers::wait_for_retries(before);
  q2.put(9);
  t.join();
  BOOST_TEST(got == 9);
}

BOOST_AUTO_TEST_CASE(consumed_items_are_reclaimed) {
  const long n = 1000000;
  long start_live = counted::live();
  long peak = 0;
  long rss_before = 0;
  {
    stm::broadcast_queue<counted> q;
    auto e = q.new_endpoint();
    for (long i = 0; i < n; ++i) {
      q.put(counted(static_cast<int>(i)));
      if (e.get().value != static_cast<int>(i)) {
        BOOST_TEST(false, "item " << i << " out of order");
        break;
      }
      peak = std::max(peak, counted::live() - start_live);
      if (i == n / 10) rss_before = test_helpers::rss_bytes();
    }
  }
  long rss_after = test_helpers::rss_bytes();
  BOOST_TEST_MESSAGE("peak live items " << peak << ", RSS " << rss_before << " -> " << rss_after);
  // What the epoch scheme holds back for a few batches, never the stream.
  BOOST_TEST(peak < 20000);
#if !defined(__SANITIZE_ADDRESS__)  // ASan's quarantine keeps freed memory resident
  BOOST_TEST(rss_after - rss_before < 32L * 1024 * 1024);
#endif
}

BOOST_AUTO_TEST_CASE(long_chains_are_destroyed_without_recursion) {
  const int n = 1000000;
  long start_live = counted::live();
  {
    stm::broadcast_queue<counted> q;
    auto e = q.new_endpoint();
    auto d = e.duplicate();
    for (int i = 0; i < n; ++i) q.put(counted(i));
    BOOST_TEST(e.remaining() == static_cast<std::size_t>(n));
    // Recursion of depth n would overflow this thread's stack.
    std::thread([e = std::move(e)]() mutable { auto gone = std::move(e); }).join();
    BOOST_TEST(d.remaining() == static_cast<std::size_t>(n));
  }  // the queue and the last endpoint go with a million unread items
  test_helpers::flush_reclamation();
  BOOST_TEST(counted::live() - start_live < 20000);
}

BOOST_AUTO_TEST_CASE(many_producers_and_consumers_lose_and_duplicate_nothing) {
  const int producers = 3, consumers = 3;
  const int per_producer = 2000 * test_helpers::stress();
  stm::broadcast_queue<int> q;
  auto work = q.new_endpoint();        // shared by the consumers
  auto audit = q.new_endpoint();       // sees everything, in per-producer order
  std::vector<std::vector<int>> got(consumers);
  std::vector<std::thread> ts;
  for (int c = 0; c < consumers; ++c)
    ts.emplace_back([&, c, e = work] () mutable {
      for (;;) {
        int v = e.get();
        if (v < 0) return;
        got[c].push_back(v);
      }
    });
  for (int p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      for (int i = 0; i < per_producer; ++i) {
        if (i % 3 == 0) {
          // Two items in one transaction: they stay adjacent for every reader.
          stm::atomically([&] {
            q.put(p * per_producer + i);
            if (i + 1 < per_producer) q.put(p * per_producer + i + 1);
          });
          ++i;
        } else {
          q.put(p * per_producer + i);
        }
      }
    });
  for (int p = 0; p < producers; ++p) ts[consumers + p].join();
  for (int c = 0; c < consumers; ++c) q.put(-1);
  for (int c = 0; c < consumers; ++c) ts[c].join();

  std::vector<int> all;
  for (auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  std::vector<int> want(static_cast<std::size_t>(producers * per_producer));
  std::iota(want.begin(), want.end(), 0);
  BOOST_TEST(all == want);

  BOOST_TEST(audit.remaining() == static_cast<std::size_t>(producers * per_producer + consumers));
  std::vector<int> last(producers, -1);
  bool ordered = true;
  while (auto v = audit.try_get()) {
    if (*v < 0) continue;
    int p = *v / per_producer;
    if (*v <= last[p]) ordered = false;
    last[p] = *v;
  }
  BOOST_TEST(ordered);
  BOOST_TEST(audit.remaining() == 0u);
}
