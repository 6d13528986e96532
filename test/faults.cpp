// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Out-of-memory injection. This program replaces the global operator new
// with one that, while a fault_at scope is active on the calling thread,
// throws std::bad_alloc at the n-th allocation (once). Each test sweeps n
// over 0, 1, 2, ... an operation (a multi-tvar commit, a commit that runs
// watchers and invariants, proposing a watch, queue operations, submit,
// map, add_done_callback) until it runs without reaching the n-th
// allocation, and checks after every injected failure that nothing was half
// done: the tvars and containers hold their old values, the executor's
// counters did not move, later operations work, every future submitted
// reaches a terminal state and every callback runs exactly once.
//
// Only the thread under test fails: a worker thread failing to allocate is
// a different fault (thread start failures are injected in thread.cpp).
#define BOOST_TEST_MODULE faults
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/invariant.hpp>
#include <boost/stm/map_result.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tlist.hpp>
#include <boost/stm/tmap.hpp>
#include <boost/stm/tqueue.hpp>
#include <boost/stm/tset.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/wait.hpp>
#include <boost/stm/watch.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

// ---- the failing allocator ------------------------------------------------------

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
// Our operator delete frees what our operator new took from malloc; GCC sees
// free() applied to the result of operator new once both are inlined.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
// Allocations still allowed on this thread before one fails; negative: none
// fails. Constant-initialized, so operator new may read it at any time.
thread_local long t_allowed = -1;
thread_local bool t_fired = false;

bool inject() noexcept {
  if (t_allowed < 0) return false;
  if (t_allowed-- > 0) return false;
  t_fired = true;  // one failure per scope: t_allowed is now negative
  return true;
}

