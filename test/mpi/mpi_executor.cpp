// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// mpi_executor, run under mpirun with 1, 3 and 4 ranks. Every test case
// constructs an executor on every rank; the ranks other than the root serve
// inside the constructor and leave the test case once the root shuts down.

#define BOOST_TEST_MODULE mpi_executor
#define BOOST_TEST_NO_MAIN
#include <boost/stm/mpi_executor.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/wait.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/test/unit_test.hpp>

#include "../test_support.hpp"

#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
namespace mpi = boost::mpi;

namespace {

int square(int x) { return x * x; }
int checked_sqrt(int x) {
  if (x < 0) throw std::domain_error("negative: " + std::to_string(x));
  int r = 0;
  while ((r + 1) * (r + 1) <= x) ++r;
  return r;
}
int where(int) { return mpi::communicator().rank(); }
std::size_t length(const std::string& s) { return s.size(); }
void nothing() {}
int not_registered(int x) { return x; }

struct point {
  int x = 0;
  double y = 0;
  template <class Archive>
  void serialize(Archive& ar, unsigned) {
    ar & x & y;
  }
};
point mirror(point p, std::vector<int> v) {
  return point{-p.x + static_cast<int>(v.size()), -p.y};
}
point flip(point p) {
  if (p.x < 0) throw std::out_of_range("flip: x is " + std::to_string(p.x));
  return point{p.x, -p.y};
}
int add(int a, long b) { return a + static_cast<int>(b); }
std::string repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; ++i) r += s;
  return r;
}

}  // namespace

namespace geometry {
int twice(int x) { return 2 * x; }
}  // namespace geometry

BOOST_STM_REMOTE(square)
BOOST_STM_REMOTE(checked_sqrt)
BOOST_STM_REMOTE(where)
BOOST_STM_REMOTE(length)
BOOST_STM_REMOTE(nothing)
BOOST_STM_REMOTE(mirror)
BOOST_STM_REMOTE(flip)
BOOST_STM_REMOTE(add)
BOOST_STM_REMOTE(repeat)
BOOST_STM_REMOTE(geometry::twice)

namespace {
int ranks() { return mpi::communicator().size(); }
}  // namespace

BOOST_AUTO_TEST_CASE(submit_runs_on_another_rank) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  BOOST_TEST(ex.workers() == static_cast<std::size_t>(std::max(1, ranks() - 1)));
  BOOST_TEST(ex.submit(square, 7).get() == 49);
  BOOST_TEST(ex.submit(geometry::twice, 21).get() == 42);
  BOOST_TEST(ex.submit(length, "four").get() == 4u);  // converted to the parameter type
  ex.submit(nothing).get();
  point p = ex.submit(mirror, point{3, 1.5}, std::vector<int>{1, 2}).get();
  BOOST_TEST(p.x == -1);
  BOOST_TEST(p.y == -1.5);
  const int ran_on = ex.submit(where, 0).get();
  if (ranks() == 1)
    BOOST_TEST(ran_on == 0);
  else
    BOOST_TEST(ran_on != 0);
}

