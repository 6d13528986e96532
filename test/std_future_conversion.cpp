// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A std::async call site moved to submit() keeps std::async's guarantee:
// a std::future (or std::shared_future) made from an stm::future waits for
// the task when its last handle is destroyed, so a task that writes into
// the caller's scope never outlives it. Runs under AddressSanitizer (the
// asan stage): a write into a dead scope is reported there as well.
#define BOOST_TEST_MODULE std_future_conversion
#include <boost/test/unit_test.hpp>

#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <vector>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

// What the tasks see of the caller's scope: whether its buffer is still
// alive when they write, and how many writes landed.
struct witness {
  std::atomic<bool> buffer_alive{false};
  std::atomic<int> late{0};
  std::atomic<int> written{0};
};

// The caller's buffer: says when it dies.
struct scope_buffer {
  scope_buffer(std::size_t n, witness& w) : v(n), w_(w) { w_.buffer_alive = true; }
  ~scope_buffer() { w_.buffer_alive = false; }
  std::vector<int> v;
  witness& w_;
};

// Runs f when the scope ends: declared last, it runs first, before the
// futures are destroyed.
struct on_scope_exit {
  std::function<void()> f;
  ~on_scope_exit() { f(); }
};

// The tasks wait until the gate opens, which happens only as the caller's
// scope ends; then they write into the caller's buffer.
auto write_task(scope_buffer& out, stm::tvar<bool>& gate, witness& w, int i) {
  return [&out, &gate, &w, i] {
    stm::atomically([&] {
      if (!gate.get()) stm::retry();
    });
    if (!w.buffer_alive) {
      ++w.late;  // without the guarantee: the scope is gone
      return;
    }
    out.v[static_cast<std::size_t>(i)] = i;
    ++w.written;
  };
}

constexpr int tasks = 4;

// The migrated call site: std::async(std::launch::async, ...) replaced by
// ex.submit(...), the futures kept in a vector, no get().
void vector_of_std_futures(stm::thread_pool_executor& ex, witness& w) {
  stm::tvar<bool> gate{false};
  scope_buffer out(tasks, w);
  std::vector<std::future<void>> fs;
  for (int i = 0; i < tasks; ++i) fs.push_back(ex.submit(write_task(out, gate, w, i)));
  on_scope_exit open{[&] { gate.set(true); }};
}

void direct_std_future(stm::thread_pool_executor& ex, witness& w) {
  stm::tvar<bool> gate{false};
  scope_buffer out(1, w);
  std::future<void> f = ex.submit(write_task(out, gate, w, 0));
  on_scope_exit open{[&] { gate.set(true); }};
}

void shared_futures(stm::thread_pool_executor& ex, witness& w) {
  stm::tvar<bool> gate{false};
  scope_buffer out(tasks, w);
  std::shared_future<void> a = ex.submit(write_task(out, gate, w, 0));
  std::shared_future<void> b(ex.submit(write_task(out, gate, w, 1)));
  std::shared_future<void> a2 = a;  // copies: the last one waits
  std::vector<std::shared_future<void>> v;
  v.push_back(ex.submit(write_task(out, gate, w, 2)));
  v.emplace_back(ex.submit(write_task(out, gate, w, 3)));
  on_scope_exit open{[&] { gate.set(true); }};
}

void check(const witness& w, int expected) {
  BOOST_TEST(w.late.load() == 0);
  BOOST_TEST(w.written.load() == expected);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_vector_of_std_futures_waits_at_scope_exit) {
  stm::thread_pool_executor ex{1};
  witness w;
  vector_of_std_futures(ex, w);
  check(w, tasks);  // all written, all before the buffer died
}

BOOST_AUTO_TEST_CASE(a_std_future_waits_at_scope_exit) {
  stm::thread_pool_executor ex{2};
  witness w;
  direct_std_future(ex, w);
  check(w, 1);
}

BOOST_AUTO_TEST_CASE(std_shared_futures_wait_when_the_last_copy_goes) {
  stm::thread_pool_executor ex{2};
  witness w;
  shared_futures(ex, w);
  check(w, tasks);
}

BOOST_AUTO_TEST_CASE(converted_futures_carry_results_and_exceptions) {
  stm::thread_pool_executor ex{2};
  std::future<int> a = ex.submit([] { return 7; });
  BOOST_TEST(a.get() == 7);
  std::shared_future<int> s = ex.submit([] { return 8; });
  BOOST_TEST(s.get() == 8);
  std::future<int> e = ex.submit([]() -> int { throw std::domain_error("expected"); });
  BOOST_CHECK_THROW((void)e.get(), std::domain_error);
  int target = 0;
  std::future<int&> r = ex.submit([&target]() -> int& { return target; });
  BOOST_TEST(&r.get() == &target);
  // Dropped without get(): waits, and its exception goes nowhere.
  { std::future<int> dropped = ex.submit([]() -> int { throw std::domain_error("expected"); }); }
  // A cancelled task: get() says so.
  stm::tvar<bool> gate{false};
  stm::thread_pool_executor one{1};
  auto blocker = one.submit([&] {
    stm::atomically([&] {
      if (!gate.get()) stm::retry();
    });
  });
  auto pending = one.submit([] { return 1; });
  BOOST_TEST(pending.cancel());
  std::future<int> c = std::move(pending);
  BOOST_CHECK_THROW((void)c.get(), stm::cancelled_error);
  gate.set(true);
  blocker.get();
}

// The stm::future itself keeps its non-blocking destructor: dropping one
// whose task cannot finish yet returns at once (else this would never end).
BOOST_AUTO_TEST_CASE(an_stm_future_still_does_not_block_when_dropped) {
  stm::thread_pool_executor ex{1};
  stm::tvar<bool> gate{false};
  stm::tvar<bool> ran{false};
  {
    auto f = ex.submit([&] {
      stm::atomically([&] {
        if (!gate.get()) stm::retry();
      });
      ran.set(true);
    });
  }
  BOOST_TEST(!ran.get());
  gate.set(true);
  BOOST_TEST(stm::wait_until([&] { return ran.get(); }, 60s));
}
