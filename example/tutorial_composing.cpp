// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// STM tutorial, part 2: composing blocking transactions with or_else,
// timeouts with elapsed, side effects with after_commit, invariants, and the
// statistics. Every snippet shown in the documentation comes from here; the
// program checks its own results.
//
//   tutorial_composing [--quick]
#include <boost/stm.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_composing: check failed: %s\n", what);
    ++failures;
  }
}

//[tutorial_take
// Takes one item from a slot, waiting while it is empty.
int take(stm::tvar<std::optional<int>>& slot) {
  return stm::atomically([&] {
    std::optional<int> v = slot.get();
    if (!v) stm::retry();
    slot.set(std::nullopt);
    return *v;
  });
}
//]

}  // namespace

int main() {
  {
    //[tutorial_or_else
    stm::tvar<std::optional<int>> left, right;
    right.set(7);
    // Whichever slot has an item: take() from the left retries (it is
    // empty), so or_else undoes that alternative and takes from the right.
    int v = stm::atomically([&] {
      return stm::or_else([&] { return take(left); }, [&] { return take(right); });
    });
    //]
    check(v == 7 && !right.get(), "or_else takes the second alternative when the first retries");
  }

  {
    //[tutorial_or_else_wait
    stm::tvar<std::optional<int>> left, right;
    std::thread producer([&] { left.set(1); });
    // Both alternatives retry until the producer writes: the transaction
    // then waits on what either alternative read, and wakes on either slot.
    int v = stm::atomically([&] {
      return stm::or_else([&] { return take(left); }, [&] { return take(right); });
    });
    producer.join();
    //]
    check(v == 1, "or_else waits on what both alternatives read");
  }

  {
    //[tutorial_or_else_many
    stm::tvar<std::optional<int>> urgent, normal, idle;
    normal.set(2);
    idle.set(3);
    // Any number of alternatives, tried in order: the first that does not
    // retry wins. check(c) is retry() unless c (GHC's check).
    stm::tvar<bool> closed{false};
    int v = stm::atomically([&] {
      return stm::or_else([&] { return take(urgent); },
                          [&] { return take(normal); },
                          [&] { return take(idle); },
                          [&] { stm::check(closed.get()); return -1; });
    });
    //]
    check(v == 2 && !normal.get() && idle.get() == 3, "or_else with four alternatives");
  }

  {
    //[tutorial_modify_swap
    stm::tvar<int> hits{0};
    hits.modify([](int h) { return h + 1; });   // read-modify-write in one transaction
    int before = hits.swap(10);                 // writes 10, returns what it replaced (1)
    //]
    check(before == 1 && hits.get() == 10, "modify and swap");
  }

  {
    //[tutorial_elapsed
    stm::tvar<std::optional<int>> slot;
    // Waits for an item for at most 20 ms; the deadline counts from the
    // first attempt, and a retry after a false elapsed() wakes at it.
    std::optional<int> got = stm::atomically([&]() -> std::optional<int> {
      if (std::optional<int> v = slot.get()) {
        slot.set(std::nullopt);
        return v;
      }
      if (stm::elapsed(20ms)) return std::nullopt;  // timed out
      stm::retry();
    });
    //]
    check(!got, "elapsed ends the wait on an empty slot");
  }

  {
    //[tutorial_or_else_timeout
    stm::tvar<std::optional<int>> slot;
    // The same with or_else: a value, or a default once 20 ms have passed.
    int v = stm::atomically([&] {
      return stm::or_else([&] { return take(slot); },
                          [&] {
                            if (!stm::elapsed(20ms)) stm::retry();
                            return -1;
                          });
    });
    //]
    check(v == -1, "or_else with elapsed gives the default after the timeout");
  }

  {
    //[tutorial_after_commit
    stm::tvar<int> counter{0};
    std::vector<std::string> log;  // not transactional: touched only after commits
    for (int i = 0; i < 3; ++i)
      stm::atomically([&] {
        int n = counter.get() + 1;
        counter.set(n);
        // A transaction may run several times; this runs once, after the
        // commit, outside any transaction, and never if it rolls back.
        stm::after_commit([&log, n] { log.push_back("committed " + std::to_string(n)); });
      });
    //]
    check(log.size() == 3 && log.back() == "committed 3", "after_commit runs once per commit");
  }

  {
    //[tutorial_after_commit_abort
    stm::tvar<int> counter{0};
    bool printed = false;
    try {
      stm::atomically([&] {
        counter.set(1);
        stm::after_commit([&] { printed = true; });
        throw std::runtime_error("abort");
      });
    } catch (const std::runtime_error&) {
    }
    // printed == false, counter == 0
    //]
    check(!printed && counter.get() == 0, "after_commit is dropped when the transaction aborts");
  }

  {
    //[tutorial_invariant
    stm::tvar<int> balance{100};
    stm::atomically([&] { stm::invariant([&] { return balance.get() >= 0; }); });

    balance.set(50);  // fine: the invariant holds at this commit
    bool refused = false;
    try {
      balance.set(-1);  // the commit would break it
    } catch (const stm::invariant_error&) {
      refused = true;  // rolled back: balance is still 50
    }
    //]
    check(refused && balance.get() == 50, "a commit that breaks an invariant is rolled back");
  }

  {
    //[tutorial_stats
    stm::stats before = stm::statistics();
    stm::tvar<int> x{0};
    for (int i = 0; i < 10; ++i) stm::atomically([&] { x.set(x.get() + 1); });
    stm::stats after = stm::statistics();
    std::printf("commits: %llu, attempts: %llu\n",
                static_cast<unsigned long long>(after.commits - before.commits),
                static_cast<unsigned long long>(after.attempts - before.attempts));
    //]
    check(after.commits - before.commits >= 10, "ten commits counted");
  }

  {
    //[tutorial_conflict_sites
    struct accounts {
      stm::tvar<long> a{100}, b{100};
    } acc;
    stm::record_conflict_sites(true);
    stm::name_conflict_sites(&acc, sizeof acc, "accounts");
    std::uint64_t restarts = stm::statistics().restarts;
    auto transfers = [&] {
      for (int i = 0; i < 20000; ++i)
        stm::atomically([&] {
          acc.a.set(acc.a.get() - 1);
          acc.b.set(acc.b.get() + 1);
        });
    };
    std::thread other(transfers);
    transfers();
    other.join();
    restarts = stm::statistics().restarts - restarts;
    for (const stm::conflict_site& s : stm::conflict_sites(3))
      std::printf("%s\n", [&] { std::ostringstream os; os << s; return os.str(); }().c_str());
    // e.g. "accounts at 0x7ffd...: 41 restarts (read 0, commit 41, watch 0)"
    stm::forget_conflict_site_names(&acc, sizeof acc);
    stm::record_conflict_sites(false);
    //]
    std::uint64_t counted = 0;
    bool named = true;
    for (const stm::conflict_site& s : stm::conflict_sites(100)) {
      counted += s.restarts();
      named = named && (s.tvar == &acc.a || s.tvar == &acc.b);
    }
    stm::clear_conflict_sites();
    check(acc.a.get() + acc.b.get() == 200, "the transfers kept the total");
    check(named && counted == restarts, "every restart counted against one of the two accounts");
  }

  {
    //[tutorial_blocked_forever
    std::uint64_t refused = stm::statistics().blocked_forever;
    try {
      stm::atomically([] {
        stm::tmvar<int> box;   // local to the body: gone before the retry could wait
        return box.take();     // empty: retries, and nothing could ever fill it
      });
    } catch (const stm::usage_error& e) {
      // "stm::retry() that nothing can ever wake: ... BlockedIndefinitelyOnSTM ..."
      refused = stm::statistics().blocked_forever - refused;   // 1
    }
    //]
    check(refused == 1, "a retry nothing can wake is refused and counted");
  }

  if (failures == 0) std::printf("tutorial_composing: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
