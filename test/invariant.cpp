// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE invariant
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/invariant.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace stm = boost::stm;

namespace {

using test_helpers::stress;

}  // namespace

static_assert(std::is_base_of<std::logic_error, stm::invariant_error>::value, "");

BOOST_AUTO_TEST_CASE(a_violating_commit_throws_and_is_rolled_back) {
  stm::tvar<int> x{1}, y{0};
  stm::atomically([&] { stm::invariant([&] { return x.get() >= 0; }); });
  x.set(5);
  std::vector<int> io;
  BOOST_CHECK_THROW(stm::atomically([&] {
                      y.set(1);
                      x.set(-1);
                      stm::after_commit([&] { io.push_back(1); });
                    }),
                    stm::invariant_error);
  BOOST_TEST(x.get() == 5);
  BOOST_TEST(y.get() == 0);
  BOOST_TEST(io.empty());
  BOOST_CHECK_THROW(x.set(-2), stm::invariant_error);
  BOOST_TEST(x.get() == 5);
  // Breaking it and repairing it within one transaction is fine.
  stm::atomically([&] {
    x.set(-3);
    x.set(3);
  });
  BOOST_TEST(x.get() == 3);
}

BOOST_AUTO_TEST_CASE(an_invariant_false_when_registered_is_not_registered) {
  stm::tvar<int> x{-1};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.set(-2);
                      stm::invariant([&] { return x.get() >= 0; });
                    }),
                    stm::invariant_error);
  BOOST_TEST(x.get() == -1);
  x.set(-5);  // no invariant lives on x
  BOOST_TEST(x.get() == -5);
}

BOOST_AUTO_TEST_CASE(an_aborted_registration_registers_nothing) {
  stm::tvar<int> x{1};
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      stm::invariant([&] { return x.get() > 0; });
                      throw boom{};
                    }),
                    boom);
  x.set(-1);
  BOOST_TEST(x.get() == -1);
  // Registered in a nested transaction that is undone: nothing either.
  stm::atomically([&] {
    try {
      stm::atomically([&] {
        stm::invariant([&] { return x.get() < -100; });
        throw boom{};
      });
    } catch (const boom&) {
    }
  });
  x.set(0);
  BOOST_TEST(x.get() == 0);
}

BOOST_AUTO_TEST_CASE(only_commits_writing_what_it_read_check_it) {
  stm::tvar<int> x{1}, other{0};
  std::atomic<int> checks{0};
  stm::atomically([&] {
    stm::invariant([&] {
      ++checks;
      return x.get() > 0;
    });
  });
  int n = checks.load();
  for (int i = 0; i < 10; ++i) other.set(i);
  BOOST_TEST(checks.load() == n);
  x.set(2);
  BOOST_TEST(checks.load() == n + 1);
}

BOOST_AUTO_TEST_CASE(several_invariants_each_hold) {
  stm::tvar<int> lo{0}, hi{10};
  stm::atomically([&] {
    stm::invariant([&] { return lo.get() <= hi.get(); });
    stm::invariant([&] { return hi.get() - lo.get() <= 100; });
  });
  BOOST_CHECK_THROW(lo.set(11), stm::invariant_error);
  BOOST_CHECK_THROW(hi.set(200), stm::invariant_error);
  stm::atomically([&] {
    lo.set(150);
    hi.set(200);
  });
  BOOST_TEST(lo.get() == 150);
}

BOOST_AUTO_TEST_CASE(invariants_are_checked_at_the_fixpoint) {
  // A watcher keeps y == 2 * x; an invariant requires exactly that. A commit
  // writing only x is valid once the watcher has run, whichever of the two
  // the commit happens to run first (the order is not specified: several
  // pairs make it likely that some invariant runs before its watcher).
  constexpr int pairs = 16;
  struct pair_t {
    stm::tvar<int> x{1}, y{2};
    stm::watch_handle keeper;
    std::vector<char> runs;  // 'W' or 'I', in the order the functions ran
  };
  std::vector<std::unique_ptr<pair_t>> ps;
  for (int k = 0; k < pairs; ++k) {
    ps.push_back(std::make_unique<pair_t>());
    pair_t& p = *ps.back();
    auto keep = [&p] {
      p.keeper = stm::atomically_watch(
          [&p] {
            p.runs.push_back('W');
            return p.x.get();
          },
          [&p](int v) { p.y.set(2 * v); });
    };
    auto inv = [&p] {
      stm::atomically([&p] {
        stm::invariant([&p] {
          p.runs.push_back('I');
          return p.y.get() == 2 * p.x.get();
        });
      });
    };
    if (k % 2 == 0) {
      keep();
      inv();
    } else {
      inv();
      keep();
    }
  }
  int invariant_first = 0;
  for (auto& pp : ps) {
    pair_t& p = *pp;
    for (int i = 0; i < 5; ++i) {
      p.runs.clear();
      BOOST_CHECK_NO_THROW(p.x.set(10 + i));
      BOOST_TEST(p.y.get() == 2 * (10 + i));
      if (!p.runs.empty() && p.runs.front() == 'I') ++invariant_first;
    }
    BOOST_CHECK_THROW(p.y.set(7), stm::invariant_error);
    BOOST_TEST(p.y.get() == 2 * 14);
  }
  BOOST_TEST_MESSAGE("commits that ran the invariant before its watcher: " << invariant_first);
  BOOST_WARN(invariant_first > 0);
}

BOOST_AUTO_TEST_CASE(bank_invariant_under_concurrency) {
  // Transfers keep the total; a thief's transaction creating money must fail
  // with invariant_error and leave no trace, while transfers go on.
  constexpr int accounts = 8;
  constexpr long initial = 1000;
  std::vector<std::unique_ptr<stm::tvar<long>>> acct;
  for (int i = 0; i < accounts; ++i) acct.push_back(std::make_unique<stm::tvar<long>>(initial));
  auto total = [&] {
    long s = 0;
    for (auto& a : acct) s += a->get();
    return s;
  };
  stm::atomically([&] {
    stm::invariant([&] { return total() == accounts * initial; });
    for (auto& a : acct) stm::invariant([&a] { return a->get() >= 0; });
  });
  const int n = 2000 * stress();
  std::atomic<int> rejected{0}, refused{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 2; ++t)
    ts.emplace_back([&, t] {
      std::mt19937 rng(unsigned(t) + 7u);
      for (int i = 0; i < n; ++i) {
        int from = int(rng() % accounts), to = int(rng() % accounts);
        long amount = long(rng() % 300);
        try {
          stm::atomically([&] {
            acct[from]->set(acct[from]->get() - amount);  // may go negative: refused
            acct[to]->set(acct[to]->get() + amount);
          });
        } catch (const stm::invariant_error&) {
          ++refused;
        }
      }
    });
  ts.emplace_back([&] {
    for (int i = 0; i < n / 10; ++i) {
      try {
        stm::atomically([&] { acct[i % accounts]->set(acct[i % accounts]->get() + 1); });
      } catch (const stm::invariant_error&) {
        ++rejected;
      }
    }
  });
  for (auto& t : ts) t.join();
  BOOST_TEST(rejected.load() == n / 10);
  BOOST_TEST(total() == accounts * initial);
  for (auto& a : acct) BOOST_TEST(a->get() >= 0);
  BOOST_TEST_MESSAGE("refused transfers " << refused.load());
}