void* allocate(std::size_t n) {
  if (inject()) throw std::bad_alloc();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

void* allocate_aligned(std::size_t n, std::align_val_t a) {
  if (inject()) throw std::bad_alloc();
  std::size_t al = static_cast<std::size_t>(a);
  if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

// On this thread, the n-th allocation (counting from 0) inside the scope fails.
class fault_at {
public:
  explicit fault_at(long n) {
    t_allowed = n;
    t_fired = false;
  }
  ~fault_at() { t_allowed = -1; }
  static bool fired() { return t_fired; }
  fault_at(const fault_at&) = delete;
  fault_at& operator=(const fault_at&) = delete;
};

// Whether this process's operator new is ours (a tool such as valgrind may
// replace it with its own, and then nothing can be injected).
bool injection_works() {
  fault_at f(0);
  try {
    // A call, not a new-expression, which the compiler may leave out.
    ::operator delete(::operator new(16));
  } catch (const std::bad_alloc&) {
    return true;
  }
  return false;
}

// Runs op with allocation n failing, for n = 0, 1, ... until a run reaches
// no injected failure. After a run that threw bad_alloc, calls
// failed(n); after one that completed, completed(n) (the failure, if any,
// was absorbed by the library). Returns how many runs threw.
template <class Op, class Failed, class Completed>
long sweep(Op op, Failed failed, Completed completed) {
  long threw = 0;
  for (long n = 0;; ++n) {
    bool bad_alloc = false, fired;
    {
      fault_at f(n);
      try {
        op();
      } catch (const std::bad_alloc&) {
        bad_alloc = true;
      }
      fired = fault_at::fired();
    }
    if (bad_alloc) {
      ++threw;
      failed(n);
    } else {
      completed(n);
    }
    if (!fired) return threw;
    BOOST_TEST_REQUIRE(n < 100000);  // op allocates without bound: a bug
  }
}

test_helpers::watchdog fuse(const char* what) {
  return test_helpers::watchdog(what, [] {
    std::fprintf(stderr,
                 "stuck after an injected bad_alloc: a tvar left locked, or a wake-up lost\n");
  });
}

// A tool that replaces operator new (valgrind does, unless told
// --soname-synonyms=somalloc=nouserintercepts, as .ci/test's valgrind stage
// tells it) makes every test here
// pass vacuously: say so instead.
bool cannot_inject() {
  static const bool works = injection_works();
  if (!works) BOOST_TEST_MESSAGE("operator new is not this program's: nothing to inject, skipped");
  return !works;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_allocator_fails_where_asked) {
  if (cannot_inject()) return;
  // Calls, not new-expressions, which the compiler may leave out.
  auto alloc = [] { ::operator delete(::operator new(8)); };
  int failed_at = -1;
  {
    fault_at f(2);
    for (int i = 0; i < 5; ++i) {
      try {
        alloc();
      } catch (const std::bad_alloc&) {
        BOOST_TEST_REQUIRE(failed_at == -1);  // once only
        failed_at = i;
      }
    }
  }
  BOOST_TEST(failed_at == 2);
}

// One commit writing 20 tvars (past the write-set index threshold), a tlist,
// a tmap, a tset and a tqueue: after a failure none of it happened, after
// success all of it.
BOOST_AUTO_TEST_CASE(a_failed_commit_leaves_nothing_behind) {
  if (cannot_inject()) return;
  auto guard = fuse("a_failed_commit_leaves_nothing_behind");
  std::vector<std::unique_ptr<stm::tvar<long>>> vs;
  for (int i = 0; i < 20; ++i) vs.push_back(std::make_unique<stm::tvar<long>>(0));
  stm::tlist<std::string> l;
  stm::tmap<std::string, long> m;
  stm::tset<long> s;
  stm::tqueue<std::string> q;
  long round = 0;  // how many commits succeeded
  auto op = [&] {
    stm::atomically([&] {
      for (auto& v : vs) v->set(v->get() + 1);
      std::string key = "key" + std::to_string(round);
      l.push_back(key);
      m.insert_or_assign(key, round);
      s.insert(round);
      q.push(key);
    });
  };
  auto consistent = [&](long commits) {
    bool ok = stm::atomically([&] {
      for (auto& v : vs)
        if (v->get() != commits) return false;
      return l.size() == static_cast<std::size_t>(commits) &&
             m.size() == static_cast<std::size_t>(commits) &&
             s.size() == static_cast<std::size_t>(commits) &&
             q.size() == static_cast<std::size_t>(commits);
    });
    BOOST_TEST_REQUIRE(ok);
  };
  for (int pass = 0; pass < 3; ++pass) {  // the later passes find warm caches
    long threw = sweep(
        op, [&](long) { consistent(round); },
        [&](long) {
          ++round;
          consistent(round);
        });
    BOOST_TEST(threw > 0);
  }
  BOOST_TEST(l.to_vector().back() == "key" + std::to_string(round - 1));
  BOOST_TEST(*q.try_pop() == "key0");
}

// The commit runs a watcher (which writes another tvar) and an invariant:
// a failure anywhere leaves both sides unchanged.
BOOST_AUTO_TEST_CASE(a_new_threads_first_transactions_fail_cleanly) {
  // A thread's first transaction makes its descriptor and its epoch record;
  // out of memory there is a bad_alloc from atomically(), never a
  // terminate. Each run is a fresh thread, so every first time is swept.
  if (cannot_inject()) return;
  stm::tvar<std::string> s{std::string(100, 'x')};  // boxed: its read enters an epoch
  stm::tvar<long> n{1};
  long threw = 0;
  for (long k = 0;; ++k) {
    bool bad_alloc = false, fired = false, right = false;
    std::thread t([&] {
      fault_at f(k);
      try {
        long got = stm::atomically([&] {
          n.set(n.get() + 1);
          return long(s.get().size());
        });
        right = got == 100;
      } catch (const std::bad_alloc&) {
        bad_alloc = true;
      }
      fired = fault_at::fired();
    });
    t.join();
    if (bad_alloc) {
      ++threw;
      continue;
    }
    BOOST_TEST_REQUIRE(right);
    if (!fired) break;
  }
  BOOST_TEST(threw > 0);
  BOOST_TEST(n.get() > 1);
}

BOOST_AUTO_TEST_CASE(a_failed_commit_with_watchers_and_invariants) {
  if (cannot_inject()) return;
  auto guard = fuse("a_failed_commit_with_watchers_and_invariants");
  stm::tvar<long> x{0}, y{0}, doubled{0};
  stm::invariant([&] { return x.get() == y.get(); });
  auto w = stm::atomically_watch([&] { return x.get(); },
                                 stm::changes_only([&](long v) { doubled.set(2 * v); }));
  long commits = 0;
  auto op = [&] {
    stm::atomically([&] {
      x.set(x.get() + 1);
      y.set(y.get() + 1);
    });
  };
  auto check = [&] {
    bool ok = stm::atomically(
        [&] { return x.get() == commits && y.get() == commits && doubled.get() == 2 * commits; });
    BOOST_TEST_REQUIRE(ok);
  };
  for (int pass = 0; pass < 3; ++pass) {
    BOOST_TEST(sweep(op, [&](long) { check(); },
                     [&](long) {
                       ++commits;
                       check();
                     }) > 0);
  }
  // The invariant still guards.
  BOOST_CHECK_THROW(x.set(-1), stm::invariant_error);
  check();
}

// Proposing a watch: a failed proposal leaves no watcher behind; a
// successful one is live.
BOOST_AUTO_TEST_CASE(a_failed_watch_proposal_leaves_no_watcher) {
  if (cannot_inject()) return;
  auto guard = fuse("a_failed_watch_proposal_leaves_no_watcher");
  std::vector<std::unique_ptr<stm::tvar<int>>> watched;
  // A tvar: the callback runs inside the commit, which may still fail.
  stm::tvar<int> calls{0};
  stm::watch_handle h;
  long threw = sweep(
      [&] {
        // Fresh tvars each time: their first watcher allocates their metadata.
        watched.clear();
        for (int i = 0; i < 3; ++i) watched.push_back(std::make_unique<stm::tvar<int>>(0));
        calls.set(0);
        h = stm::atomically_watch(
            [&] { return watched[0]->get() + watched[1]->get() + watched[2]->get(); },
            [&](int) { calls.set(calls.get() + 1); });
      },
      [&](long) {
        BOOST_TEST_REQUIRE(calls.get() == 0);
        for (auto& v : watched) v->set(1);  // no watcher: nothing runs
        BOOST_TEST_REQUIRE(calls.get() == 0);
      },
      [&](long) {
        BOOST_TEST_REQUIRE(calls.get() == 1);  // proposed: ran once
        watched[2]->set(5);
        BOOST_TEST_REQUIRE(calls.get() == 2);
      });
  BOOST_TEST(threw > 0);
}

BOOST_AUTO_TEST_CASE(failed_queue_operations_change_nothing) {
  if (cannot_inject()) return;
  auto guard = fuse("failed_queue_operations_change_nothing");
  stm::tqueue<std::string> q;
  stm::tqueue<std::string> bounded(4);
  std::size_t pushed = 0, popped = 0;
  for (int i = 0; i < 6; ++i) {
    sweep([&] { q.push(std::string(40, char('a' + i))); },
          [&](long) { BOOST_TEST_REQUIRE(q.size() == pushed); },
          [&](long) { BOOST_TEST_REQUIRE(q.size() == ++pushed); });
    sweep([&] { bounded.try_push(std::to_string(i)); }, [&](long) {}, [&](long) {});
  }
  BOOST_TEST(bounded.size() == 4u);
  for (int i = 0; i < 6; ++i) {
    std::optional<std::string> got;
    sweep([&] { got = q.try_pop(); },
          [&](long) { BOOST_TEST_REQUIRE(q.size() == pushed - popped); },
          [&](long) {
            ++popped;
            BOOST_TEST_REQUIRE(q.size() == pushed - popped);
            BOOST_TEST_REQUIRE((got && *got == std::string(40, char('a' + i))));
          });
  }
  BOOST_TEST(q.empty());
}

namespace {

// Submits through op under injection; keeps every future that op returned.
struct submit_ledger {
  std::vector<stm::future<int>> futures;
  std::vector<std::unique_ptr<std::atomic<int>>> callbacks;
  std::atomic<int> ran{0};

  void keep(stm::future<int> f) {
    auto c = std::make_unique<std::atomic<int>>(0);
    f.add_done_callback([c = c.get()](stm::future<int>&) { ++*c; });
    futures.push_back(std::move(f));
    callbacks.push_back(std::move(c));
  }
  // Every future ends, finished (its task ran exactly once).
  void check_all_done() {
    for (auto& f : futures) BOOST_TEST_REQUIRE(!f.exception());
    BOOST_TEST_REQUIRE(ran.load() == static_cast<int>(futures.size()));
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_failed_submit_submits_nothing) {
  if (cannot_inject()) return;
  auto guard = fuse("a_failed_submit_submits_nothing");
  submit_ledger led;
  for (int pass = 0; pass < 3; ++pass) {
    // A fresh executor (its first submit starts a worker) and a warm one.
    stm::thread_pool_executor ex{2};
    for (int warm = 0; warm < 2; ++warm) {
      std::size_t before = ex.pool().tasks_scheduled();
      std::optional<stm::future<int>> got;
      long threw = sweep(
          [&] {
            got = ex.submit([&led] {
              ++led.ran;
              return 7;
            });
          },
          [&](long) { BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == before); },
          [&](long) {
            if (got->done() && got->exception()) {
              // Committed, but its worker could not start (out of memory
              // there) and no other was alive: the task ended failed with
              // that error, never counted scheduled.
              BOOST_CHECK_THROW((void)got->get(), std::bad_alloc);
              BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == before);
              return;
            }
            BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == ++before);
            led.keep(std::move(*got));
          });
      BOOST_TEST(threw > 0);
    }
    // A worker that could not start while another lives leaves its task
    // queued for that one, or for the next submit: this one (without
    // injection) gets everything going again.
    led.keep(ex.submit([&led] {
      ++led.ran;
      return 7;
    }));
    led.check_all_done();
    ex.shutdown(true);
    BOOST_TEST(ex.pool().tasks_finished() == ex.pool().tasks_scheduled());
  }
  for (auto& c : led.callbacks) BOOST_TEST(c->load() == 1);
}

// Two submits and a tvar write in one transaction, and a map(): all or nothing.
BOOST_AUTO_TEST_CASE(a_failed_transactional_submit_or_map_submits_nothing) {
  if (cannot_inject()) return;
  auto guard = fuse("a_failed_transactional_submit_or_map_submits_nothing");
  stm::thread_pool_executor ex{2};
  stm::tvar<int> x{0};
  std::atomic<int> ran{0};
  std::vector<stm::future<int>> kept;
  kept.reserve(1000);  // so that keeping a future cannot fail
  std::size_t scheduled = 0;
  long threw = sweep(
      [&] {
        auto fs = stm::atomically([&] {
          x.set(x.get() + 1);
          std::vector<stm::future<int>> v;
          for (int i = 0; i < 2; ++i)
            v.push_back(ex.submit([&ran] {
              ++ran;
              return 1;
            }));
          return v;
        });
        for (auto& f : fs) kept.push_back(std::move(f));
      },
      [&](long) {
        BOOST_TEST_REQUIRE(x.get() == static_cast<int>(scheduled / 2));
        BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == scheduled);
      },
      [&](long) {
        scheduled += 2;
        BOOST_TEST_REQUIRE(x.get() == static_cast<int>(scheduled / 2));
        BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == scheduled);
      });
  BOOST_TEST(threw > 0);
  // Only map() itself is under injection: reading its results may fail too
  // (waiting allocates), and that is not a failed submit.
  std::vector<int> in(8, 1);
  std::optional<stm::map_result<int>> results;
  threw = sweep(
      [&] {
        results.reset();
        results.emplace(ex.map(
            [&ran](int v) {
              ++ran;
              return v;
            },
            in));
      },
      [&](long) { BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == scheduled); },
      [&](long) {
        scheduled += in.size();
        BOOST_TEST_REQUIRE(ex.pool().tasks_scheduled() == scheduled);
        int sum = 0;
        for (int v : *results) sum += v;
        BOOST_TEST_REQUIRE(sum == 8);
      });
  BOOST_TEST(threw > 0);
  kept.push_back(ex.submit([] { return 1; }));  // restarts a worker that failed to start
  for (auto& f : kept) BOOST_TEST(f.get() == 1);
  ex.shutdown(true);
  BOOST_TEST(ex.pool().tasks_finished() == ex.pool().tasks_scheduled());
}

