// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tset
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tset.hpp>

#include "container_helpers.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

BOOST_AUTO_TEST_CASE(every_operation) {
  stm::tset<int> s;
  BOOST_TEST(s.empty());
  BOOST_TEST(s.insert(3));
  BOOST_TEST(s.insert(1));
  BOOST_TEST(s.insert(2));
  BOOST_TEST(!s.insert(3));
  BOOST_TEST(s.size() == 3u);
  BOOST_TEST(s.contains(3));
  BOOST_TEST(!s.contains(4));
  BOOST_TEST((s.to_vector() == std::vector<int>{1, 2, 3}));
  std::vector<int> seen;
  for (auto& k : s.snapshot()) seen.push_back(k);
  BOOST_TEST((seen == std::vector<int>{1, 2, 3}));
  BOOST_TEST(s.erase(3));
  BOOST_TEST(!s.erase(3));
  BOOST_TEST(!s.contains(3));
  BOOST_TEST(s.size() == 2u);
  s.clear();
  BOOST_TEST(s.empty());

  stm::tset<std::string, std::greater<std::string>> g;
  g.insert("a");
  g.insert("c");
  g.insert("b");
  BOOST_TEST((g.to_vector() == std::vector<std::string>{"c", "b", "a"}));
}

BOOST_AUTO_TEST_CASE(snapshot_is_unaffected_by_later_changes) {
  stm::tset<int> s;
  for (int i = 0; i < 10; ++i) s.insert(i);
  auto snap = s.snapshot();
  s.erase(5);
  s.insert(42);
  BOOST_TEST(snap.size() == 10u);
  BOOST_TEST(snap[5] == 5);
  BOOST_TEST(s.size() == 10u);
  BOOST_TEST(!s.contains(5));
}

BOOST_AUTO_TEST_CASE(matches_std_set_under_random_operations) {
  std::mt19937 rng(11);
  stm::tset<int> s;
  std::set<int> model;
  bool ok = true;
  for (int step = 0; step < 20000 && ok; ++step) {
    int k = static_cast<int>(rng() % 300);
    switch (rng() % 3) {
      case 0: ok = s.insert(k) == model.insert(k).second; break;
      case 1: ok = s.erase(k) == (model.erase(k) == 1); break;
      default: ok = s.contains(k) == (model.count(k) == 1);
    }
  }
  BOOST_TEST(ok);
  BOOST_TEST(s.to_vector() == std::vector<int>(model.begin(), model.end()));
}

BOOST_AUTO_TEST_CASE(exception_rolls_back) {
  stm::tset<int> s;
  s.insert(1);
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      s.insert(2);
                      s.erase(1);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST((s.to_vector() == std::vector<int>{1}));
  stm::atomically([&] {
    s.insert(2);
    try {
      stm::atomically([&] {
        s.insert(3);
        throw boom{};
      });
    } catch (const boom&) {
    }
  });
  BOOST_TEST((s.to_vector() == std::vector<int>{1, 2}));
}

BOOST_AUTO_TEST_CASE(or_else_and_blocking_on_membership) {
  stm::tset<int> s;
  auto take_any = [&] {
    // Removes 1, else 2; retries while neither is there.
    return stm::atomically([&] {
      return stm::or_else(
          [&] {
            if (!s.erase(1)) stm::retry();
            return 1;
          },
          [&] {
            if (!s.erase(2)) stm::retry();
            return 2;
          });
    });
  };
  s.insert(2);
  BOOST_TEST(take_any() == 2);
  const std::uint64_t before = stm::statistics().retries;
  int got = 0;
  std::thread t([&] { got = take_any(); });
  test_helpers::wait_for_retries(before);
  s.insert(1);
  t.join();
  BOOST_TEST(got == 1);
  BOOST_TEST(s.empty());
}

BOOST_AUTO_TEST_CASE(concurrent_inserts_of_the_same_keys_succeed_once_each) {
  const int threads = 4, keys = 500 * test_helpers::stress();
  stm::tset<int> s;
  std::atomic<int> added{0}, removed{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int k = 0; k < keys; ++k) {
        int key = t % 2 ? k : keys - 1 - k;
        if (s.insert(key)) ++added;
        // Every key inserted with an even key removed by one thread only.
        if (key % 2 == 0 && s.erase(key)) ++removed;
      }
    });
  for (auto& t : ts) t.join();
  // Each key was added once, and again after each successful removal.
  std::vector<int> odd;
  for (int k = 1; k < keys; k += 2) odd.push_back(k);
  std::vector<int> rest = s.to_vector();
  std::size_t evens_left = 0;
  for (int k : rest) evens_left += (k % 2 == 0);
  BOOST_TEST(added.load() - removed.load() == static_cast<int>(rest.size()));
  std::vector<int> odd_left;
  for (int k : rest)
    if (k % 2) odd_left.push_back(k);
  BOOST_TEST(odd_left == odd);
  BOOST_TEST(evens_left <= static_cast<std::size_t>((keys + 1) / 2));
}
