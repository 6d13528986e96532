// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A transactional object: a plain struct whose fields are tvars. Each field
// is its own unit of conflict and of wake-up, so a watcher of one field is
// not re-run, and a transaction blocked on one field is not woken, by
// commits that write only the other fields.
//
//   transactional_object [--quick]
#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/watch.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

struct account {
  stm::tvar<std::string> owner;
  stm::tvar<long> balance;
  account(std::string o, long b) : owner(std::move(o)), balance(b) {}
};

// Both fields of both accounts change in one transaction or not at all.
void transfer(account& from, account& to, long amount) {
  stm::atomically([&] {
    if (from.balance.get() < amount) stm::retry();  // wait for funds
    from.balance.set(from.balance.get() - amount);
    to.balance.set(to.balance.get() + amount);
  });
}

int failures = 0;
void check(bool ok, const char* what) {
  std::printf("  %-58s %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int rounds = quick ? 1000 : 100000;

  account alice("alice", 100), bob("bob", 0);

  std::printf("A watcher of alice.owner, while %d transfers change balances:\n", rounds);
  int owner_runs = 0;
  std::string last_owner;
  stm::watch_handle h = stm::atomically_watch([&] { return alice.owner.get(); },
                                              [&](std::string o) {
                                                ++owner_runs;
                                                last_owner = std::move(o);
                                              });
  for (int i = 0; i < rounds; ++i) {
    transfer(alice, bob, 1);
    transfer(bob, alice, 1);
  }
  check(owner_runs == 1, "the owner watcher ran once only (when set up)");
  alice.owner.set("alice smith");
  check(owner_runs == 2 && last_owner == "alice smith", "writing the owner re-ran it");
  h.cancel();

  std::printf("A transfer blocked on bob.balance, while alice.owner changes:\n");
  const stm::stats before = stm::statistics();
  std::thread payer([&] { transfer(bob, alice, 50); });  // bob has 0: blocks
  while (stm::statistics().retries == before.retries) std::this_thread::yield();
  for (int i = 0; i < 100; ++i) alice.owner.set("owner " + std::to_string(i));
  transfer(alice, bob, 50);  // now bob can pay
  payer.join();
  const stm::stats after = stm::statistics();
  std::printf("  blocked %llu time(s), woken %llu time(s)\n",
              static_cast<unsigned long long>(after.retries - before.retries),
              static_cast<unsigned long long>(after.wakeups - before.wakeups));
  check(after.retries - before.retries == 1, "blocked once: owner writes did not wake it");
  long a = alice.balance.get(), b = bob.balance.get();
  std::printf("  alice %ld, bob %ld\n", a, b);
  check(a == 100 && b == 0, "money is conserved");

  std::printf("Concurrent transfers between the two accounts:\n");
  std::vector<std::thread> ts;
  for (int t = 0; t < 2; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < rounds / 10; ++i) {
        if (t == 0) transfer(alice, bob, 3);
        else transfer(bob, alice, 3);
      }
    });
  for (auto& t : ts) t.join();
  long total = stm::atomically([&] { return alice.balance.get() + bob.balance.get(); });
  check(total == 100, "the total is still 100");

  std::printf("%s\n", failures ? "transactional_object: FAILED" : "transactional_object: all ok");
  return failures ? 1 : 0;
}
