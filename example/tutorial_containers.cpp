// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Transactional containers: tlist, tmap, tset, tqueue, broadcast_queue and
// its endpoints, and the transactional-object pattern. Every snippet shown in
// the documentation's Containers page comes from here; the program checks
// its own results.
//
//   tutorial_containers [--quick]
#include <boost/stm.hpp>
#include <boost/stm/tmap.hpp>
#include <boost/stm/tqueue.hpp>
#include <boost/stm/tset.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tutorial_containers: check failed: %s\n", what);
    ++failures;
  }
}

//[containers_object
// A transactional object: a plain struct whose fields are tvars. A
// transaction (or watcher) that reads one field does not conflict with,
// and is not woken by, commits that write only another field.
struct job_status {
  stm::tvar<std::string> owner{std::string("nobody")};
  stm::tvar<int> progress{0};
  stm::tvar<bool> finished{false};
};
//]

}  // namespace

int main() {
  {
    //[containers_tlist
    stm::tlist<int> l{1, 2, 3};
    l.push_back(4);
    l.push_front(0);     // 0 1 2 3 4
    l.insert(2, 10);     // 0 1 10 2 3 4
    l.set(0, -1);        // -1 1 10 2 3 4
    l.erase(1);          // -1 10 2 3 4
    int third = l[2];    // 2
    int last = l.pop_back();                 // 4; retries (blocks) while empty
    std::optional<int> first = l.try_pop_front();  // -1; nullopt when empty
    std::vector<int> rest = l.to_vector();   // 10 2 3: one consistent copy
    int sum = 0;
    for (int v : l.snapshot()) sum += v;     // iterate a snapshot, outside any transaction
    //]
    check(third == 2 && last == 4 && first == -1, "tlist operations");
    check((rest == std::vector<int>{10, 2, 3}) && sum == 15, "tlist snapshots");
  }

  {
    //[containers_tlist_atomic
    stm::tlist<int> from{1, 2, 3}, to;
    // Several operations, one transaction: nobody sees the item in both
    // lists or in neither.
    stm::atomically([&] { to.push_back(from.pop_front()); });
    //]
    check(from.size() == 2 && to.size() == 1 && to[0] == 1, "moving between lists");
  }

  {
    //[containers_tmap
    stm::tmap<std::string, int> stock;
    stock.insert_or_assign("apples", 3);   // true: the key was added
    stock.insert("pears", 5);              // adds only if absent
    std::optional<int> apples = stock.find("apples");  // 3
    bool has_plums = stock.contains("plums");           // false
    int pears = stock.at("pears");          // 5; throws std::out_of_range if absent
    stock.erase("pears");                   // true: it was there
    std::vector<std::string> names = stock.keys();   // {"apples"}, in order
    //]
    check(apples == 3 && !has_plums && pears == 5 && names.size() == 1, "tmap operations");
  }

  {
    //[containers_tmap_get
    stm::tmap<std::string, int> results;
    std::thread producer([&] { results.insert_or_assign("answer", 42); });
    int answer = results.get("answer");  // retries (blocks) until the key exists
    producer.join();
    //]
    check(answer == 42, "tmap::get waits for the key");
  }

  {
    //[containers_tset
    stm::tset<int> seen;
    bool added = seen.insert(3);   // true
    bool again = seen.insert(3);   // false: already there (and nothing written)
    seen.insert(1);
    std::vector<int> in_order = seen.to_vector();  // {1, 3}
    seen.erase(3);
    //]
    check(added && !again && (in_order == std::vector<int>{1, 3}) && seen.size() == 1,
          "tset operations");
  }

  {
    //[containers_tqueue
    stm::tqueue<int> q;            // unbounded
    q.push(1);
    q.push(2);
    int a = q.pop();               // 1; retries (blocks) while empty
    std::optional<int> b = q.try_pop();   // 2
    std::optional<int> c = q.try_pop();   // nullopt: empty

    stm::tqueue<int> bounded(2);   // at most two items: push retries while full
    bounded.push(1);
    bounded.push(2);
    bool pushed = bounded.try_push(3);    // false: full
    //]
    check(a == 1 && b == 2 && !c && !pushed && bounded.size() == 2, "tqueue operations");
  }

  {
    //[containers_tqueue_more
    stm::tqueue<int> q(3);
    q.push(1);
    q.push(2);
    q.unget(0);                    // back at the front: the next pop returns it
    bool full = q.full();          // true: three items in a queue of capacity 3
    std::vector<int> all = q.flush();     // {0, 1, 2}, in one step; q is empty now
    //]
    check(full && (all == std::vector<int>{0, 1, 2}) && q.empty() && !q.full(),
          "tqueue flush, unget, full");
  }

  {
    //[containers_tmvar
    stm::tmvar<std::string> box;   // empty
    std::thread producer([&] { box.put("hello"); });   // retries while full
    std::string got = box.take();  // retries while empty; empties the box
    producer.join();

    stm::tmvar<int> counter{0};    // a lock that carries the value it guards
    int n = counter.take();        // holding it: nobody else can take it
    counter.put(n + 1);            // released
    int seen = counter.read();     // 1, left in the box
    int old = counter.swap(5);     // 1; the box now holds 5
    std::optional<std::string> none = box.try_take();   // nullopt: empty
    //]
    check(got == "hello" && seen == 1 && old == 1 && counter.read() == 5 && !none && box.empty(),
          "tmvar operations");
  }

  {
    //[containers_tsem
    stm::tsem permits{2};          // two at a time
    std::vector<std::thread> workers;
    stm::tvar<int> inside{0}, most{0};
    for (int i = 0; i < 4; ++i)
      workers.emplace_back([&] {
        stm::atomically([&] {      // wait() composes: take a permit and count in, at once
          permits.wait();
          inside.set(inside.get() + 1);
          most.set(std::max(most.get(), inside.get()));
        });
        stm::atomically([&] {
          inside.set(inside.get() - 1);
          permits.signal();
        });
      });
    for (auto& w : workers) w.join();
    permits.signal(3);             // add three permits at once
    //]
    check(most.get() <= 2 && inside.get() == 0 && permits.count() == 5, "tsem operations");
  }

  {
    //[containers_broadcast
    stm::broadcast_queue<std::string> news;
    stm::broadcast_endpoint<std::string> alice = news.new_endpoint();
    stm::broadcast_endpoint<std::string> bob = news.new_endpoint();
    news.put("hello");
    news.put("world");
    std::string a1 = alice.get();      // "hello"
    std::string b1 = bob.get();        // "hello": every endpoint gets every item
    std::size_t left = alice.remaining();  // 1, in O(1)
    //]
    check(a1 == "hello" && b1 == "hello" && left == 1, "broadcast_queue delivers to all");

    //[containers_broadcast_more
    stm::broadcast_endpoint<std::string> carol = alice.duplicate();  // same unread items
    std::string a2 = alice.get();      // "world"
    std::string c2 = carol.get();      // "world": carol's cursor is her own
    alice.replace("again");            // push back in front of alice's unread items only
    std::optional<std::string> a3 = alice.try_get();   // "again"
    std::optional<std::string> a4 = alice.try_get();   // nullopt: nothing left
    std::string peeked = bob.peek();   // "world", left in place
    //]
    check(a2 == "world" && c2 == "world" && a3 == "again" && !a4 && peeked == "world",
          "endpoints: duplicate, replace, peek");
  }

  {
    //[containers_broadcast_fifo
    // One endpoint shared by several consumers is a plain FIFO: each item
    // goes to exactly one of them. thread_pool keeps its free workers so.
    stm::broadcast_queue<int> q;
    stm::broadcast_endpoint<int> shared = q.new_endpoint();
    for (int i = 0; i < 100; ++i) q.put(i);
    stm::tvar<long> total{0};
    std::vector<std::thread> consumers;
    for (int t = 0; t < 2; ++t)
      consumers.emplace_back([&] {
        while (std::optional<int> v = shared.try_get()) total.modify([&](long s) { return s + *v; });
      });
    for (std::thread& c : consumers) c.join();
    //]
    check(total.get() == 4950, "a shared endpoint hands each item out once");
  }

  {
    //[containers_object_use
    job_status job;
    int runs = 0;
    // Watches only `finished`.
    auto h = stm::atomically_watch([&] { return job.finished.get(); }, [&](bool) { ++runs; });
    for (int p = 1; p <= 100; ++p) job.progress.set(p);  // runs stays 1
    stm::atomically([&] {
      job.progress.set(100);
      job.finished.set(true);                            // runs becomes 2
    });
    //]
    check(runs == 2, "writes to other fields do not re-run the watcher");
  }

  if (failures == 0) std::printf("tutorial_containers: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
