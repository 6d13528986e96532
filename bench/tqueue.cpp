// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// One producer thread, one consumer thread, N ints through a queue:
//   stm::tqueue            blocking pop() (retry), unbounded
//   stm::tqueue(1024)      the same, bounded: push() retries while full
//   mutex + condvar deque  std::deque under std::mutex, consumer waits on a
//                          condition variable
//   lockfree::queue        boost::lockfree::queue, consumer spins on empty
// Rounds are interleaved (every queue once per round) so that drifts in
// machine load hit all alike; the table gives the median throughput with
// min and max, and each queue's median relative to stm::tqueue's.
//
//   tqueue [--quick] [--items N] [--rounds R]
#include <boost/lockfree/queue.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tqueue.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

using clock_type = std::chrono::steady_clock;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Runs producer and consumer on two threads; returns seconds, or a
// negative number if the consumer's sum is wrong.
template <class Push, class Pop>
double run(long n, Push push, Pop pop) {
  long long sum = 0;
  auto t0 = clock_type::now();
  std::thread consumer([&] {
    for (long i = 0; i < n; ++i) sum += pop();
  });
  std::thread producer([&] {
    for (long i = 0; i < n; ++i) push(static_cast<int>(i));
  });
  producer.join();
  consumer.join();
  double s = std::chrono::duration<double>(clock_type::now() - t0).count();
  return sum == static_cast<long long>(n) * (n - 1) / 2 ? s : -1.0;
}

double run_tqueue(long n, std::size_t capacity) {
  auto q = capacity ? std::make_unique<stm::tqueue<int>>(capacity) : std::make_unique<stm::tqueue<int>>();
  return run(n, [&](int v) { q->push(v); }, [&] { return q->pop(); });
}

double run_mutex(long n) {
  std::mutex m;
  std::condition_variable cv;
  std::deque<int> d;
  return run(
      n,
      [&](int v) {
        {
          std::lock_guard<std::mutex> g(m);
          d.push_back(v);
        }
        cv.notify_one();
      },
      [&] {
        std::unique_lock<std::mutex> g(m);
        cv.wait(g, [&] { return !d.empty(); });
        int v = d.front();
        d.pop_front();
        return v;
      });
}

double run_lockfree(long n) {
  boost::lockfree::queue<int> q(1024);
  return run(
      n, [&](int v) { while (!q.push(v)) cpu_relax(); },
      [&] {
        int v;
        unsigned spins = 0;
        while (!q.pop(v))
          if (++spins % 64 == 0) std::this_thread::yield(); else cpu_relax();
        return v;
      });
}

struct contender {
  std::string name;
  std::function<double(long)> run;
  std::vector<double> secs;
  stm::stats stm_delta{};
  bool stm = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t k = v.size() / 2;
  return v.size() % 2 ? v[k] : (v[k - 1] + v[k]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  long items = 1000000;
  int rounds = 7;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      items = 20000;
      rounds = 5;
    } else if (!std::strcmp(argv[i], "--items") && i + 1 < argc) {
      items = std::atol(argv[++i]);
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--items N] [--rounds R]\n", argv[0]);
      return 2;
    }
  }

  std::vector<contender> cs;
  cs.push_back({"stm::tqueue", [](long n) { return run_tqueue(n, 0); }, {}, {}, true});
  cs.push_back({"stm::tqueue(1024)", [](long n) { return run_tqueue(n, 1024); }, {}, {}, true});
  cs.push_back({"mutex + condvar deque", run_mutex, {}, {}, false});
  cs.push_back({"boost::lockfree::queue", run_lockfree, {}, {}, false});

  bool ok = true;
  for (int r = 0; r < rounds; ++r)
    for (contender& c : cs) {
      stm::stats before = stm::statistics();
      double s = c.run(items);
      stm::stats after = stm::statistics();
      if (s < 0) {
        std::fprintf(stderr, "%s: wrong sum\n", c.name.c_str());
        ok = false;
        s = 0;
      }
      c.secs.push_back(s);
      c.stm_delta.attempts += after.attempts - before.attempts;
      c.stm_delta.commits += after.commits - before.commits;
      c.stm_delta.restarts += after.restarts - before.restarts;
      c.stm_delta.retries += after.retries - before.retries;
    }

  std::printf("1 producer, 1 consumer, %ld ints, %d interleaved rounds, %u hardware threads\n\n",
              items, rounds, std::thread::hardware_concurrency());
  std::printf("| queue | median Mitems/s | min | max | vs stm::tqueue |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  auto tput = [&](double s) { return s > 0 ? items / s / 1e6 : 0.0; };
  const double base = tput(median(cs[0].secs));
  for (contender& c : cs) {
    double med = tput(median(c.secs));
    double lo = tput(*std::max_element(c.secs.begin(), c.secs.end()));
    double hi = tput(*std::min_element(c.secs.begin(), c.secs.end()));
    std::printf("| %s | %.2f | %.2f | %.2f | %.2fx |\n", c.name.c_str(), med, lo, hi,
                base > 0 ? med / base : 0.0);
  }
  std::printf("\nSTM work per item (all rounds):\n\n");
  std::printf("| queue | attempts | restarts | retries (blocked) |\n|---|---:|---:|---:|\n");
  for (contender& c : cs) {
    if (!c.stm) continue;
    double n = double(items) * rounds;
    std::printf("| %s | %.3f | %.3f | %.3f |\n", c.name.c_str(), c.stm_delta.attempts / n,
                c.stm_delta.restarts / n, c.stm_delta.retries / n);
  }
  return ok ? 0 : 1;
}
