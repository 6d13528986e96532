// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Every transactional container at work: a bounded tqueue between producers
// and consumers, a broadcast_queue with two endpoints, a tmap of counters,
// a tset and a tlist, and one transaction spanning several of them.
//
//   containers [--quick]
#include <boost/stm/atomically.hpp>
#include <boost/stm/broadcast_queue.hpp>
#include <boost/stm/tlist.hpp>
#include <boost/stm/tmap.hpp>
#include <boost/stm/tqueue.hpp>
#include <boost/stm/tset.hpp>
#include <boost/stm/tvar.hpp>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

int failures = 0;
void check(bool ok, const char* what) {
  std::printf("  %-60s %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int items = quick ? 2000 : 200000;

  std::printf("tqueue: 2 producers, 2 consumers, capacity 16, %d items:\n", items);
  {
    stm::tqueue<int> q(16);
    stm::tvar<long> consumed_sum{0};
    stm::tvar<int> consumed{0};
    std::vector<std::thread> ts;
    for (int p = 0; p < 2; ++p)
      ts.emplace_back([&, p] {
        for (int i = p; i < items; i += 2) q.push(i);  // blocks while full
      });
    for (int c = 0; c < 2; ++c)
      ts.emplace_back([&] {
        for (;;) {
          // Take an item and count it in one transaction; stop when all are in.
          bool more = stm::atomically([&] {
            if (consumed.get() == items) return false;
            int v = q.pop();  // retries while empty
            consumed.set(consumed.get() + 1);
            consumed_sum.set(consumed_sum.get() + v);
            return true;
          });
          if (!more) return;
        }
      });
    for (auto& t : ts) t.join();
    long want = static_cast<long>(items) * (items - 1) / 2;
    std::printf("  consumed %d items, sum %ld\n", consumed.get(), consumed_sum.get());
    check(consumed_sum.get() == want && q.empty(), "every item consumed exactly once");
  }

  std::printf("broadcast_queue: one producer, two endpoints:\n");
  {
    stm::broadcast_queue<std::string> news;
    stm::broadcast_endpoint<std::string> reader1 = news.new_endpoint();
    stm::broadcast_endpoint<std::string> reader2 = news.new_endpoint();
    std::vector<std::string> got1, got2;
    std::thread t1([&] {
      for (std::string s; (s = reader1.get()) != "end";) got1.push_back(s);
    });
    std::thread t2([&] {
      for (std::string s; (s = reader2.get()) != "end";) got2.push_back(s);
    });
    for (const char* s : {"one", "two", "three"}) news.put(s);
    news.put("end");
    t1.join();
    t2.join();
    std::printf("  reader1 got %zu items, reader2 got %zu items\n", got1.size(), got2.size());
    check(got1 == got2 && got1.size() == 3 && got1[2] == "three", "both endpoints saw every item");
    news.put("late");
    stm::broadcast_endpoint<std::string> copy = reader1.duplicate();
    reader1.replace("first");
    std::printf("  reader1 has %zu unread, its duplicate %zu\n", reader1.remaining(),
                copy.remaining());
    check(reader1.remaining() == 2 && copy.remaining() == 1, "replace() and duplicate()");
  }

  std::printf("tmap: word counts from two threads:\n");
  {
    stm::tmap<std::string, int> counts;
    const std::vector<std::string> words{"apple", "pear", "apple", "plum", "apple", "pear"};
    auto count_all = [&] {
      for (const std::string& w : words)
        stm::atomically([&] { counts.insert_or_assign(w, counts.find(w).value_or(0) + 1); });
    };
    std::thread a(count_all), b(count_all);
    a.join();
    b.join();
    for (const auto& kv : counts.items()) std::printf("  %-6s %d\n", kv.first.c_str(), kv.second);
    check(counts.get("apple") == 6 && counts.get("pear") == 4 && counts.get("plum") == 2,
          "counts are exact");
  }

  std::printf("tset and tlist: move the jobs not yet done into a to-do list, atomically:\n");
  {
    stm::tset<int> done;
    stm::tlist<int> todo;
    for (int j : {2, 4}) done.insert(j);
    stm::atomically([&] {
      for (int j = 1; j <= 5; ++j)
        if (!done.contains(j)) todo.push_back(j);
    });
    std::printf("  to do:");
    for (int j : todo.snapshot()) std::printf(" %d", j);
    std::printf("\n");
    check((todo.to_vector() == std::vector<int>{1, 3, 5}), "to-do list is 1 3 5");

    // Finish the first job: leave the list and enter the set, one transaction.
    int finished = stm::atomically([&] {
      int j = todo.pop_front();
      done.insert(j);
      return j;
    });
    check(finished == 1 && done.contains(1) && todo.size() == 2, "a job moved between containers");
  }

  std::printf("%s\n", failures ? "containers: FAILED" : "containers: all ok");
  return failures ? 1 : 0;
}
