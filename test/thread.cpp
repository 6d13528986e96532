// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE thread
#include <boost/test/unit_test.hpp>

#include <boost/stm/thread.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <stdexcept>
#include <system_error>

namespace stm = boost::stm;

BOOST_AUTO_TEST_CASE(starts_only_if_the_transaction_commits) {
  std::atomic<int> ran{0};
  stm::thread t{[&] { ++ran; }};
  BOOST_TEST((t.state() == stm::thread_state::created));
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      t.start();
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST((t.state() == stm::thread_state::created));
  BOOST_CHECK_THROW(t.join(), stm::invalid_state_error);  // never started
  stm::atomically([&] { t.start(); });
  t.join();
  BOOST_TEST(ran.load() == 1);
  BOOST_TEST((t.state() == stm::thread_state::finished));
  BOOST_CHECK_THROW(t.start(), stm::invalid_state_error);
}

BOOST_AUTO_TEST_CASE(does_not_run_before_the_commit) {
  stm::tvar<int> seen{-1};
  stm::tvar<int> x{0};
  stm::thread t{[&] { seen.set(x.get()); }};
  stm::atomically([&] {
    t.start();
    // Still inside the transaction: the thread has not begun.
    BOOST_TEST((t.state() == stm::thread_state::started));
    x.set(42);
  });
  t.join();
  BOOST_TEST(seen.get() == 42);
}

BOOST_AUTO_TEST_CASE(state_is_transactional) {
  stm::tvar<bool> go{false};
  stm::thread t{[&] { stm::atomically([&] { if (!go.get()) stm::retry(); }); }};
  t.start();
  // Wait transactionally for running, then release it and wait for finished.
  stm::atomically([&] { if (t.state() != stm::thread_state::running) stm::retry(); });
  BOOST_TEST(!t.join(std::chrono::milliseconds(20)));
  go.set(true);
  stm::atomically([&] { if (t.state() != stm::thread_state::finished) stm::retry(); });
  BOOST_TEST(t.join(std::chrono::seconds(60)));
}

BOOST_AUTO_TEST_CASE(exception_is_reported_and_thread_finishes) {
  stm::thread t{[] { throw std::runtime_error("expected test exception"); }, "thrower"};
  t.start();
  t.join();
  BOOST_TEST((t.state() == stm::thread_state::finished));
}

BOOST_AUTO_TEST_CASE(start_failure_is_reported_to_the_starter) {
  stm::detail::inject_thread_start_failure(true);
  stm::thread t{[] {}};
  BOOST_CHECK_THROW(t.start(), std::system_error);
  stm::detail::inject_thread_start_failure(false);
  // The thread will never run, so it counts as finished: nobody waits forever.
  BOOST_TEST((t.state() == stm::thread_state::finished));
  t.join();
}

BOOST_AUTO_TEST_CASE(cannot_join_itself) {
  stm::tvar<int> outcome{0};
  stm::thread* self = nullptr;
  stm::tvar<bool> ready{false};
  stm::thread t{[&] {
    stm::atomically([&] { if (!ready.get()) stm::retry(); });
    try {
      self->join();
      outcome.set(1);
    } catch (const stm::invalid_state_error&) {
      outcome.set(2);
    }
  }};
  self = &t;
  t.start();
  ready.set(true);
  t.join();
  BOOST_TEST(outcome.get() == 2);
}
