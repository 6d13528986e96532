// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tmvar
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tmvar.hpp>

#include "container_helpers.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

BOOST_AUTO_TEST_CASE(every_operation) {
  stm::tmvar<std::string> box;
  BOOST_TEST(box.empty());
  BOOST_TEST(!box.try_read());
  BOOST_TEST(!box.try_take());
  box.put("a");
  BOOST_TEST(!box.empty());
  BOOST_TEST(!box.try_put("b"));
  BOOST_TEST(box.read() == "a");
  BOOST_TEST(*box.try_read() == "a");
  BOOST_TEST(box.swap("c") == "a");
  BOOST_TEST(box.take() == "c");
  BOOST_TEST(box.empty());
  BOOST_TEST(box.try_put("d"));
  BOOST_TEST(*box.try_take() == "d");

  stm::tmvar<int> full{5};
  BOOST_TEST(!full.empty());
  BOOST_TEST(full.read() == 5);
}

BOOST_AUTO_TEST_CASE(try_put_leaves_its_argument_when_full) {
  stm::tmvar<std::string> box{std::string("x")};
  std::string v = "a long string that would be moved from if it were taken";
  BOOST_TEST(!box.try_put(std::move(v)));
  BOOST_TEST(v == "a long string that would be moved from if it were taken");
}

// Each blocking operation, through or_else, against a std::optional.
BOOST_AUTO_TEST_CASE(matches_an_optional_under_random_operations) {
  std::mt19937 rng(42);
  stm::tmvar<int> box;
  std::optional<int> model;
  bool ok = true;
  auto blocked = [](auto op) {
    return stm::or_else([&] { return std::optional<int>(op()); },
                        [] { return std::optional<int>(); });
  };
  for (int step = 0; step < 10000 && ok; ++step) {
    std::optional<int> want = model;
    switch (rng() % 9) {
      case 0:
        ok = box.try_put(step) == !model;
        if (!model) model = step;
        break;
      case 1:
        ok = box.try_take() == model;
        model.reset();
        break;
      case 2:
        ok = box.try_read() == model;
        break;
      case 3:
        ok = box.empty() == !model;
        break;
      case 4:
        ok = blocked([&] { box.put(step); return 0; }).has_value() == !model;
        if (!model) model = step;
        break;
      case 5:
        ok = blocked([&] { return box.take(); }) == want;
        model.reset();
        break;
      case 6:
        ok = blocked([&] { return box.read(); }) == want;
        break;
      case 7:
        ok = blocked([&] { return box.swap(step); }) == want;
        if (model) model = step;
        break;
      default:
        // Several operations in one transaction, and one that is undone.
        stm::atomically([&] {
          if (auto v = box.try_take()) box.put(*v + 1);
        });
        if (model) ++*model;
        try {
          stm::atomically([&] {
            box.try_take();
            box.put(-1);
            throw std::runtime_error("undo");
          });
        } catch (const std::runtime_error&) {
        }
    }
    ok = ok && box.try_read() == model;
  }
  BOOST_TEST(ok);
}

BOOST_AUTO_TEST_CASE(take_blocks_until_a_put_and_put_until_a_take) {
  stm::tmvar<int> box;
  std::uint64_t before = stm::statistics().retries;
  int got = 0;
  std::thread taker([&] { got = box.take(); });
  test_helpers::wait_for_retries(before);
  box.put(1);
  taker.join();
  BOOST_TEST(got == 1);

  box.put(2);
  before = stm::statistics().retries;
  std::thread putter([&] { box.put(3); });
  test_helpers::wait_for_retries(before);
  BOOST_TEST(box.take() == 2);
  putter.join();
  BOOST_TEST(box.take() == 3);
}

BOOST_AUTO_TEST_CASE(or_else_takes_from_the_first_full_box) {
  stm::tmvar<int> a, b{2};
  auto either = [&] {
    return stm::atomically([&] {
      return stm::or_else([&] { return a.take(); }, [&] { return b.take(); }, [] { return -1; });
    });
  };
  BOOST_TEST(either() == 2);
  BOOST_TEST(either() == -1);
  a.put(1);
  BOOST_TEST(either() == 1);
}

// A one-place channel between producers and consumers: every value put is
// taken exactly once.
BOOST_AUTO_TEST_CASE(a_channel_under_contention_loses_and_duplicates_nothing) {
  const int producers = 3, consumers = 3;
  const int per_producer = static_cast<int>(test_helpers::stress_size(2000));
  stm::tmvar<int> box;
  std::vector<std::int64_t> sums(consumers, 0);
  std::vector<int> counts(consumers, 0);
  std::vector<std::thread> ts;
  for (int c = 0; c < consumers; ++c)
    ts.emplace_back([&, c] {
      for (;;) {
        int v = box.take();
        if (v < 0) return;
        sums[static_cast<std::size_t>(c)] += v;
        ++counts[static_cast<std::size_t>(c)];
      }
    });
  for (int p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      for (int i = 1; i <= per_producer; ++i) box.put(p * per_producer + i);
    });
  for (int p = 0; p < producers; ++p) ts[static_cast<std::size_t>(consumers + p)].join();
  for (int c = 0; c < consumers; ++c) box.put(-1);
  for (int c = 0; c < consumers; ++c) ts[static_cast<std::size_t>(c)].join();
  std::int64_t n = static_cast<std::int64_t>(producers) * per_producer;
  std::int64_t sum = 0, count = 0;
  for (int c = 0; c < consumers; ++c) {
    sum += sums[static_cast<std::size_t>(c)];
    count += counts[static_cast<std::size_t>(c)];
  }
  BOOST_TEST(count == n);
  BOOST_TEST(sum == n * (n + 1) / 2);
  BOOST_TEST(box.empty());
}

// A box used as a lock that carries the guarded value: take, change, put
// back. No increment may be lost; swap() and read() run alongside.
BOOST_AUTO_TEST_CASE(a_box_as_a_lock_keeps_every_increment) {
  const int threads = 4;
  const int per_thread = static_cast<int>(test_helpers::stress_size(3000));
  stm::tmvar<long> box{0L};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        if (t == 0 && i % 2) {
          stm::atomically([&] { box.swap(box.read() + 1); });
        } else {
          long v = box.take();
          box.put(v + 1);
        }
      }
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(box.read() == static_cast<long>(threads) * per_thread);
}
