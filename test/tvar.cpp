// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE tvar
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace stm = boost::stm;

namespace {

using test_helpers::stress;

// Counts live instances, to check that replaced values are reclaimed.
struct counted {
  static std::atomic<long> live;
  int v;
  explicit counted(int x = 0) : v(x) { ++live; }
  counted(const counted& o) : v(o.v) { ++live; }
  counted& operator=(const counted&) = default;
  ~counted() { --live; }
};
std::atomic<long> counted::live{0};

}  // namespace

static_assert(!std::is_copy_constructible<stm::tvar<int>>::value, "tvar is not copyable");
static_assert(!std::is_move_constructible<stm::tvar<int>>::value, "tvar is not movable");
static_assert(!std::is_copy_assignable<stm::tvar<int>>::value, "tvar is not assignable");
static_assert(!std::is_move_assignable<stm::tvar<int>>::value, "tvar is not assignable");
static_assert(std::is_same<stm::tvar<std::string>::value_type, std::string>::value, "");

BOOST_AUTO_TEST_CASE(construction) {
  stm::tvar<int> a;
  stm::tvar<int> b{7};
  stm::tvar<std::string> c{std::string("moved")};
  stm::tvar<std::string> d{3, 'x'};  // forwarded to std::string(3, 'x')
  stm::tvar<std::pair<int, int>> e{1, 2};
  BOOST_TEST(a.get() == 0);
  BOOST_TEST(b.get() == 7);
  BOOST_TEST(c.get() == "moved");
  BOOST_TEST(d.get() == "xxx");
  BOOST_TEST(e.get().second == 2);
  BOOST_TEST(stm::atomically([&] { return e.get().first; }) == 1);
}

BOOST_AUTO_TEST_CASE(get_and_set_outside_a_transaction) {
  stm::tvar<int> x{1};
  x.set(2);
  BOOST_TEST(x.get() == 2);
  std::string s = "abc";
  stm::tvar<std::string> t;
  t.set(s);
  t.set(std::move(s));
  BOOST_TEST(t.get() == "abc");
  BOOST_TEST(!stm::in_transaction());
}

BOOST_AUTO_TEST_CASE(a_transaction_sees_its_own_writes) {
  stm::tvar<int> x{1};
  int seen = stm::atomically([&] {
    x.set(10);
    x.set(x.get() + 1);
    return x.get();
  });
  BOOST_TEST(seen == 11);
  BOOST_TEST(x.get() == 11);
}

BOOST_AUTO_TEST_CASE(modify_returns_the_new_value) {
  stm::tvar<int> x{5};
  BOOST_TEST(x.modify([](int v) { return v * 3; }) == 15);
  BOOST_TEST(x.get() == 15);
  // Inside a transaction it is part of it: undone with it.
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      BOOST_TEST(x.modify([](int v) { return v + 1; }) == 16);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(x.get() == 15);
}

BOOST_AUTO_TEST_CASE(swap_writes_and_returns_the_old_value) {
  stm::tvar<int> x{5};
  BOOST_TEST(x.swap(7) == 5);
  BOOST_TEST(x.get() == 7);
  stm::tvar<std::string> s{std::string("a")};
  BOOST_TEST(stm::atomically([&] {
               std::string first = s.swap("b");
               return first + s.swap("c");
             }) == "ab");
  BOOST_TEST(s.get() == "c");
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.swap(9);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(x.get() == 7);
}

namespace small_values {
struct pair16 {
  std::int32_t a;
  std::int16_t b;
};
struct no_default {
  explicit no_default(int v) : v(v) {}
  int v;
};
enum class colour : unsigned char { red, green, blue };
}  // namespace small_values

