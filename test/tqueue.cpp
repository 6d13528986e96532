// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tqueue
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tqueue.hpp>

#include "container_helpers.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using test_helpers::counted;

BOOST_AUTO_TEST_CASE(every_operation) {
  stm::tqueue<int> q;
  BOOST_TEST(q.empty());
  BOOST_TEST(q.size() == 0u);
  BOOST_TEST(q.capacity() == stm::tqueue<int>::unbounded);
  BOOST_TEST(!q.try_pop());
  BOOST_TEST(!q.try_peek());
  q.push(1);
  q.push(2);
  BOOST_TEST(q.try_push(3));
  BOOST_TEST(q.size() == 3u);
  BOOST_TEST(!q.empty());
  BOOST_TEST(q.peek() == 1);
  BOOST_TEST(q.pop() == 1);
  q.push(4);
  BOOST_TEST(*q.try_peek() == 2);
  BOOST_TEST(*q.try_pop() == 2);
  BOOST_TEST(q.pop() == 3);
  BOOST_TEST(q.pop() == 4);
  BOOST_TEST(!q.try_pop());
  q.push(5);
  q.clear();
  BOOST_TEST(q.empty());

  stm::tqueue<std::string> s;
  std::string a = "a";
  BOOST_TEST(s.try_push(std::move(a)));
  s.push("b");
  BOOST_TEST(s.pop() == "a");
  BOOST_TEST(s.pop() == "b");
}

BOOST_AUTO_TEST_CASE(bounded_queue) {
  BOOST_CHECK_THROW(stm::tqueue<int>(0), std::invalid_argument);
  stm::tqueue<std::string> q(2);
  BOOST_TEST(q.capacity() == 2u);
  BOOST_TEST(q.try_push("a"));
  q.push("b");
  std::string c = "c";
  BOOST_TEST(!q.try_push(std::move(c)));
  BOOST_TEST(c == "c");  // a refused value is left where it was
  BOOST_TEST(q.size() == 2u);
  BOOST_TEST(q.pop() == "a");
  BOOST_TEST(q.try_push(std::move(c)));
  BOOST_TEST(!q.try_push("d"));
  q.clear();
  BOOST_TEST(q.try_push("e"));
  BOOST_TEST(q.try_push("f"));
  BOOST_TEST(!q.try_push("g"));
  BOOST_TEST(q.pop() == "e");
  BOOST_TEST(q.pop() == "f");
}

BOOST_AUTO_TEST_CASE(matches_a_deque_under_random_operations) {
  for (std::size_t cap : {std::size_t(0), std::size_t(1), std::size_t(3), std::size_t(20)}) {
    std::mt19937 rng(static_cast<unsigned>(cap));
    auto q = cap ? std::make_unique<stm::tqueue<int>>(cap) : std::make_unique<stm::tqueue<int>>();
    std::deque<int> model;
    bool ok = true;
    for (int step = 0; step < 5000 && ok; ++step) {
      switch (rng() % 8) {
        case 0:
        case 1: {
          bool room = !cap || model.size() < cap;
          ok = q->try_push(step) == room;
          if (room) model.push_back(step);
          break;
        }
        case 2: {
          auto v = q->try_pop();
          ok = model.empty() ? !v : (v && *v == model.front());
          if (!model.empty()) model.pop_front();
          break;
        }
        case 3: {
          auto v = q->try_peek();
          ok = model.empty() ? !v : (v && *v == model.front());
          break;
        }
        case 5: {
          // flush() takes everything, oldest first, and empties the queue;
          // drawn less often than pushes, so that queues grow between flushes.
          if (rng() % 4) break;
          std::vector<int> all = q->flush();
          ok = all == std::vector<int>(model.begin(), model.end());
          model.clear();
          break;
        }
        case 6: {
          // unget() retries on a full bounded queue: or_else says whether it did.
          bool room = !cap || model.size() < cap;
          bool put = stm::or_else([&] { q->unget(step); return true; }, [] { return false; });
          ok = put == room;
          if (room) model.push_front(step);
          break;
        }
        case 7:
          ok = q->full() == (cap && model.size() == cap);
          break;
        default:
          // Several operations in one transaction.
          stm::atomically([&] {
            if (q->try_push(-step)) model.push_back(-step);
            if (auto v = q->try_pop()) {
              ok = ok && *v == model.front();
              model.pop_front();
            }
          });
      }
      ok = ok && q->size() == model.size();
    }
    BOOST_TEST(ok, "capacity " << cap);
  }
}

