// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tlist
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tlist.hpp>
#include <boost/stm/tvar.hpp>

#include "container_helpers.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
namespace pt = boost::stm::detail::ptree;

BOOST_AUTO_TEST_CASE(every_operation) {
  stm::tlist<int> l;
  BOOST_TEST(l.empty());
  BOOST_TEST(l.size() == 0u);
  l.push_back(1);
  l.push_front(0);
  l.insert(0, 5);  // 5 0 1
  l.insert(3, 9);  // 5 0 1 9
  l.insert(2, 7);  // 5 0 7 1 9
  BOOST_TEST(l.size() == 5u);
  BOOST_TEST(!l.empty());
  BOOST_TEST(l[0] == 5);
  BOOST_TEST(l.at(2) == 7);
  l.set(0, 6);
  BOOST_TEST((l.to_vector() == std::vector<int>{6, 0, 7, 1, 9}));
  l.erase(0);
  l.erase(3);  // 0 7 1
  BOOST_TEST((l.to_vector() == std::vector<int>{0, 7, 1}));
  BOOST_TEST(l.pop_back() == 1);
  BOOST_TEST(l.pop_front() == 0);
  BOOST_TEST(*l.try_pop_front() == 7);
  BOOST_TEST(!l.try_pop_front());
  BOOST_TEST(!l.try_pop_back());
  l.push_back(3);
  l.clear();
  BOOST_TEST(l.empty());

  stm::tlist<std::string> s{"a", "b", "c"};
  BOOST_TEST(s.size() == 3u);
  BOOST_TEST(s[1] == "b");
  BOOST_TEST(*s.try_pop_back() == "c");
}

BOOST_AUTO_TEST_CASE(bad_indices_throw_out_of_range) {
  stm::tlist<int> l{1, 2};
  BOOST_CHECK_THROW(l.at(2), std::out_of_range);
  BOOST_CHECK_THROW(l[7], std::out_of_range);
  BOOST_CHECK_THROW(l.set(2, 0), std::out_of_range);
  BOOST_CHECK_THROW(l.erase(2), std::out_of_range);
  BOOST_CHECK_THROW(l.insert(3, 0), std::out_of_range);
  l.insert(2, 3);
  BOOST_TEST((l.to_vector() == std::vector<int>{1, 2, 3}));
}

BOOST_AUTO_TEST_CASE(snapshot_is_consistent_and_unaffected_by_later_changes) {
  stm::tlist<int> l{1, 2, 3};
  auto snap = l.snapshot();
  l.push_back(4);
  l.set(0, 10);
  std::vector<int> seen;
  for (auto& v : snap) seen.push_back(v);
  BOOST_TEST((seen == std::vector<int>{1, 2, 3}));
  BOOST_TEST(snap.size() == 3u);
  BOOST_TEST(snap[2] == 3);
  BOOST_TEST((l.snapshot().to_vector() == std::vector<int>{10, 2, 3, 4}));
  BOOST_TEST(stm::tlist<int>().snapshot().empty());
}

// Checks sizes and the weight-balance invariant of a whole tree.
template <class V>
std::size_t check_tree(const pt::ptr<V>& t, bool& ok) {
  if (!t) return 0;
  std::size_t l = check_tree(t->left, ok), r = check_tree(t->right, ok);
  if (t->size != l + r + 1) ok = false;
  if (l + r > 1 && (l > pt::delta * r || r > pt::delta * l)) ok = false;
  return l + r + 1;
}

BOOST_AUTO_TEST_CASE(tree_stays_balanced_and_matches_a_vector) {
  std::mt19937 rng(12345);
  pt::ptr<int> t;
  std::vector<int> model;
  bool ok = true;
  const int steps = 20000 * test_helpers::stress();
  for (int step = 0; step < steps && ok; ++step) {
    unsigned op = rng() % 10;
    if (model.empty() || op < 5) {
      std::size_t i = rng() % (model.size() + 1);
      t = pt::insert_at(t, i, pt::slot<int>(step));
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(i), step);
    } else if (op < 8) {
      std::size_t i = rng() % model.size();
      t = pt::erase_at(t, i);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      std::size_t i = rng() % model.size();
      t = pt::set_at(t, i, pt::slot<int>(-step));
      model[i] = -step;
    }
    if (step % 97 == 0) {
      check_tree(t, ok);
      ok = ok && pt::view<int>(t).to_vector() == model;
      if (!model.empty()) ok = ok && pt::at(t, model.size() / 2) == model[model.size() / 2];
    }
  }
  BOOST_TEST(ok);
  // Pushing at one end only is the worst case for rebalancing.
  pt::ptr<int> seq;
  for (int i = 0; i < 5000; ++i) seq = pt::insert_at(seq, pt::size(seq), pt::slot<int>(i));
  check_tree(seq, ok);
  BOOST_TEST(ok);
  std::vector<int> v(5000);
  std::iota(v.begin(), v.end(), 0);
  BOOST_TEST(pt::view<int>(seq).to_vector() == v);
  BOOST_TEST(pt::view<int>(pt::build(v.begin(), v.size())).to_vector() == v);
}