BOOST_AUTO_TEST_CASE(small_values_are_unboxed_and_behave_the_same) {
  // Trivially copyable values that fit in a word live in the tvar itself;
  // others in nodes. Both kinds in one transaction, with nested rollback.
  using namespace small_values;
  static_assert(stm::detail::unboxed_v<long> && stm::detail::unboxed_v<bool> &&
                    stm::detail::unboxed_v<pair16> && stm::detail::unboxed_v<no_default> &&
                    stm::detail::unboxed_v<colour> && stm::detail::unboxed_v<double> &&
                    stm::detail::unboxed_v<int*>,
                "small trivially copyable values are unboxed");
  static_assert(!stm::detail::unboxed_v<std::string> &&
                    !stm::detail::unboxed_v<std::shared_ptr<int>>,
                "others are boxed");
  stm::tvar<pair16> p{pair16{-7, 3}};
  stm::tvar<no_default> n{no_default(4)};
  stm::tvar<colour> c{colour::red};
  stm::tvar<double> d{0.5};
  stm::tvar<std::string> s{"boxed"};
  int x = 0;
  stm::tvar<int*> ptr{&x};
  BOOST_TEST(p.get().a == -7);
  BOOST_TEST(p.get().b == 3);
  BOOST_TEST(n.get().v == 4);
  stm::atomically([&] {
    p.set(pair16{1, 2});
    s.set("outer");
    try {
      stm::atomically([&] {
        p.set(pair16{9, 9});
        n.set(no_default(5));
        c.set(colour::blue);
        s.set("inner");
        throw std::runtime_error("undo the inner writes");
      });
    } catch (const std::runtime_error&) {
    }
    BOOST_TEST(p.get().a == 1);
    BOOST_TEST(n.get().v == 4);
    BOOST_TEST((c.get() == colour::red));
    BOOST_TEST(s.get() == "outer");
    d.set(d.get() * 3);
    ptr.set(nullptr);
  });
  BOOST_TEST(p.get().a == 1);
  BOOST_TEST(p.get().b == 2);
  BOOST_TEST((c.get() == colour::red));
  BOOST_TEST(d.get() == 1.5);
  BOOST_TEST(s.get() == "outer");
  BOOST_TEST(ptr.get() == nullptr);
}

BOOST_AUTO_TEST_CASE(empty_pointer_tvars_start_without_a_node) {
  // A default-constructed tvar<shared_ptr<X>> or tvar<exception_ptr> holds
  // no node until its first write; it must read, roll back, wait and be
  // destroyed like any other boxed tvar.
  stm::tvar<std::shared_ptr<int>> p;
  stm::tvar<std::exception_ptr> e;
  stm::tvar<std::shared_ptr<int>> q{std::make_shared<int>(3)};
  BOOST_TEST(!p.get());
  BOOST_TEST(!e.get());
  BOOST_TEST(*q.get() == 3);
  stm::atomically([&] {
    BOOST_TEST(!p.get());
    try {
      stm::atomically([&] {
        p.set(std::make_shared<int>(1));
        e.set(std::make_exception_ptr(std::runtime_error("inner")));
        BOOST_TEST(*p.get() == 1);
        throw std::logic_error("undo");
      });
    } catch (const std::logic_error&) {
    }
    BOOST_TEST(!p.get());
    BOOST_TEST(!e.get());
  });
  BOOST_TEST(!p.get());
  std::thread writer([&] {
    stm::atomically([&] {
      if (!q.get()) stm::retry();  // not yet: q is set below
      p.set(q.get());
      e.set(std::make_exception_ptr(std::runtime_error("written")));
    });
  });
  stm::atomically([&] {
    if (!p.get()) stm::retry();  // waits on the node-less tvar
  });
  writer.join();
  BOOST_TEST(*p.get() == 3);
  BOOST_TEST(p.get() == q.get());
  BOOST_CHECK_THROW(std::rethrow_exception(e.get()), std::runtime_error);
  p.set(nullptr);
  BOOST_TEST(!p.get());
}

BOOST_AUTO_TEST_CASE(many_writes_in_one_transaction) {
  // Past BOOST_STM_WRITE_INDEX_AFTER the write set is indexed; lookups,
  // nested rollback and commit must agree with the scan.
  constexpr int n = 200;
  std::vector<std::unique_ptr<stm::tvar<int>>> vs;
  for (int i = 0; i < n; ++i) vs.push_back(std::make_unique<stm::tvar<int>>(i));
  stm::atomically([&] {
    for (int i = 0; i < n / 2; ++i) vs[i]->set(-i);
    struct boom {};
    try {
      stm::atomically([&] {
        for (int i = 0; i < n; ++i) vs[i]->set(1000 + i);
        for (int i = 0; i < n; ++i) BOOST_REQUIRE(vs[i]->get() == 1000 + i);
        throw boom{};
      });
    } catch (const boom&) {
    }
    for (int i = 0; i < n; ++i) BOOST_REQUIRE(vs[i]->get() == (i < n / 2 ? -i : i));
    for (int i = n / 2; i < n; i += 2) vs[i]->set(2 * i);
  });
  for (int i = 0; i < n; ++i)
    BOOST_TEST(vs[i]->get() == (i < n / 2 ? -i : (i % 2 == 0 ? 2 * i : i)));
}