BOOST_AUTO_TEST_CASE(exception_rolls_back) {
  stm::tqueue<int> q(3);
  q.push(1);
  q.push(2);
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      q.push(3);
                      BOOST_TEST(q.pop() == 1);
                      BOOST_TEST(q.pop() == 2);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(q.size() == 2u);
  stm::atomically([&] {
    q.push(3);
    try {
      stm::atomically([&] {
        q.pop();
        q.pop();
        throw boom{};
      });
    } catch (const boom&) {
    }
    BOOST_TEST(!q.try_push(4));  // the inner pops were undone: still full
  });
  BOOST_TEST(q.pop() == 1);
  BOOST_TEST(q.pop() == 2);
  BOOST_TEST(q.pop() == 3);
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(or_else_pops_from_the_first_nonempty_queue) {
  stm::tqueue<int> a, b;
  auto pop_either = [&] {
    return stm::atomically([&] {
      return stm::or_else([&] { return a.pop(); },
                          [&] { return stm::or_else([&] { return b.pop(); }, [] { return -1; }); });
    });
  };
  BOOST_TEST(pop_either() == -1);
  b.push(2);
  a.push(1);
  BOOST_TEST(pop_either() == 1);
  BOOST_TEST(pop_either() == 2);
  BOOST_TEST(pop_either() == -1);
}

BOOST_AUTO_TEST_CASE(pop_blocks_until_a_push_and_push_until_a_pop) {
  stm::tqueue<int> q(1);
  std::uint64_t before = stm::statistics().retries;
  int got = 0;
  std::thread consumer([&] { got = q.pop(); });
  test_helpers::wait_for_retries(before);
  q.push(1);
  consumer.join();
  BOOST_TEST(got == 1);

  q.push(2);  // full now
  before = stm::statistics().retries;
  std::thread producer([&] { q.push(3); });
  test_helpers::wait_for_retries(before);
  BOOST_TEST(q.pop() == 2);
  producer.join();
  BOOST_TEST(q.pop() == 3);
}

BOOST_AUTO_TEST_CASE(flush_unget_and_full) {
  stm::tqueue<int> q(3);
  BOOST_TEST(q.flush().empty());
  BOOST_TEST(!q.full());
  q.push(1);
  q.push(2);
  q.unget(0);  // in front of 1
  BOOST_TEST(q.full());
  BOOST_TEST(!q.try_push(9));
  BOOST_TEST((q.flush() == std::vector<int>{0, 1, 2}));
  BOOST_TEST(q.empty());
  BOOST_TEST(!q.full());
  // Flushing gave back all three places: three pushes fit again, a fourth does not.
  BOOST_TEST(q.try_push(3));
  BOOST_TEST(q.try_push(4));
  BOOST_TEST(q.try_push(5));
  BOOST_TEST(!q.try_push(6));
  BOOST_TEST(q.pop() == 3);
  q.unget(7);
  BOOST_TEST(q.pop() == 7);
  BOOST_TEST(q.pop() == 4);

  stm::tqueue<int> unbounded;
  for (int i = 0; i < 100; ++i) unbounded.push(i);
  BOOST_TEST(!unbounded.full());
  unbounded.unget(-1);
  std::vector<int> all = unbounded.flush();
  BOOST_TEST(all.size() == 101u);
  BOOST_TEST(all.front() == -1);
  BOOST_TEST(all.back() == 99);
}

BOOST_AUTO_TEST_CASE(unget_blocks_on_a_full_bounded_queue_until_a_pop) {
  stm::tqueue<int> q(1);
  q.push(1);
  std::uint64_t before = stm::statistics().retries;
  std::thread t([&] { q.unget(0); });
  test_helpers::wait_for_retries(before);
  BOOST_TEST(q.pop() == 1);
  t.join();
  BOOST_TEST(q.pop() == 0);
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(push_and_pop_touch_different_tvars) {
  // While the read end has items, pops and pushes never conflict.
  const int n = 5000 * test_helpers::stress();
  stm::tqueue<int> q;
  for (int i = 0; i < 2 * n; ++i) q.push(i);
  BOOST_TEST(q.pop() == 0);  // moves everything to the read end
  const stm::stats s0 = stm::statistics();
  bool ordered = true;
  std::thread consumer([&] {
    for (int i = 1; i < n; ++i) ordered = ordered && q.pop() == i;
  });
  std::thread producer([&] {
    for (int i = 0; i < n; ++i) q.push(2 * n + i);
  });
  consumer.join();
  producer.join();
  const stm::stats s1 = stm::statistics();
  BOOST_TEST(ordered);
  BOOST_TEST(s1.restarts - s0.restarts == 0u);
  BOOST_TEST(q.size() == static_cast<std::size_t>(2 * n));
}

BOOST_AUTO_TEST_CASE(long_queues_are_destroyed_without_recursion) {
  const int n = 1000000;
  long start_live = counted::live();
  {
    stm::tqueue<counted> q;
    for (int i = 0; i < n; ++i) q.push(counted(i));
    // The rest move to the read end; the old write end's list is freed by
    // the epoch scheme, the read end's with the queue.
    BOOST_TEST(q.pop().value == 0);
    BOOST_TEST(q.size() == static_cast<std::size_t>(n - 1));
  }
  test_helpers::flush_reclamation();
  BOOST_TEST(counted::live() - start_live < 20000);
}

template <class Queue>
void producers_and_consumers(Queue& q) {
  const int producers = 3, consumers = 3;
  const int per_producer = 3000 * test_helpers::stress();
  std::vector<std::vector<int>> got(consumers);
  std::vector<std::thread> ts;
  for (int c = 0; c < consumers; ++c)
    ts.emplace_back([&, c] {
      for (;;) {
        int v = q.pop();
        if (v < 0) return;
        got[static_cast<std::size_t>(c)].push_back(v);
      }
    });
  for (int p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      for (int i = 0; i < per_producer; ++i) q.push(p * per_producer + i);
    });
  for (int p = 0; p < producers; ++p) ts[static_cast<std::size_t>(consumers + p)].join();
  for (int c = 0; c < consumers; ++c) q.push(-1);
  for (int c = 0; c < consumers; ++c) ts[static_cast<std::size_t>(c)].join();

  // FIFO: what one consumer got from one producer is in the order it was pushed.
  bool ordered = true;
  for (auto& g : got) {
    std::vector<int> last(producers, -1);
    for (int v : g) {
      ordered = ordered && v > last[static_cast<std::size_t>(v / per_producer)];
      last[static_cast<std::size_t>(v / per_producer)] = v;
    }
  }
  BOOST_TEST(ordered);
  std::vector<int> all;
  for (auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  std::vector<int> want(static_cast<std::size_t>(producers * per_producer));
  std::iota(want.begin(), want.end(), 0);
  BOOST_TEST(all == want);
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(many_producers_and_consumers_unbounded) {
  stm::tqueue<int> q;
  producers_and_consumers(q);
}

BOOST_AUTO_TEST_CASE(many_producers_and_consumers_bounded) {
  stm::tqueue<int> q(4);
  producers_and_consumers(q);
  BOOST_TEST(q.try_push(1));
  BOOST_TEST(q.try_push(2));
  BOOST_TEST(q.try_push(3));
  BOOST_TEST(q.try_push(4));
  BOOST_TEST(!q.try_push(5));  // no capacity was lost or made up
}