BOOST_AUTO_TEST_CASE(join_and_split_keep_the_tree_balanced) {
  std::mt19937 rng(777);
  bool ok = true;
  auto seq = [](int from, int n) {
    std::vector<int> v(static_cast<std::size_t>(n));
    std::iota(v.begin(), v.end(), from);
    return v;
  };
  for (int round = 0; round < 300 && ok; ++round) {
    // Very different sizes on each side are the hard case for the join.
    int nl = static_cast<int>(rng() % (round % 3 == 0 ? 2000 : 40));
    int nr = static_cast<int>(rng() % (round % 3 == 1 ? 2000 : 40));
    std::vector<int> l = seq(0, nl), r = seq(nl + 1, nr);
    pt::ptr<int> tl = pt::build(l.begin(), l.size()), tr = pt::build(r.begin(), r.size());
    pt::ptr<int> linked = pt::link(tl, pt::slot<int>(nl), tr);
    pt::ptr<int> merged = pt::merge(tl, tr);
    check_tree(linked, ok);
    check_tree(merged, ok);
    ok = ok && pt::view<int>(linked).to_vector() == seq(0, nl + 1 + nr);
    std::vector<int> lr = l;
    lr.insert(lr.end(), r.begin(), r.end());
    ok = ok && pt::view<int>(merged).to_vector() == lr;
    std::size_t at = rng() % (lr.size() + 1);
    std::pair<pt::ptr<int>, pt::ptr<int>> halves = pt::split_at(merged, at);
    check_tree(halves.first, ok);
    check_tree(halves.second, ok);
    ok = ok && pt::size(halves.first) == at &&
         pt::view<int>(halves.first).to_vector() ==
             std::vector<int>(lr.begin(), lr.begin() + static_cast<std::ptrdiff_t>(at)) &&
         pt::view<int>(halves.second).to_vector() ==
             std::vector<int>(lr.begin() + static_cast<std::ptrdiff_t>(at), lr.end());
  }
  BOOST_TEST(ok);
}

// Every member against a std::deque, long enough for both ends to fill,
// spill into the tree, refill from it, and take over the other end.
BOOST_AUTO_TEST_CASE(every_operation_matches_a_deque) {
  std::mt19937 rng(2024);
  stm::tlist<int> l;
  std::deque<int> model;
  bool ok = true;
  const int steps = 30000 * test_helpers::stress();
  for (int step = 0; step < steps && ok; ++step) {
    unsigned op = rng() % 16;
    // Phases that grow, then shrink, the list: the ends empty out now and then.
    bool growing = (step / 700) % 2 == 0;
    if (model.empty() || (growing ? op < 7 : op < 3)) {
      if (op % 2) {
        l.push_back(step);
        model.push_back(step);
      } else {
        l.push_front(step);
        model.push_front(step);
      }
    } else if (op < 11) {
      bool back = op % 2;
      std::optional<int> got = back ? l.try_pop_back() : l.try_pop_front();
      int want = back ? model.back() : model.front();
      back ? model.pop_back() : model.pop_front();
      ok = ok && got && *got == want;
    } else if (op == 11) {
      std::size_t i = rng() % (model.size() + 1);
      l.insert(i, -step);
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(i), -step);
    } else if (op == 12) {
      std::size_t i = rng() % model.size();
      l.erase(i);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (op == 13) {
      std::size_t i = rng() % model.size();
      l.set(i, step * 3);
      model[i] = step * 3;
    } else {
      std::size_t i = rng() % model.size();
      ok = ok && l[i] == model[i];
    }
    ok = ok && l.size() == model.size() && l.empty() == model.empty();
    if (step % 101 == 0) {
      std::vector<int> want(model.begin(), model.end());
      auto snap = l.snapshot();
      ok = ok && snap.to_vector() == want && snap.size() == want.size();
      // Every seventh element by index, through the three parts.
      for (std::size_t i = 0; i < want.size() && ok; i += 7) ok = ok && l.at(i) == want[i];
    }
  }
  BOOST_TEST(ok);
  while (!model.empty()) {
    ok = ok && l.pop_front() == model.front();
    model.pop_front();
  }
  BOOST_TEST(ok);
  BOOST_TEST(l.empty());
  BOOST_TEST(!l.try_pop_back());
}

