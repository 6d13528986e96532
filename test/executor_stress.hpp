// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The executor stress run shared by executor_stress.cpp (thread_pool_executor)
// and fiber_executor_stress.cpp (fiber_executor).
//
// Two threads submit n top-level tasks, keeping at most `window` of them
// unfinished (so that most tasks run, rather than wait to be cancelled),
// while a third cancels futures at random; once 3n / 4 are submitted the
// main thread calls shutdown(wait = false, cancel_futures = true), racing
// the submitters and every task or callback that submits more. The tasks:
//   - return their id, or throw (1 in 8);
//   - 1 in 4: submit a child task and wait for it with get();
//   - 1 in 4: return, and their done callback submits a follow-up task;
//   - 1 in 4096 callbacks throws (reported on stderr, must not stop others).
// Children and follow-ups are leaves: they return or throw, never wait.
//
// Waiting cannot deadlock: only leaves are waited for, and at most
// max_blocked waiters block at once (for a thread pool, one less than its
// workers, so one worker always serves the queue in order and reaches every
// child); a waiter that finds no free slot cancels its child and runs it
// inline, or, if the child has started, waits for it, which a running leaf
// cannot make last. On fibers blocking suspends only the fiber.
//
// Conservation, checked once the executor is gone: every future submitted
// ended in exactly one of finished (value), failed (exception) and
// cancelled; a cancelled task never ran and a cancel() that said true means
// cancelled; every other task ran exactly once; every done callback ran
// exactly once; the executor's counters match (see check_counters). A
// watchdog turns a hang into a failure with a dump of what is blocked.
#ifndef BOOST_STM_TEST_EXECUTOR_STRESS_HPP
#define BOOST_STM_TEST_EXECUTOR_STRESS_HPP

#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/executor.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>

namespace stress_test {

namespace stm = boost::stm;

struct expected_failure : std::runtime_error {
  expected_failure() : std::runtime_error("expected task failure") {}
};

enum kind : unsigned char { value, thrower, waiter, chainer, child, follow_up };
inline const char* kind_name(unsigned char k) {
  static const char* const names[] = {"value", "thrower", "waiter", "chainer", "child", "follow_up"};
  return names[k];
}

struct record {
  std::atomic<int> ran{0};
  std::atomic<int> callbacks{0};
  std::atomic<bool> cancel_said_true{false};
  std::atomic<bool> published{false};  // f is set (release): it may be read
  unsigned char kind = value;
  bool throws = false;
  stm::shared_future<long> f;
};

template <class Executor>
class run {
public:
  // n top-level tasks; at most max_blocked waiters blocked in get() at once.
  run(Executor& ex, std::size_t n, std::size_t max_blocked)
      : ex_(ex), n_(n), max_blocked_(max_blocked), records_(new record[3 * n]) {}

  // The run. Then the caller reads the executor's counters, destroys it
  // (joining its threads: callbacks run after a task is counted done, so
  // only then have they all returned) and calls check().
  void go() {
    test_helpers::watchdog dog("the executor stress run", [this] { dump(); });
    std::thread canceller([this] { cancel_at_random(); });
    std::thread s0([this] { submit_top_level(0); }), s1([this] { submit_top_level(1); });
    stm::atomically([&] {
      if (submitted_.get() < n_ / 4 * 3) stm::retry();
    });
    ex_.shutdown(false, true);
    s0.join();
    s1.join();
    stop_cancelling_ = true;
    canceller.join();
    ex_.shutdown(true);  // every task has ended
  }