BOOST_AUTO_TEST_CASE(map_in_order_any_chunksize) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  std::vector<int> in(100);
  std::iota(in.begin(), in.end(), -10);
  for (std::size_t chunk : {1u, 7u, 64u, 200u}) {
    std::size_t i = 0;
    for (int r : ex.map(square, in, chunk)) {
      BOOST_TEST(r == in[i] * in[i]);
      ++i;
    }
    BOOST_TEST(i == in.size());
  }
  BOOST_TEST(ex.map(square, std::vector<int>{}).size() == 0u);
  BOOST_CHECK_THROW((void)ex.map(square, in, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(exception_comes_back_as_remote_error) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  auto f = ex.submit(checked_sqrt, -4);
  try {
    (void)f.get();
    BOOST_FAIL("no exception");
  } catch (const stm::remote_error& e) {
    BOOST_TEST(e.type_name() == "std::domain_error");
    BOOST_TEST(e.message() == "negative: -4");
    BOOST_TEST(e.rank() == (ranks() == 1 ? 0 : e.rank()));
    BOOST_TEST(e.rank() >= 0);
    BOOST_TEST(e.rank() < ranks());
    BOOST_TEST(std::string(e.what()).find("negative: -4") != std::string::npos);
  }
  // The executor carries on.
  BOOST_TEST(ex.submit(checked_sqrt, 16).get() == 4);
}

// Reads every result of a map: its value as a string, or "x" for a
// remote_error whose message contains `expected`.
template <class R, class Show>
std::vector<std::string> outcomes(stm::map_result<R> results, const std::string& expected,
                                  Show show) {
  std::vector<std::string> seen;
  for (auto it = results.begin(); it != results.end(); ++it) {
    try {
      seen.push_back(show(*it));
    } catch (const stm::remote_error& e) {
      BOOST_TEST(e.message().find(expected) != std::string::npos);
      seen.push_back("x");
    }
  }
  return seen;
}

BOOST_AUTO_TEST_CASE(failure_in_a_chunk_fails_only_its_call) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  const auto show = [](int r) { return std::to_string(r); };
  // Arguments and results as raw bytes; chunks [0,4) [4,8) [8,10).
  std::vector<int> in{0, 1, 4, 9, 16, -1, 36, -49, 64, 81};
  BOOST_TEST(outcomes(ex.map(checked_sqrt, in, 4), "negative: -", show) ==
                 (std::vector<std::string>{"0", "1", "2", "3", "4", "x", "6", "x", "8", "9"}),
             boost::test_tools::per_element());
  // Through one archive each way: the results after a failure still read
  // right.
  std::vector<point> pts;
  for (int x : {1, -2, 3, 4, -5, -6, 7}) pts.push_back(point{x, 0.5 * x});
  const auto show_point = [](point p) { return std::to_string(p.x) + "/" + std::to_string(p.y); };
  BOOST_TEST(outcomes(ex.map(flip, pts, 3), "flip: x is -", show_point) ==
                 (std::vector<std::string>{"1/-0.500000", "x", "3/-1.500000", "4/-2.000000", "x",
                                           "x", "7/-3.500000"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(map_over_several_ranges_stops_at_the_shortest) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  const std::vector<int> a{1, 2, 3, 4, 5, 6, 7};
  const std::vector<long> b{10, 20, 30, 40, 50};
  for (std::size_t chunk : {1u, 2u, 64u}) {
    std::vector<int> sums;
    for (int r : ex.map(add, a, b, chunk)) sums.push_back(r);
    BOOST_TEST(sums == (std::vector<int>{11, 22, 33, 44, 55}), boost::test_tools::per_element());
  }
  std::vector<std::string> words;
  for (const std::string& w :
       ex.map(std::chrono::seconds(60), repeat, std::vector<std::string>{"ab", "c", "", "de"},
              std::vector<int>{2, 3, 4}))
    words.push_back(w);
  BOOST_TEST(words == (std::vector<std::string>{"abab", "ccc", ""}),
             boost::test_tools::per_element());
  BOOST_TEST(ex.map(add, a, std::vector<long>{}).size() == 0u);
  BOOST_CHECK_THROW((void)ex.map(add, a, b, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(unregistered_function_is_named) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  try {
    (void)ex.submit(not_registered, 1);
    BOOST_FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("not registered") != std::string::npos);
    BOOST_TEST(what.find("int (int)") != std::string::npos);
    BOOST_TEST(what.find("BOOST_STM_REMOTE") != std::string::npos);
  }
  BOOST_CHECK_THROW((void)ex.map(not_registered, std::vector<int>{1}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(futures_are_the_librarys_own) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  // Callbacks run after the commit that ends their future: count them in a
  // tvar and wait for all of them.
  stm::tvar<int> called{0};
  std::vector<stm::future<int>> fs;
  for (int i = 0; i < 20; ++i) fs.push_back(ex.submit(square, i));
  for (auto& f : fs) f.add_done_callback([&](stm::future<int>&) {
      stm::atomically([&] { called.set(called.get() + 1); });
    });
  auto w = stm::wait(fs);
  BOOST_TEST(w.not_done.empty());
  int sum = 0;
  for (auto& f : stm::as_completed(fs)) sum += f.get();
  BOOST_TEST(sum == 2470);  // sum of i*i for i < 20
  stm::atomically([&] {
    if (called.get() != 20) stm::retry();
  });

  // Transactional get: or_else over a remote result and a local tvar.
  stm::tvar<int> local{0};
  auto g = ex.submit(square, 6);
  int v = stm::atomically([&] {
    return stm::or_else([&] { return g.get(); },
                        [&] {
                          if (local.get() == 0) stm::retry();
                          return -1;
                        });
  });
  BOOST_TEST(v == 36);
}

BOOST_AUTO_TEST_CASE(cancel_before_sending_and_not_after) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  // Submitted and cancelled in one transaction: the progress thread never
  // sees it pending.
  auto f = stm::atomically([&] {
    auto f = ex.submit(square, 3);
    BOOST_TEST(f.cancel());
    return f;
  });
  BOOST_TEST(f.cancelled());
  BOOST_CHECK_THROW((void)f.get(), stm::cancelled_error);

  // Chunks cancelled in the transaction that queued them are never sent;
  // the chunks of another map queued with them run.
  std::vector<int> first(8, 3), second{1, 2, 3, 4, 5};
  auto [dropped_early, ran] = stm::atomically([&] {
    auto c = ex.map(square, first, 4);
    auto r = ex.map(square, second, 2);
    c.cancel_rest();
    return std::make_pair(std::move(c), std::move(r));
  });
  for (auto it = dropped_early.begin(); it != dropped_early.end(); ++it)
    BOOST_CHECK_THROW((void)*it, stm::cancelled_error);
  std::vector<int> squares;
  for (int r : ran) squares.push_back(r);
  BOOST_TEST(squares == (std::vector<int>{1, 4, 9, 16, 25}), boost::test_tools::per_element());
  auto g = ex.submit(square, 4);
  stm::atomically([&] {
    if (!g.running() && !g.done()) stm::retry();
  });
  BOOST_TEST(!g.cancel());  // sent: running or done
  BOOST_TEST(g.get() == 16);

  // A map dropped unread cancels what was not sent; every future ends once.
  std::vector<int> in(500, 2);
  std::vector<stm::future<int>> fs;
  for (int x : in) fs.push_back(ex.submit(square, x));
  { auto dropped = ex.map(square, in, 3); }
  ex.shutdown(true, /*cancel_futures=*/true);
  std::size_t finished = 0, cancelled = 0;
  for (auto& h : fs) {
    BOOST_TEST(h.done());
    if (h.cancelled())
      ++cancelled;
    else if (h.get() == 4)
      ++finished;
  }
  BOOST_TEST(finished + cancelled == fs.size());
}

BOOST_AUTO_TEST_CASE(shutdown_waiting_from_a_callback_is_refused) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  // 0: not run yet; 1: ran here (the task had already ended: try again);
  // 2: refused on the progress thread, as it should be; 3: anything else.
  const auto main_thread = std::this_thread::get_id();
  int o = 1;
  for (int attempt = 0; attempt < 1000 && o == 1; ++attempt) {
    stm::tvar<int> outcome{0};
    auto f = ex.submit(square, 2);
    f.add_done_callback([&](stm::future<int>&) {
      int r = 1;
      if (std::this_thread::get_id() != main_thread) {
        r = 3;
        try {
          ex.shutdown(true);
        } catch (const stm::invalid_state_error&) {
          r = 2;
        } catch (...) {
        }
      }
      stm::atomically([&] { outcome.set(r); });
    });
    o = stm::atomically([&] {
      if (outcome.get() == 0) stm::retry();
      return outcome.get();
    });
  }
  BOOST_TEST(o == 2);
}

BOOST_AUTO_TEST_CASE(shutdown_then_submit_throws) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  auto f = ex.submit(square, 5);
  ex.shutdown(/*wait=*/false);
  BOOST_CHECK_THROW((void)ex.submit(square, 1), stm::shutdown_error);
  BOOST_CHECK_THROW((void)ex.map(square, std::vector<int>{1}), stm::shutdown_error);
  ex.shutdown(true);
  ex.shutdown(true);
  BOOST_TEST(f.get() == 25);  // submitted before the shutdown: it ran
}

BOOST_AUTO_TEST_CASE(many_tasks_all_accounted_for) {
  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return;
  const int n = 2000 * test_helpers::stress();
  std::vector<stm::future<int>> fs;
  long long expected = 0;
  for (int i = 0; i < n; ++i) {
    fs.push_back(ex.submit(geometry::twice, i));
    expected += 2LL * i;
  }
  long long sum = 0;
  for (auto& f : fs) sum += f.get();
  for (int r : ex.map(geometry::twice, std::vector<int>(static_cast<std::size_t>(n), 1), 16))
    sum += r - 2;
  BOOST_TEST(sum == expected);
}

BOOST_AUTO_TEST_CASE(not_root_cannot_submit) {
  stm::mpi_executor ex{mpi::communicator()};
  if (ex.is_root()) return;
  BOOST_CHECK_THROW((void)ex.submit(square, 1), stm::invalid_state_error);
}

int main(int argc, char** argv) {
  mpi::environment env{argc, argv, mpi::threading::serialized};
  return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