// Long lists: an end that empties takes a piece of up to 1,024 elements of
// the middle tree as a view, and a push onto a view end, a take-over or a
// spill must keep the order. Bulk inserts anywhere, pops at both ends and
// pushes, against a std::deque.
BOOST_AUTO_TEST_CASE(long_lists_drain_through_views_in_order) {
  std::mt19937 rng(77);
  stm::tlist<int> l;
  std::deque<int> model;
  bool ok = true;
  int next = 0;
  const int rounds = 60 * test_helpers::stress();
  for (int round = 0; round < rounds && ok; ++round) {
    // A bulk insert of up to 3,000 at a random place.
    std::vector<int> bulk(rng() % 3000);
    for (int& x : bulk) x = next++;
    std::size_t at = rng() % (model.size() + 1);
    l.insert(at, bulk.begin(), bulk.end());
    model.insert(model.begin() + static_cast<std::ptrdiff_t>(at), bulk.begin(), bulk.end());
    // Then pops and pushes at random ends, more pops than pushes.
    const int ops = static_cast<int>(rng() % 4000);
    for (int k = 0; k < ops && ok && !model.empty(); ++k) {
      unsigned op = rng() % 8;
      if (op < 2) {
        (op ? l.push_back(next) : l.push_front(next));
        (op ? model.push_back(next) : model.push_front(next));
        ++next;
      } else {
        bool back = op % 2;
        std::optional<int> got = back ? l.try_pop_back() : l.try_pop_front();
        ok = got && *got == (back ? model.back() : model.front());
        back ? model.pop_back() : model.pop_front();
      }
    }
    ok = ok && l.size() == model.size();
    for (std::size_t i = 0; i < model.size() && ok; i += 97) ok = l[i] == model[i];
    ok = ok && l.to_vector() == std::vector<int>(model.begin(), model.end());
  }
  BOOST_TEST(ok);
  std::vector<int> none;
  l.insert(0, none.begin(), none.end());
  BOOST_TEST(l.size() == model.size());
  BOOST_CHECK_THROW(l.insert(model.size() + 1, none.begin(), none.end()), std::out_of_range);
}

// A queue's producer and consumer work at different ends: while both ends
// have elements, a push at the back and a pop at the front write disjoint
// tvars, so neither makes the other restart.
BOOST_AUTO_TEST_CASE(a_push_at_the_back_does_not_conflict_with_a_pop_at_the_front) {
  stm::tlist<int> l;
  for (int i = 0; i < 4; ++i) l.push_back(i);
  BOOST_TEST(l.pop_front() == 0);  // the front now holds 1 2 3 (refilled from the back)
  l.push_back(4);
  stm::stats before = stm::statistics();
  int popped = -1;
  stm::atomically([&] {
    popped = l.pop_front();
    // Another thread pushes between this transaction's reads and its commit.
    std::thread([&] { l.push_back(5); }).join();
  });
  stm::stats after = stm::statistics();
  BOOST_TEST(popped == 1);
  BOOST_TEST(after.restarts == before.restarts);
  BOOST_TEST((l.to_vector() == std::vector<int>{2, 3, 4, 5}));
}

// tlist<T>::buffer is how many elements an end keeps outside the tree:
// pushing past it spills the end into the tree, in order.
BOOST_AUTO_TEST_CASE(ends_spill_into_the_tree_past_buffer_elements) {
  const int b = static_cast<int>(stm::tlist<int>::buffer);
  BOOST_TEST(b > 0);
  stm::tlist<int> l;
  std::deque<int> model;
  for (int i = 0; i < 2 * b + 3; ++i) {
    l.push_back(i);
    model.push_back(i);
  }
  for (int i = 1; i <= b + 1; ++i) {
    l.push_front(-i);
    model.push_front(-i);
  }
  BOOST_TEST(l.size() == model.size());
  BOOST_TEST((l.to_vector() == std::vector<int>(model.begin(), model.end())));
  bool ok = true;
  for (std::size_t i = 0; i < model.size(); ++i) ok = ok && l[i] == model[i];
  while (!model.empty() && ok) {
    ok = l.pop_back() == model.back();
    model.pop_back();
  }
  BOOST_TEST(ok);
  BOOST_TEST(l.empty());
}

BOOST_AUTO_TEST_CASE(large_lists_index_in_log_time) {
  stm::tlist<int> l;
  const int n = 100000;
  for (int i = 0; i < n; ++i) l.push_back(i);
  BOOST_TEST(l.size() == static_cast<std::size_t>(n));
  bool ok = true;
  for (int i = 0; i < n; i += 997) ok = ok && l[static_cast<std::size_t>(i)] == i;
  BOOST_TEST(ok);
  l.insert(n / 2, -1);
  BOOST_TEST(l[n / 2] == -1);
  BOOST_TEST(l[n / 2 + 1] == n / 2);
}

