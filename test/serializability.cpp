// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE serializability
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

// Random transactions over a few tvars log what they read and wrote; the
// logs must be explainable by some serial order (conflict serializability).
//
// Every committed transaction has a unique id. A transaction that writes a
// tvar always reads it first and stores its own id there, so for each tvar
// the id a writer read names its predecessor: the writes to one tvar form a
// chain. From the logs we build the precedence graph
//   writer -> next writer of the same tvar         (write order)
//   writer -> every reader of its value            (reads-from)
//   reader -> the next writer after what it read   (anti-dependency)
// which must be acyclic; a topological order is then a serial order, and
// replaying the logs in it must reproduce every read.

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

namespace stm = boost::stm;

namespace {

using test_helpers::stress;

using txid = std::uint64_t;
constexpr txid initial = 0;
// Written by nested transactions that are then undone: never visible.
constexpr txid undone_bit = txid(1) << 63;

struct op {
  int var;
  txid seen;  // the id read
  bool wrote;
};

struct record {
  txid id;
  std::vector<op> acc;  // one entry per tvar touched
};

// Everyone starts together, so that the transactions really overlap.
class start_gate {
public:
  explicit start_gate(int n) : left_(n) {}
  void arrive_and_wait() {
    left_.fetch_sub(1);
    while (left_.load() > 0) std::this_thread::yield();
  }

private:
  std::atomic<int> left_;
};

struct verdict {
  bool ok = true;
  std::string why;
};

verdict check(const std::vector<record>& all, int nvars) {
  verdict v;
  auto fail = [&](std::string why) {
    if (v.ok) {
      v.ok = false;
      v.why = std::move(why);
    }
  };
  std::unordered_map<txid, std::size_t> index;  // id -> position in all
  for (std::size_t i = 0; i < all.size(); ++i) index.emplace(all[i].id, i);

  // Per tvar: successor writer of each version (id), and the readers of it.
  std::vector<std::unordered_map<txid, txid>> next_writer(nvars);
  std::vector<std::unordered_map<txid, std::vector<txid>>> readers(nvars);
  for (const record& r : all)
    for (const op& a : r.acc) {
      if (a.seen & undone_bit) fail("a read saw a write of an undone nested transaction");
      if (a.seen != initial && !index.count(a.seen)) fail("a read saw a value no commit wrote");
      if (a.seen == r.id) fail("a transaction read its own id before writing it");
      if (a.wrote) {
        auto ins = next_writer[a.var].emplace(a.seen, r.id);
        if (!ins.second) fail("lost update: two commits overwrote the same version");
      } else {
        readers[a.var][a.seen].push_back(r.id);
      }
    }
  if (!v.ok) return v;

  std::vector<std::vector<std::size_t>> out(all.size());
  auto edge = [&](txid from, txid to) {
    if (from == initial || from == to) return;
    out[index.at(from)].push_back(index.at(to));
  };
  for (int var = 0; var < nvars; ++var) {
    for (auto& [prev, w] : next_writer[var]) edge(prev, w);
    for (auto& [ver, rs] : readers[var]) {
      auto nw = next_writer[var].find(ver);
      for (txid r : rs) {
        edge(ver, r);
        if (nw != next_writer[var].end()) edge(r, nw->second);
      }
    }
  }
  // Kahn's algorithm: a topological order exists iff there is no cycle.
  std::vector<int> indeg(all.size(), 0);
  for (auto& es : out)
    for (std::size_t t : es) ++indeg[t];
  std::vector<std::size_t> ready, order;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (indeg[i] == 0) ready.push_back(i);
  while (!ready.empty()) {
    std::size_t i = ready.back();
    ready.pop_back();
    order.push_back(i);
    for (std::size_t t : out[i])
      if (--indeg[t] == 0) ready.push_back(t);
  }
  if (order.size() != all.size()) {
    fail("the precedence graph has a cycle: no serial order explains the reads (" +
         std::to_string(all.size() - order.size()) + " transactions involved)");
    return v;
  }
  // Replay in that order: every read must see exactly the current value.
  std::vector<txid> state(nvars, initial);
  for (std::size_t i : order) {
    const record& r = all[i];
    for (const op& a : r.acc)
      if (state[a.var] != a.seen) fail("replay in serial order does not reproduce a read");
    for (const op& a : r.acc)
      if (a.wrote) state[a.var] = r.id;
  }
  return v;
}

struct workload {
  int threads;
  int per_thread;
  int nvars;
  bool slow;  // some long bodies, to provoke restarts and serial runs
};

verdict run(const workload& w, std::vector<txid>* final_state = nullptr) {
  std::vector<std::unique_ptr<stm::tvar<txid>>> vars;
  for (int i = 0; i < w.nvars; ++i) vars.push_back(std::make_unique<stm::tvar<txid>>(initial));
  std::vector<std::vector<record>> logs(w.threads);
  start_gate gate(w.threads);
  std::vector<std::thread> ts;
  for (int t = 0; t < w.threads; ++t)
    ts.emplace_back([&, t] {
      std::mt19937 rng(1234u + unsigned(t));
      gate.arrive_and_wait();
      for (int k = 0; k < w.per_thread; ++k) {
        const txid id = (txid(t + 1) << 32) | txid(k + 1);
        // The shape of this transaction: what it reads, what it writes.
        std::vector<int> order(w.nvars);
        for (int i = 0; i < w.nvars; ++i) order[i] = i;
        std::shuffle(order.begin(), order.end(), rng);
        int nread = 1 + int(rng() % unsigned(w.nvars));
        std::vector<bool> writes(w.nvars, false);
        bool read_only = rng() % 4 == 0;
        for (int i = 0; i < nread; ++i) writes[order[i]] = !read_only && rng() % 2 == 0;
        int shape = int(rng() % 4);
        bool slow = w.slow && rng() % 8 == 0;

        record r = stm::atomically([&] {
          record rec{id, {}};
          for (int i = 0; i < nread; ++i) {
            int var = order[i];
            txid seen = vars[var]->get();
            if (slow) std::this_thread::yield();
            rec.acc.push_back(op{var, seen, false});
            if (!writes[var]) continue;
            rec.acc.back().wrote = true;
            if (shape == 0) {
              vars[var]->set(id);
            } else if (shape == 1) {
              stm::atomically([&] { vars[var]->set(id); });  // nested, committed
            } else if (shape == 2) {
              struct undo {};
              try {
                stm::atomically([&] {
                  vars[var]->set(id | undone_bit);
                  throw undo{};
                });
              } catch (const undo&) {
              }
              vars[var]->set(id);
            } else {
              stm::or_else(
                  [&] {
                    vars[var]->set(id | undone_bit);
                    stm::retry();
                  },
                  [&] { vars[var]->set(id); });
            }
          }
          return rec;
        });
        logs[t].push_back(std::move(r));
      }
    });
  for (auto& t : ts) t.join();
  std::vector<record> all;
  for (auto& l : logs) all.insert(all.end(), l.begin(), l.end());
  if (final_state)
    for (auto& v : vars) final_state->push_back(v->get());
  return check(all, w.nvars);
}

}  // namespace

