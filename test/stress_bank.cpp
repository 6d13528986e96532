// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE stress_bank
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

// Money in a bank never changes: transfers of every shape (plain, nested,
// undone by an exception, or_else, blocking with a deadline, wide
// rebalancing) run concurrently with read-only audits, which must always
// see the exact total. Sizes scale with BOOST_STM_STRESS.

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

using test_helpers::stress;

struct bank {
  explicit bank(int n, long each) {
    for (int i = 0; i < n; ++i) accounts.push_back(std::make_unique<stm::tvar<long>>(each));
  }
  long balance(int i) const { return accounts[std::size_t(i)]->get(); }
  void add(int i, long d) { accounts[std::size_t(i)]->set(balance(i) + d); }
  int size() const { return int(accounts.size()); }
  std::vector<std::unique_ptr<stm::tvar<long>>> accounts;
};

struct failed_midway {};

struct counts {
  std::atomic<long> transfers{0}, skipped{0}, undone{0}, timed_out{0}, audits{0}, bad_audits{0},
      negative{0};
};

void transfer_worker(bank& b, counts& c, unsigned seed, int n, std::atomic<int>& running) {
  std::mt19937 rng(seed);
  for (int i = 0; i < n; ++i) {
    int from = int(rng() % unsigned(b.size()));
    int to = int(rng() % unsigned(b.size()));
    long amount = long(rng() % 200);
    switch (rng() % 6) {
      case 0:  // plain; skip when short of funds
        stm::atomically([&] {
          if (b.balance(from) < amount) return;
          b.add(from, -amount);
          b.add(to, amount);
        });
        break;
      case 1:  // nested withdraw and deposit
        stm::atomically([&] {
          bool ok = stm::atomically([&] {
            if (b.balance(from) < amount) return false;
            b.add(from, -amount);
            return true;
          });
          if (ok) stm::atomically([&] { b.add(to, amount); });
        });
        break;
      case 2:  // fails after the withdrawal: everything is undone
        try {
          stm::atomically([&] {
            if (b.balance(from) < amount) return;
            b.add(from, -amount);
            if (amount % 3 == 0) throw failed_midway{};
            b.add(to, amount);
          });
        } catch (const failed_midway&) {
          ++c.undone;
        }
        break;
      case 3:  // or_else: the full amount, else whatever is there
        stm::atomically([&] {
          long moved = stm::or_else(
              [&] {
                if (b.balance(from) < amount) stm::retry();
                return amount;
              },
              [&] { return b.balance(from); });
          b.add(from, -moved);
          b.add(to, moved);
        });
        break;
      case 4: {  // wait (a little) for funds, then give up
        bool done = stm::atomically([&] {
          if (b.balance(from) < amount) {
            if (stm::elapsed(200us)) return false;
            stm::retry();
          }
          b.add(from, -amount);
          b.add(to, amount);
          return true;
        });
        if (!done) ++c.timed_out;
        break;
      }
      default:  // rebalance a wide range: a large write set (indexed)
        stm::atomically([&] {
          long pool = 0;
          for (int k = 0; k < b.size(); k += 2) {
            long take = b.balance(k) / 10;
            b.add(k, -take);
            pool += take;
          }
          int receivers = (b.size() + 1) / 2;
          for (int k = 0; k < b.size(); k += 2) b.add(k, pool / receivers);
          b.add(0, pool % receivers);
        });
        break;
    }
    ++c.transfers;
  }
  --running;
}

void auditor(const bank& b, long total, counts& c, const std::atomic<int>& running) {
  while (running.load() > 0) {
    auto [sum, negative] = stm::atomically([&] {
      long s = 0;
      long neg = 0;
      for (int i = 0; i < b.size(); ++i) {
        long v = b.balance(i);
        s += v;
        if (v < 0) ++neg;
      }
      return std::make_pair(s, neg);
    });
    ++c.audits;
    if (sum != total) ++c.bad_audits;
    c.negative += negative;
  }
}

void run(int accounts, int workers, int auditors, int per_worker) {
  constexpr long each = 1000;
  bank b(accounts, each);
  const long total = each * accounts;
  counts c;
  std::atomic<int> running{workers};
  stm::stats before = stm::statistics();
  std::vector<std::thread> ts;
  for (int a = 0; a < auditors; ++a) ts.emplace_back([&] { auditor(b, total, c, running); });
  for (int w = 0; w < workers; ++w)
    ts.emplace_back([&, w] { transfer_worker(b, c, 99u + unsigned(w), per_worker, running); });
  for (auto& t : ts) t.join();
  long sum = 0;
  for (int i = 0; i < accounts; ++i) {
    sum += b.balance(i);
    BOOST_TEST(b.balance(i) >= 0);
  }
  BOOST_TEST(sum == total);
  BOOST_TEST(c.bad_audits.load() == 0);
  BOOST_TEST(c.negative.load() == 0);
  BOOST_TEST(c.transfers.load() == long(workers) * per_worker);
  stm::stats after = stm::statistics();
  BOOST_TEST_MESSAGE(accounts << " accounts, " << workers << " workers: " << c.audits.load()
                              << " audits, " << c.undone.load() << " undone, "
                              << c.timed_out.load() << " timed out; restarts "
                              << after.restarts - before.restarts << ", serial "
                              << after.serial_runs - before.serial_runs);
}

}  // namespace

BOOST_AUTO_TEST_CASE(few_accounts_high_contention) { run(4, 3, 2, 30000 * stress()); }

BOOST_AUTO_TEST_CASE(many_accounts) { run(40, 4, 2, 15000 * stress()); }
