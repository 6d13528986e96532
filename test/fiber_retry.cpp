// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE fiber_retry
#include <boost/test/unit_test.hpp>

// retry() inside a Boost.Fiber fiber suspends only that fiber: the other
// fibers of its thread keep running, and a commit on any thread wakes it.

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <boost/fiber/all.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

struct enable_fibers {
  enable_fibers() { stm::enable_fiber_support(); }
};

// Fails instead of hanging when a wake-up is lost.
template <class F>
void with_watchdog(const char* what, F f) {
  auto run = std::async(std::launch::async, std::move(f));
  if (run.wait_for(60s) != std::future_status::ready) {
    std::fprintf(stderr, "%s: no progress in 60 s (a fiber was never woken)\n", what);
    std::fflush(stderr);
    std::_Exit(1);
  }
  run.get();
}

void until_retries_reach(std::uint64_t n) {
  while (stm::statistics().retries < n) std::this_thread::yield();
}

}  // namespace

BOOST_GLOBAL_FIXTURE(enable_fibers);

BOOST_AUTO_TEST_CASE(blocked_fiber_is_woken_by_another_thread_while_its_sibling_runs) {
  with_watchdog("fiber woken by a thread", [] {
    stm::tvar<int> x{0};
    stm::tvar<long> sibling_commits{0};
    std::atomic<long> sibling_steps{0};
    std::atomic<int> woken_with{-1};
    std::uint64_t before = stm::statistics().retries;

    std::thread fibers_thread([&] {
      boost::fibers::fiber waiter([&] {
        woken_with = stm::atomically([&] {
          int v = x.get();
          if (v == 0) stm::retry();
          return v;
        });
      });
      boost::fibers::fiber sibling([&] {
        // Runs (and commits) on the same thread for as long as the waiter
        // is blocked: only the waiter is suspended.
        while (woken_with.load() < 0) {
          stm::atomically([&] { sibling_commits.set(sibling_commits.get() + 1); });
          ++sibling_steps;
          boost::this_fiber::yield();
        }
      });
      waiter.join();
      sibling.join();
    });

    until_retries_reach(before + 1);
    long s0 = sibling_steps.load();
    while (sibling_steps.load() < s0 + 1000) std::this_thread::yield();
    BOOST_TEST(woken_with.load() == -1);  // still blocked, yet its thread runs
    x.set(7);                             // a commit on another std::thread
    fibers_thread.join();
    BOOST_TEST(woken_with.load() == 7);
    BOOST_TEST(sibling_commits.get() >= s0 + 1000);
  });
}

BOOST_AUTO_TEST_CASE(blocked_fiber_is_woken_by_a_sibling_fiber) {
  with_watchdog("fiber woken by a fiber", [] {
    stm::tvar<int> x{0};
    int got = 0;
    std::thread t([&] {
      boost::fibers::fiber waiter([&] {
        got = stm::atomically([&] {
          if (x.get() == 0) stm::retry();
          return x.get();
        });
      });
      boost::fibers::fiber writer([&] {
        boost::this_fiber::yield();  // let the waiter block first
        x.set(3);
      });
      waiter.join();
      writer.join();
    });
    t.join();
    BOOST_TEST(got == 3);
  });
}

BOOST_AUTO_TEST_CASE(timed_retry_in_a_fiber) {
  with_watchdog("timed retry in a fiber", [] {
    std::atomic<bool> timed_out{false};
    std::atomic<long> sibling_steps{0};
    std::thread t([&] {
      boost::fibers::fiber waiter([&] {
        stm::atomically([] {
          if (!stm::elapsed(30ms)) stm::retry();
        });
        timed_out = true;
      });
      boost::fibers::fiber sibling([&] {
        while (!timed_out.load()) {
          ++sibling_steps;
          boost::this_fiber::yield();
        }
      });
      waiter.join();
      sibling.join();
    });
    t.join();
    BOOST_TEST(timed_out.load());
    BOOST_TEST(sibling_steps.load() > 0);
  });
}

BOOST_AUTO_TEST_CASE(many_fibers_each_woken_once) {
  with_watchdog("many fibers", [] {
    constexpr int n = 64;
    std::vector<std::unique_ptr<stm::tvar<int>>> slots;
    for (int i = 0; i < n; ++i) slots.push_back(std::make_unique<stm::tvar<int>>(0));
    stm::tvar<int> finished{0};
    std::thread t([&] {
      std::vector<boost::fibers::fiber> fs;
      for (int i = 0; i < n; ++i)
        fs.emplace_back([&, i] {
          int v = stm::atomically([&] {
            int s = slots[std::size_t(i)]->get();
            if (s == 0) stm::retry();
            return s;
          });
          stm::atomically([&] { finished.set(finished.get() + v); });
        });
      for (auto& f : fs) f.join();
    });
    // Hand each fiber its value from this thread, in reverse order.
    for (int i = n - 1; i >= 0; --i) slots[std::size_t(i)]->set(i + 1);
    t.join();
    BOOST_TEST(finished.get() == n * (n + 1) / 2);
  });
}

BOOST_AUTO_TEST_CASE(fiber_ping_pong_across_threads) {
  with_watchdog("fiber ping-pong", [] {
    const int n = 5000;
    stm::tvar<int> turn{0};
    auto play = [&](int me) {
      for (int i = 0; i < n; ++i)
        stm::atomically([&] {
          if (turn.get() != me) stm::retry();
          turn.set(1 - me);
        });
    };
    std::thread a([&] { boost::fibers::fiber(play, 0).join(); });
    std::thread b([&] { boost::fibers::fiber(play, 1).join(); });
    a.join();
    b.join();
    BOOST_TEST(turn.get() == 0);
  });
}