  // The futures' side of conservation, once the executor is gone.
  struct totals {
    std::size_t published = 0, finished = 0, failed = 0, cancelled = 0, ran = 0, rejected = 0;
  };
  totals check() {
    totals t;
    std::size_t used = next_id_.load();
    BOOST_TEST_REQUIRE(used <= 3 * n_);
    for (std::size_t i = 0; i < used; ++i) {
      record& r = records_[i];
      if (!r.published.load(std::memory_order_acquire)) {
        ++t.rejected;  // submit threw shutdown_error: no future
        BOOST_TEST_REQUIRE(r.ran.load() == 0);
        continue;
      }
      ++t.published;
      t.ran += static_cast<std::size_t>(r.ran.load());
      BOOST_TEST_REQUIRE(r.f.done(), "future " << i << " (" << kind_name(r.kind) << ") not done");
      BOOST_TEST_REQUIRE(r.callbacks.load() == 1, "future " << i << ": callbacks");
      if (r.f.cancelled()) {
        ++t.cancelled;
        BOOST_TEST_REQUIRE(r.ran.load() == 0, "cancelled future " << i << " ran");
        BOOST_TEST_REQUIRE(!r.f.running());
        BOOST_CHECK_THROW((void)r.f.get(), stm::cancelled_error);
        continue;
      }
      BOOST_TEST_REQUIRE(r.ran.load() == 1, "future " << i << " ran " << r.ran.load() << " times");
      BOOST_TEST_REQUIRE(!r.cancel_said_true.load(), "future " << i << ": cancel() said true");
      if (r.throws) {
        ++t.failed;
        BOOST_CHECK_THROW((void)r.f.get(), expected_failure);
      } else {
        ++t.finished;
        BOOST_TEST_REQUIRE(r.f.get() == static_cast<long>(i));
      }
    }
    BOOST_TEST(t.finished + t.failed + t.cancelled == t.published);
    BOOST_TEST(t.ran == t.finished + t.failed);
    BOOST_TEST(t.published + t.rejected == used);
    BOOST_TEST(t.published >= n_ / 4 * 3);  // all submitted before the shutdown
    BOOST_TEST(blocked_.get() == 0u);
    BOOST_TEST_MESSAGE("futures " << t.published << ": finished " << t.finished << ", failed "
                                  << t.failed << ", cancelled " << t.cancelled
                                  << "; submits refused after shutdown " << t.rejected
                                  << "; waits that blocked " << blocking_waits_.load());
    return t;
  }

  // Set by the test: prints the executor's counters in a dump.
  std::function<void()> dump_counters;

private:
  // Allocates an id, submits the task for it, registers its callback and
  // publishes its future. Throws shutdown_error if the executor refuses it.
  std::size_t submit(unsigned char k, bool throws) {
    std::size_t id = next_id_.fetch_add(1);
    record& r = records_[id];
    r.kind = k;
    r.throws = throws;
    r.f = ex_.submit([this, id] { return body(id); }).share();
    r.f.add_done_callback([this, id](stm::shared_future<long>&) { on_done(id); });
    r.published.store(true, std::memory_order_release);
    return id;
  }

  long body(std::size_t id) {
    record& r = records_[id];
    r.ran.fetch_add(1);
    if (r.kind == waiter) wait_for_a_child(id);
    if (r.throws) throw expected_failure();
    return static_cast<long>(id);
  }

  void wait_for_a_child(std::size_t id) {
    std::size_t c;
    try {
      c = submit(child, id % 3 == 0);
    } catch (const stm::shutdown_error&) {
      return;  // nothing to wait for
    }
    stm::shared_future<long> f = records_[c].f;
    bool slot = stm::atomically([&] {
      if (blocked_.get() >= max_blocked_) return false;
      blocked_.set(blocked_.get() + 1);
      return true;
    });
    if (slot) {
      ++blocking_waits_;
      try {
        (void)f.get();
      } catch (const expected_failure&) {
      } catch (const stm::cancelled_error&) {
      }
      stm::atomically([&] { blocked_.set(blocked_.get() - 1); });
    } else if (f.cancel()) {
      records_[c].cancel_said_true = true;  // it never runs: this task does without it
    } else {
      f.wait();  // running or done: a leaf, so it ends by itself
    }
  }

  void on_done(std::size_t id) {
    record& r = records_[id];
    r.callbacks.fetch_add(1);
    if (r.kind <= chainer) stm::atomically([&] { ended_.set(ended_.get() + 1); });
    if (r.kind == chainer) {
      try {
        submit(follow_up, false);
      } catch (const stm::shutdown_error&) {
      }
    }
    if (id % 4096 == 17) throw std::runtime_error("expected callback failure");
  }