// add_done_callback: a callback whose registration failed never runs; one
// that was registered runs exactly once.
BOOST_AUTO_TEST_CASE(a_failed_add_done_callback_is_not_registered) {
  if (cannot_inject()) return;
  auto guard = fuse("a_failed_add_done_callback_is_not_registered");
  stm::thread_pool_executor ex{1};
  stm::tvar<bool> open{false};
  for (int done = 0; done < 2; ++done) {
    open.set(done == 1);
    auto f = ex.submit([&] {
      stm::atomically([&] {
        if (!open.get()) stm::retry();
      });
      return 1;
    });
    if (done) f.wait();  // adding to a finished future runs the callback at once
    // Allocated up front: only add_done_callback may fail.
    std::vector<std::atomic<int>> counts(1000);
    std::vector<char> registered(counts.size(), 0);
    std::size_t k = 0;
    sweep(
        [&] {
          std::atomic<int>* c = &counts[k];
          char& r = registered[k++];
          f.add_done_callback([c](stm::future<int>&) { ++*c; });
          r = 1;
        },
        [&](long) {}, [&](long) {});
    BOOST_TEST_REQUIRE(k < counts.size());
    open.set(true);
    f.wait();
    ex.submit([] {}).get();  // the callbacks ran on the worker before this ran
    for (std::size_t i = 0; i < k; ++i) BOOST_TEST(counts[i].load() == registered[i], "callback " << i);
  }
}

// An invariant whose predicate throws (rather than returning false) fails
// the commit that runs it with that exception, and the commit is undone;
// the invariant stays registered.
BOOST_AUTO_TEST_CASE(a_throwing_invariant_undoes_the_commit) {
  struct bad_predicate : std::runtime_error {
    bad_predicate() : std::runtime_error("expected: the predicate threw") {}
  };
  stm::tvar<int> x{0}, y{0};
  stm::invariant([&] {
    if (x.get() == 13) throw bad_predicate();
    return x.get() >= 0;
  });
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.set(13);
                      y.set(1);
                    }),
                    bad_predicate);
  BOOST_TEST(x.get() == 0);
  BOOST_TEST(y.get() == 0);
  BOOST_CHECK_THROW(x.set(-1), stm::invariant_error);
  x.set(14);
  BOOST_TEST(x.get() == 14);
}
