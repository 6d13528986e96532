// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Watchers: functions re-run inside every commit that changes what they
// read. Every snippet shown in the documentation's Watchers page comes from
// here; the program checks its own results.
//
//   tutorial_watchers [--quick]
#include <boost/stm.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_watchers: check failed: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  {
    //[watchers_derived
    stm::tvar<int> celsius{20};
    stm::tvar<bool> too_hot{false};
    // The watcher function reads celsius; its callback keeps too_hot in
    // step, inside the very commit that changed celsius.
    stm::watch_handle h = stm::atomically_watch(
        [&] { return celsius.get() > 30; },
        [&](bool hot) { too_hot.set(hot); });

    celsius.set(35);
    bool seen = too_hot.get();  // true: no commit ever shows 35 with too_hot false
    //]
    check(seen, "the callback ran in the commit that wrote celsius");
    celsius.set(10);
    check(!too_hot.get(), "and again when it changed back");
  }

  {
    //[watchers_changes_only
    stm::tvar<int> level{0};
    std::vector<std::string> messages;
    auto h = stm::atomically_watch(
        [&] { return level.get() / 10; },  // the decade, not the exact level
        stm::changes_only([&](int decade) {
          // I/O is a side effect: do it after the commit.
          stm::after_commit([&messages, decade] {
            messages.push_back("now in decade " + std::to_string(decade));
          });
        }));
    for (int v : {3, 7, 12, 15, 19, 25}) level.set(v);
    // messages: "now in decade 0", "now in decade 1", "now in decade 2"
    //]
    check(messages.size() == 3 && messages[2] == "now in decade 2",
          "changes_only passes on only values that differ");
  }

  {
    //[watchers_cancel
    stm::tvar<int> x{0};
    int calls = 0;
    stm::watch_handle h = stm::atomically_watch([&] { return x.get(); }, [&](int) { ++calls; });
    x.set(1);     // calls == 2: once when proposed, once for this commit
    h.cancel();   // no later commit runs it
    x.set(2);     // calls is still 2
    bool active = h.active();  // false
    //]
    check(calls == 2 && !active, "a cancelled watch does not run");
  }

  {
    //[watchers_scoped
    stm::tvar<int> x{0};
    int calls = 0;
    {
      auto h = stm::atomically_watch([&] { return x.get(); }, [&](int) { ++calls; });
      x.set(1);
    }             // the handle's destructor cancels the watch
    x.set(2);     // calls == 2
    //]
    check(calls == 2, "destroying the handle cancels the watch");
  }

  {
    //[watchers_in_transaction
    stm::tvar<int> x{0}, y{0};
    stm::watch_handle h;
    stm::atomically([&] {
      x.set(5);
      // Proposed inside a transaction: it first runs at this commit and sees
      // this transaction's writes.
      h = stm::watch([&] { return x.get() * 2; }, [&](int doubled) { y.set(doubled); });
    });
    //]
    check(y.get() == 10, "a watch proposed in a transaction runs at its commit");
  }

  {
    //[watchers_would_block
    stm::tvar<int> items{0};
    auto take = [&] {
      if (items.get() == 0) stm::retry();
      items.set(items.get() - 1);
    };
    bool blocks = stm::would_block(take);  // true, and nothing was taken
    items.set(1);
    bool now = stm::would_block(take);     // false; its writes are discarded
    //]
    check(blocks && !now && items.get() == 1, "would_block discards the writes");
  }

  {
    //[watchers_wait_until
    stm::tvar<int> progress{0};
    std::thread worker([&] {
      for (int i = 0; i < 5; ++i) progress.modify([](int p) { return p + 1; });
    });
    bool reached = stm::wait_until([&] { return progress.get() == 5; }, std::chrono::seconds(10));
    bool never = stm::wait_until([&] { return progress.get() > 5; }, 10ms);  // false: timed out
    worker.join();
    //]
    check(reached && !never, "wait_until returns true when reached, false on timeout");
  }

  {
    //[watchers_previously
    stm::tvar<int> x{1};
    int before = stm::atomically([&] {
      x.set(2);
      return stm::previously([&] { return x.get(); });  // 1: the committed value
    });
    //]
    check(before == 1 && x.get() == 2, "previously sees the committed state");
  }

  if (failures == 0) std::printf("tutorial_watchers: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