BOOST_AUTO_TEST_CASE(exception_rolls_back) {
  stm::tlist<int> l{1, 2};
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      l.push_back(3);
                      l.pop_front();
                      l.set(0, 9);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST((l.to_vector() == std::vector<int>{1, 2}));
  stm::atomically([&] {
    l.push_back(3);
    try {
      stm::atomically([&] {
        l.clear();
        throw boom{};
      });
    } catch (const boom&) {
    }
    BOOST_TEST(l.size() == 3u);
  });
  BOOST_TEST((l.to_vector() == std::vector<int>{1, 2, 3}));
}

BOOST_AUTO_TEST_CASE(or_else_pops_from_the_first_nonempty_list) {
  stm::tlist<int> a, b;
  auto pop_either = [&] {
    return stm::atomically([&] {
      return stm::or_else([&] { return a.pop_front(); },
                          [&] { return stm::or_else([&] { return b.pop_back(); }, [] { return -1; }); });
    });
  };
  BOOST_TEST(pop_either() == -1);
  b.push_back(1);
  b.push_back(2);
  BOOST_TEST(pop_either() == 2);
  a.push_back(3);
  BOOST_TEST(pop_either() == 3);
  BOOST_TEST(pop_either() == 1);
  BOOST_TEST(pop_either() == -1);
}

BOOST_AUTO_TEST_CASE(pop_blocks_until_a_push) {
  stm::tlist<int> l;
  std::uint64_t before = stm::statistics().retries;
  int front = 0, back = 0;
  std::thread t1([&] { front = l.pop_front(); });
  test_helpers::wait_for_retries(before);
  std::thread t2([&] { back = l.pop_back(); });
  test_helpers::wait_for_retries(before, 2);
  stm::atomically([&] {
    l.push_back(1);
    l.push_back(2);
  });
  t1.join();
  t2.join();
  BOOST_TEST(front + back == 3);
  BOOST_TEST(l.empty());
}

BOOST_AUTO_TEST_CASE(many_producers_and_consumers_lose_and_duplicate_nothing) {
  const int producers = 3, consumers = 3;
  const int per_producer = 2000 * test_helpers::stress();
  stm::tlist<int> l;
  stm::tvar<int> done{0};
  std::vector<std::vector<int>> got(consumers);
  std::vector<std::thread> ts;
  for (int c = 0; c < consumers; ++c)
    ts.emplace_back([&, c] {
      for (;;) {
        // Either end; stop once every producer is done and the list is empty.
        std::optional<int> v = stm::atomically([&]() -> std::optional<int> {
          if (auto x = (c % 2 ? l.try_pop_back() : l.try_pop_front())) return x;
          if (done.get() == producers) return std::nullopt;
          stm::retry();
        });
        if (!v) return;
        got[static_cast<std::size_t>(c)].push_back(*v);
      }
    });
  for (int p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      for (int i = 0; i < per_producer; ++i) {
        int v = p * per_producer + i;
        if (i % 4 == 0)
          l.push_front(v);
        else if (i % 4 == 1)
          stm::atomically([&] { l.insert(l.size() / 2, v); });  // the size, then insert
        else
          l.push_back(v);
      }
      done.modify([](int d) { return d + 1; });
    });
  for (auto& t : ts) t.join();
  std::vector<int> all;
  for (auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  std::vector<int> want(static_cast<std::size_t>(producers * per_producer));
  std::iota(want.begin(), want.end(), 0);
  BOOST_TEST(all == want);
  BOOST_TEST(l.empty());
}

BOOST_AUTO_TEST_CASE(readers_always_see_a_consistent_list) {
  // Writers keep the sum of the list at zero; readers must never see otherwise.
  stm::tlist<int> l{0};
  const int rounds = 2000 * test_helpers::stress();
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop.load()) {
      auto s = l.snapshot();
      int sum = 0;
      for (int v : s) sum += v;
      if (sum != 0) ++bad;
    }
  });
  std::thread writer([&] {
    for (int i = 1; i <= rounds; ++i)
      stm::atomically([&] {
        l.push_back(i);
        l.insert(l.size() / 2, -i);
        if (l.size() > 50) {
          int a = l.pop_front();
          int b = l.pop_front();
          l.push_back(a + b);
        }
      });
    stop = true;
  });
  writer.join();
  reader.join();
  BOOST_TEST(bad.load() == 0);
  int sum = 0;
  for (int v : l.to_vector()) sum += v;
  BOOST_TEST(sum == 0);
}