BOOST_AUTO_TEST_CASE(aborted_writes_are_invisible) {
  stm::tvar<int> x{1};
  struct boom {};
  BOOST_CHECK_THROW(stm::atomically([&] {
                      x.set(2);
                      throw boom{};
                    }),
                    boom);
  BOOST_TEST(x.get() == 1);
}

BOOST_AUTO_TEST_CASE(replaced_values_are_reclaimed) {
  {
    stm::tvar<counted> x{counted(0)};
    for (int i = 0; i < 20000; ++i) x.set(counted(i));
    BOOST_TEST(x.get().v == 19999);
    // Epoch-based reclamation frees in batches; what is left is bounded.
    BOOST_TEST(counted::live.load() < 5000);
  }
  // Run more transactions on other tvars so that the retired batches go.
  stm::tvar<int> y{0};
  for (int i = 0; i < 2000; ++i) y.set(i);
  BOOST_TEST(counted::live.load() < 200);
}

BOOST_AUTO_TEST_CASE(values_are_freed_with_their_threads) {
  // Values retired by a thread that exits are freed by whoever reclaims next.
  long before = counted::live.load();
  stm::tvar<counted> x{counted(0)};
  std::thread t([&] {
    for (int i = 0; i < 100; ++i) x.set(counted(i));
  });
  t.join();
  stm::tvar<int> y{0};
  for (int i = 0; i < 2000; ++i) y.set(i);
  BOOST_TEST(counted::live.load() - before <= 2);
}

BOOST_AUTO_TEST_CASE(reads_are_opaque) {
  // Writers keep a + b == 0. A reader that saw an inconsistent pair even
  // once inside a transaction (before its commit) would be a bug: opacity.
  stm::tvar<long> a{0}, b{0};
  std::atomic<bool> stop{false};
  std::atomic<long> bad{0};
  const int rounds = 50000 * stress();
  std::atomic<int> ready{0};
  auto start_together = [&] {
    ++ready;
    while (ready.load() < 3) std::this_thread::yield();
  };
  std::atomic<long> checked{0};
  std::vector<std::thread> ts;
  for (int w = 0; w < 2; ++w)
    ts.emplace_back([&, w] {
      start_together();
      for (int i = 0; i < rounds; ++i)
        stm::atomically([&] {
          long d = (i % 7) + w + 1;
          a.set(a.get() + d);
          b.set(b.get() - d);
        });
    });
  ts.emplace_back([&] {
    start_together();
    while (!stop.load()) {
      stm::atomically([&] {
        long x = a.get();
        std::this_thread::yield();
        long y = b.get();
        if (x + y != 0) ++bad;
      });
      ++checked;
    }
  });
  ts[0].join();
  ts[1].join();
  stop = true;
  ts[2].join();
  BOOST_TEST(bad.load() == 0);
  BOOST_TEST(a.get() + b.get() == 0);
  BOOST_TEST_MESSAGE("snapshots " << checked.load());
}

BOOST_AUTO_TEST_CASE(outside_reads_are_consistent_values) {
  // get() outside a transaction returns a value some commit wrote, never a
  // torn or freed one (checked under sanitizers).
  stm::tvar<std::string> s{std::string(64, 'a')};
  std::atomic<bool> stop{false};
  std::thread w([&] {
    for (int i = 0; i < 5000 * stress(); ++i) s.set(std::string(64, char('a' + i % 26)));
    stop = true;
  });
  long bad = 0;
  while (!stop.load()) {
    std::string v = s.get();
    if (v.size() != 64 || v.find_first_not_of(v[0]) != std::string::npos) ++bad;
  }
  w.join();
  BOOST_TEST(bad == 0);
}