BOOST_AUTO_TEST_CASE(checker_detects_violations) {
  // The checker itself: a lost update, a cycle, and a clean history.
  auto rec = [](txid id, std::vector<op> a) { return record{id, std::move(a)}; };
  std::vector<record> clean{rec(1, {{0, 0, true}}), rec(2, {{0, 1, true}, {1, 0, false}})};
  BOOST_TEST(check(clean, 2).ok);
  std::vector<record> lost{rec(1, {{0, 0, true}}), rec(2, {{0, 0, true}})};
  BOOST_TEST(!check(lost, 1).ok);
  // Write skew: each reads the other's old value and writes its own tvar.
  std::vector<record> skew{rec(1, {{0, 0, false}, {1, 0, true}}),
                           rec(2, {{1, 0, false}, {0, 0, true}})};
  BOOST_TEST(!check(skew, 2).ok);
  std::vector<record> undone{rec(1, {{0, undone_bit | 5, false}})};
  BOOST_TEST(!check(undone, 1).ok);
}

BOOST_AUTO_TEST_CASE(two_threads_few_tvars) {
  verdict v = run({2, 20000 * stress(), 3, false});
  BOOST_TEST(v.ok, v.why);
}

BOOST_AUTO_TEST_CASE(four_threads) {
  verdict v = run({4, 10000 * stress(), 5, false});
  BOOST_TEST(v.ok, v.why);
}

BOOST_AUTO_TEST_CASE(eight_threads_slow_bodies) {
  std::uint64_t restarts = stm::statistics().restarts;
  verdict v = run({8, 3000 * stress(), 4, true});
  BOOST_TEST(v.ok, v.why);
  BOOST_TEST_MESSAGE("restarts " << stm::statistics().restarts - restarts);
}

BOOST_AUTO_TEST_CASE(many_tvars_index_path) {
  // More tvars than BOOST_STM_WRITE_INDEX_AFTER: large write sets use the index.
  verdict v = run({3, 2000 * stress(), 40, false});
  BOOST_TEST(v.ok, v.why);
}