  void submit_top_level(std::size_t first) {
    std::size_t mine = 0;
    for (std::size_t i = first; i < n_; i += 2) {
      std::uint32_t h = static_cast<std::uint32_t>(i) * 2654435761u;
      unsigned char k = (h >> 8) % 4 == 0 ? waiter : (h >> 8) % 4 == 1 ? chainer : value;
      // Back-pressure: wait while `window` top-level tasks are unfinished.
      stm::atomically([&] {
        if (started_.get() - ended_.get() >= window && !ex_.is_shutdown()) stm::retry();
        started_.set(started_.get() + 1);
      });
      try {
        submit(k, (h >> 12) % 8 == 0);
      } catch (const stm::shutdown_error&) {
        break;
      }
      if (++mine % 64 == 0) stm::atomically([&] { submitted_.set(submitted_.get() + 64); });
    }
    stm::atomically([&] { submitted_.set(submitted_.get() + mine % 64); });
  }

  void cancel_at_random() {
    std::mt19937 rng(12345);
    while (!stop_cancelling_.load()) {
      std::size_t used = next_id_.load();
      if (used == 0) continue;
      record& r = records_[rng() % used];
      if (r.published.load(std::memory_order_acquire) && r.f.cancel()) r.cancel_said_true = true;
    }
  }

  // The watchdog's report. Plain atomics first: reading a future's tvar
  // could itself block if a tvar were left locked.
  void dump() {
    std::size_t used = next_id_.load(), unpublished = 0, ran = 0, cbs = 0;
    for (std::size_t i = 0; i < used; ++i) {
      unpublished += !records_[i].published.load();
      ran += static_cast<std::size_t>(records_[i].ran.load());
      cbs += static_cast<std::size_t>(records_[i].callbacks.load());
    }
    std::fprintf(stderr,
                 "ids %zu of %zu, unpublished %zu, tasks run %zu, callbacks run %zu, "
                 "blocking waits %zu, stop_cancelling %d\n",
                 used, 3 * n_, unpublished, ran, cbs, blocking_waits_.load(),
                 int(stop_cancelling_.load()));
    std::fflush(stderr);
    std::size_t pending = 0, running = 0, ended = 0, shown = 0;
    for (std::size_t i = 0; i < used; ++i) {
      record& r = records_[i];
      if (!r.published.load(std::memory_order_acquire)) continue;
      bool d = r.f.done(), ru = r.f.running();
      ended += d;
      running += ru;
      pending += !d && !ru;
      if (!d && shown < 20) {
        ++shown;
        std::fprintf(stderr, "  future %zu (%s): %s, ran %d, callbacks %d\n", i,
                     kind_name(r.kind), ru ? "running" : "pending", r.ran.load(),
                     r.callbacks.load());
      }
    }
    std::fprintf(stderr,
                 "futures: pending %zu, running %zu, done %zu; submitted %zu, blocked %zu, "
                 "top-level started %zu, ended %zu\n",
                 pending, running, ended, submitted_.get(), blocked_.get(), started_.get(),
                 ended_.get());
    std::fprintf(stderr, "executor: shut down %d\n", int(ex_.is_shutdown()));
    std::fflush(stderr);
    if (dump_counters) dump_counters();
  }

  static constexpr std::size_t window = 512;

  Executor& ex_;
  const std::size_t n_, max_blocked_;
  std::unique_ptr<record[]> records_;
  std::atomic<std::size_t> next_id_{0};
  std::atomic<std::size_t> blocking_waits_{0};
  std::atomic<bool> stop_cancelling_{false};
  stm::tvar<std::size_t> submitted_{0};
  stm::tvar<std::size_t> blocked_{0};
  // Top-level tasks let through the back-pressure, and ended (callback run).
  stm::tvar<std::size_t> started_{0}, ended_{0};
};

}  // namespace stress_test

#endif