BOOST_AUTO_TEST_CASE(reclaimed_values_are_destroyed_outside_any_transaction) {
  // A value's destructor may run a transaction of its own (it owns a watch
  // handle, say). Values are freed in batches when some transaction ends;
  // the destructor must then see no transaction, and its own transaction
  // must commit then and there (not leak into a later one, or get lost).
  struct noisy {
    stm::tvar<long>* log;
    std::atomic<long>* inside;
    std::atomic<long>* dtors;
    noisy(stm::tvar<long>* l, std::atomic<long>* i, std::atomic<long>* d)
        : log(l), inside(i), dtors(d) {}
    noisy(const noisy&) = delete;
    ~noisy() {
      if (stm::in_transaction()) ++*inside;
      long mine = stm::atomically([&] {
        long n = log->get() + 1;
        log->set(n);
        return n;
      });
      ++*dtors;
      // Committed right here. (The end of that commit may itself have freed
      // other values, whose destructors counted too: log may be ahead.)
      if (log->get() < mine) ++*inside;
    }
  };
  stm::tvar<long> log{0};
  std::atomic<long> inside{0}, dtors{0};
  {
    stm::tvar<std::shared_ptr<noisy>> v{std::make_shared<noisy>(&log, &inside, &dtors)};
    for (int i = 0; i < 1000; ++i)
      stm::atomically([&] { v.set(std::make_shared<noisy>(&log, &inside, &dtors)); });
  }
  // Run other transactions until all the retired values are gone (they
  // refer to log and the counters: none may outlive this test).
  stm::tvar<int> y{0};
  for (int i = 0; i < 1000000 && dtors.load() < 1001; ++i) y.set(i);
  BOOST_TEST(dtors.load() == 1001);
  BOOST_TEST(inside.load() == 0);
  BOOST_TEST(log.get() == dtors.load());
}

BOOST_AUTO_TEST_CASE(a_tvar_may_be_destroyed_as_soon_as_its_new_value_is_seen) {
  // The waiter sees the writer's commit and destroys the tvar at once,
  // while the writer may still be finishing that commit (waking waiters).
  // The commit must touch the tvar no more after its value is visible
  // (AddressSanitizer and ThreadSanitizer would report the use after free).
  const int rounds = 2000 * test_helpers::stress();
  const stm::stats s0 = stm::statistics();
  for (int i = 0; i < rounds; ++i) {
    auto flag = std::make_unique<stm::tvar<bool>>(false);
    stm::tvar<bool>* f = flag.get();
    // Write once the reader has started waiting (else the writer may be
    // done before the reader looks, as under valgrind's serial scheduling).
    const std::uint64_t retries = stm::statistics().retries;
    std::thread writer([f, retries] {
      while (stm::statistics().retries == retries) std::this_thread::yield();
      f->set(true);
    });
    stm::atomically([&] {
      if (!flag->get()) stm::retry();
    });
    flag.reset();
    writer.join();
  }
  // The case that matters happened: the reader was waiting when woken.
  BOOST_TEST(stm::statistics().wakeups > s0.wakeups);
}

BOOST_AUTO_TEST_CASE(short_lived_threads) {
  // Threads come and go (their reclamation records and statistics are
  // reused and merged) while another thread keeps committing.
  stm::tvar<long> x{0};
  std::atomic<bool> stop{false};
  std::atomic<long> ones{0};
  std::thread steady_writer([&] {
    while (!stop.load()) {
      stm::atomically([&] { x.set(x.get() + 1); });
      ++ones;
    }
  });
  const int waves = 20 * stress();
  long expected_extra = 0;
  for (int w = 0; w < waves; ++w) {
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
      ts.emplace_back([&] {
        for (int i = 0; i < 50; ++i) stm::atomically([&] { x.set(x.get() + 1000); });
      });
    for (auto& t : ts) t.join();
    expected_extra += 4 * 50 * 1000;
    (void)stm::statistics();
  }
  stop = true;
  steady_writer.join();
  BOOST_TEST(x.get() == expected_extra + ones.load());
}
