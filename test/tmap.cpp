// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tmap
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tmap.hpp>
#include <boost/stm/watch.hpp>

#include "container_helpers.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

BOOST_AUTO_TEST_CASE(every_operation) {
  stm::tmap<std::string, int> m;
  BOOST_TEST(m.empty());
  BOOST_TEST(m.insert_or_assign("b", 2));
  BOOST_TEST(m.insert_or_assign("a", 1));
  BOOST_TEST(!m.insert_or_assign("a", 10));  // assigned, not added
  BOOST_TEST(!m.insert("a", 99));            // insert never assigns
  BOOST_TEST(m.insert("c", 3));
  BOOST_TEST(m.size() == 3u);
  BOOST_TEST(!m.empty());
  BOOST_TEST(*m.find("a") == 10);
  BOOST_TEST(!m.find("z"));
  BOOST_TEST(m.get("b") == 2);
  BOOST_TEST(m.at("c") == 3);
  BOOST_CHECK_THROW(m.at("z"), std::out_of_range);
  BOOST_TEST(m.contains("a"));
  BOOST_TEST(!m.contains("z"));
  BOOST_TEST((m.keys() == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST((m.items() == std::vector<std::pair<std::string, int>>{{"a", 10}, {"b", 2}, {"c", 3}}));
  BOOST_TEST(m.erase("b"));
  BOOST_TEST(!m.erase("b"));
  BOOST_TEST(!m.contains("b"));
  BOOST_TEST(m.size() == 2u);
  BOOST_TEST(m.insert_or_assign("b", 20));  // a new key again
  BOOST_TEST(m.get("b") == 20);
  m.clear();
  BOOST_TEST(m.empty());
  BOOST_TEST(m.keys().empty());

  stm::tmap<int, std::string, std::greater<int>> g;
  for (int i = 0; i < 5; ++i) g.insert_or_assign(i, std::to_string(i));
  BOOST_TEST((g.keys() == std::vector<int>{4, 3, 2, 1, 0}));
}

BOOST_AUTO_TEST_CASE(matches_std_map_under_random_operations) {
  std::mt19937 rng(7);
  stm::tmap<int, int> m;
  std::map<int, int> model;
  bool ok = true;
  for (int step = 0; step < 20000 && ok; ++step) {
    int k = static_cast<int>(rng() % 500);
    switch (rng() % 4) {
      case 0:
      case 1:
        ok = m.insert_or_assign(k, step) == (model.count(k) == 0);
        model[k] = step;
        break;
      case 2:
        ok = m.erase(k) == (model.erase(k) == 1);
        break;
      default: {
        auto f = m.find(k);
        auto it = model.find(k);
        ok = it == model.end() ? !f : (f && *f == it->second);
      }
    }
  }
  BOOST_TEST(ok);
  BOOST_TEST(m.size() == model.size());
  std::vector<std::pair<int, int>> want(model.begin(), model.end());
  BOOST_TEST((m.items() == want));
}

BOOST_AUTO_TEST_CASE(assigning_one_key_does_not_wake_readers_of_another) {
  stm::tmap<std::string, int> m;
  m.insert_or_assign("a", 0);
  m.insert_or_assign("b", 0);
  const stm::stats s0 = stm::statistics();
  int seen = 0;
  std::thread reader([&] {
    seen = stm::atomically([&] {
      int a = m.get("a");
      if (a == 0) stm::retry();
      return a;
    });
  });
  test_helpers::wait_for_retries(s0.retries);  // asleep on "a" (and the key set)
  for (int i = 1; i <= 100; ++i) m.insert_or_assign("b", i);
  stm::atomically([&] { m.insert_or_assign("b", m.get("b") + 1); });
  // A new key changes the key set, which the reader read: it wakes, finds
  // "a" still 0 and blocks again.
  m.insert_or_assign("c", 0);
  test_helpers::wait_for_retries(s0.retries, 2);
  m.insert_or_assign("a", 7);
  reader.join();
  const stm::stats s1 = stm::statistics();
  BOOST_TEST(seen == 7);
  BOOST_TEST(s1.retries - s0.retries == 2u);  // blocked once at first, once after "c"
  BOOST_TEST(m.get("b") == 101);
}

BOOST_AUTO_TEST_CASE(a_watcher_of_one_key_is_not_rerun_by_writes_to_another) {
  stm::tmap<std::string, int> m;
  m.insert_or_assign("a", 1);
  m.insert_or_assign("b", 1);
  int runs = 0;
  int last = 0;
  stm::watch_handle h = stm::atomically_watch(
      [&] {
        ++runs;
        return m.find("a").value_or(-1);
      },
      [&](int v) { last = v; });
  BOOST_TEST(runs == 1);
  BOOST_TEST(last == 1);
  for (int i = 0; i < 50; ++i) m.insert_or_assign("b", i);
  BOOST_TEST(runs == 1);
  m.insert_or_assign("a", 2);
  BOOST_TEST(runs == 2);
  BOOST_TEST(last == 2);
  m.erase("b");  // the key set changed: the watcher read it
  BOOST_TEST(runs == 3);
  m.erase("a");
  BOOST_TEST(last == -1);
  h.cancel();
}

BOOST_AUTO_TEST_CASE(writers_of_different_keys_do_not_conflict) {
  stm::tmap<int, long> m;
  m.insert_or_assign(0, 0);
  m.insert_or_assign(1, 0);
  const int n = 20000 * test_helpers::stress();
  const stm::stats s0 = stm::statistics();
  std::vector<std::thread> ts;
  for (int k = 0; k < 2; ++k)
    ts.emplace_back([&, k] {
      for (int i = 0; i < n; ++i) stm::atomically([&] { m.insert_or_assign(k, m.get(k) + 1); });
    });
  for (auto& t : ts) t.join();
  const stm::stats s1 = stm::statistics();
  BOOST_TEST(m.get(0) == n);
  BOOST_TEST(m.get(1) == n);
  BOOST_TEST(s1.restarts - s0.restarts == 0u);
}

BOOST_AUTO_TEST_CASE(exception_rolls_back) {
  stm::tmap<int, int> m;
  m.insert_or_assign(1, 1);
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      m.insert_or_assign(1, 100);
                      m.insert_or_assign(2, 2);
                      m.erase(1);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST((m.items() == std::vector<std::pair<int, int>>{{1, 1}}));
  stm::atomically([&] {
    m.insert_or_assign(3, 3);
    try {
      stm::atomically([&] {
        m.insert_or_assign(3, 30);
        m.erase(1);
        throw boom{};
      });
    } catch (const boom&) {
    }
  });
  BOOST_TEST((m.items() == std::vector<std::pair<int, int>>{{1, 1}, {3, 3}}));
}

BOOST_AUTO_TEST_CASE(or_else_over_keys) {
  stm::tmap<std::string, int> m;
  auto first = [&] {
    return stm::atomically([&] {
      return stm::or_else([&] { return m.get("x"); },
                          [&] { return stm::or_else([&] { return m.get("y"); }, [] { return 0; }); });
    });
  };
  BOOST_TEST(first() == 0);
  m.insert("y", 2);
  BOOST_TEST(first() == 2);
  m.insert("x", 1);
  BOOST_TEST(first() == 1);
}

BOOST_AUTO_TEST_CASE(get_blocks_until_the_key_is_inserted) {
  stm::tmap<int, std::string> m;
  const std::uint64_t before = stm::statistics().retries;
  std::string got;
  std::thread t([&] { got = m.get(5); });
  test_helpers::wait_for_retries(before);
  m.insert_or_assign(5, "five");
  t.join();
  BOOST_TEST(got == "five");
}

BOOST_AUTO_TEST_CASE(money_is_conserved_while_accounts_come_and_go) {
  const int accounts = 8, threads = 3;
  const int rounds = 20000 * test_helpers::stress();
  const long initial = 1000;
  stm::tmap<int, long> bank;
  for (int a = 0; a < accounts; ++a) bank.insert_or_assign(a, initial);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < rounds; ++i) {
        int from = static_cast<int>(rng() % accounts), to = static_cast<int>(rng() % accounts);
        long amount = static_cast<long>(rng() % 50);
        if (i % 10 == 0) {
          // Close an account into another and open it again, as one move.
          stm::atomically([&] {
            if (from == to) return;
            long all = bank.get(from);
            bank.erase(from);
            bank.insert_or_assign(to, bank.get(to) + all);
            bank.insert(from, 0);
          });
        } else {
          stm::atomically([&] {
            bank.insert_or_assign(from, bank.get(from) - amount);
            bank.insert_or_assign(to, bank.get(to) + amount);
          });
        }
      }
    });
  std::thread auditor([&] {
    while (!stop.load()) {
      long sum = 0;
      for (auto& kv : bank.items()) sum += kv.second;
      if (sum != accounts * initial) ++bad;
      if (bank.size() != static_cast<std::size_t>(accounts)) ++bad;
    }
  });
  for (auto& t : ts) t.join();
  stop = true;
  auditor.join();
  BOOST_TEST(bad.load() == 0);
  long sum = 0;
  for (auto& kv : bank.items()) sum += kv.second;
  BOOST_TEST(sum == accounts * initial);
  BOOST_TEST(bank.size() == static_cast<std::size_t>(accounts));
}
