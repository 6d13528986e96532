// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// What one thread's transaction costs, on a fixed amount of work, against
// GCC's transactional memory (where the compiler takes -fgnu-tm, see
// gnu_tm/gnu_tm.hpp) and one std::mutex doing the same, in a process with
// a second (idle) thread:
//
//   ro     read 16 longs (each on a cache line of its own) as a whole and
//          check their sum
//   bank   a transfer between two of 1,024 accounts (a random pair and
//          amount); the total is checked at the end
//
// Every contender runs --n operations per round, rounds interleaved; each
// figure is the median of --rounds rounds, with min and max. A wrong sum or
// total exits 1.
//
// Because the work is fixed, the program is also what valgrind's callgrind
// counts: the instructions of one STM transaction are the difference
// between the counts of two runs with different --n, divided by the
// difference of the --n (setup and exit cancel out), e.g.
//
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null
//       one_thread --only stm --work ro --rounds 1 --n 100000
//   (on one line; then the same with --n 300000, and (I2 - I1) / 200000)
//
//   one_thread [--quick] [--rounds R] [--n N] [--only stm|gnu-tm|mutex] [--work ro|bank]
#include "common.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/tvar.hpp>

#if defined(BOOST_STM_HAVE_GNU_TM)
#include "gnu_tm/gnu_tm.hpp"
#endif

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;

namespace {

constexpr std::size_t n_cells = 16;
constexpr std::size_t n_accounts = 1024;
constexpr long initial = 1000;

[[noreturn]] void wrong(const char* what) {
  std::fprintf(stderr, "one_thread: WRONG RESULT: %s\n", what);
  std::exit(1);
}

using bench::padded;

// A contender (as gnu_tm::cells): C(n, v) makes n cells holding v; sum()
// reads them all in one critical section; transfer(a, b, x) moves x from a
// to b.
struct stm_cells {
  std::vector<std::unique_ptr<padded<stm::tvar<long>>>> c;
  stm_cells(std::size_t n, long v) {
    for (std::size_t i = 0; i < n; ++i) {
      c.push_back(std::make_unique<padded<stm::tvar<long>>>());
      c.back()->v.set(v);
    }
  }
  long sum() {
    return stm::atomically([&] {
      long s = 0;
      for (auto& p : c) s += p->v.get();
      return s;
    });
  }
  void transfer(std::size_t a, std::size_t b, long x) {
    stm::atomically([&] {
      stm::tvar<long>& from = c[a]->v;
      stm::tvar<long>& to = c[b]->v;
      from.set(from.get() - x);
      to.set(to.get() + x);
    });
  }
};

struct mutex_cells {
  std::mutex m;
  std::vector<padded<long>> c;
  mutex_cells(std::size_t n, long v) : c(n, padded<long>{v}) {}
  long sum() {
    std::lock_guard<std::mutex> g(m);
    long s = 0;
    for (auto& p : c) s += p.v;
    return s;
  }
  void transfer(std::size_t a, std::size_t b, long x) {
    std::lock_guard<std::mutex> g(m);
    c[a].v -= x;
    c[b].v += x;
  }
};

// Million operations per second of n operations of `work` on a fresh C.
template <class C>
double run(const std::string& work, std::size_t n) {
  if (work == "ro") {
    C c(n_cells, initial);
    auto t0 = bench::clock_type::now();
    for (std::size_t i = 0; i < n; ++i)
      if (c.sum() != long(n_cells) * initial) wrong("a read saw a wrong sum");
    return double(n) / bench::seconds_since(t0) / 1e6;
  }
  C c(n_accounts, initial);
  std::minstd_rand rng(1);
  auto t0 = bench::clock_type::now();
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t a = rng() % n_accounts;
    std::size_t b = (a + 1 + rng() % (n_accounts - 1)) % n_accounts;
    c.transfer(a, b, long(rng() % 10));
  }
  double r = double(n) / bench::seconds_since(t0) / 1e6;
  if (c.sum() != long(n_accounts) * initial) wrong("the bank's total changed");
  return r;
}

#if !defined(BOOST_STM_HAVE_GNU_TM)
// A thread that waits until destroyed.
class idle_thread {
public:
  idle_thread() : t_([this] {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [this] { return stop_; });
  }) {}
  ~idle_thread() {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    cv_.notify_all();
    t_.join();
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread t_;
};
#endif

struct contender {
  std::string name, key;
  std::function<double(const std::string&, std::size_t)> run;
};

}  // namespace

int main(int argc, char** argv) {
  unsigned rounds = 7;
  std::size_t n = 2000000;
  std::string only, only_work;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "one_thread: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick") {
      rounds = 5;
      n = 200000;
    } else if (a == "--rounds") {
      rounds = bench::parse_counts<unsigned>("one_thread", "--rounds", next()).at(0);
    } else if (a == "--n") {
      n = bench::parse_counts<std::size_t>("one_thread", "--n", next()).at(0);
    } else if (a == "--only") {
      only = next();
    } else if (a == "--work") {
      only_work = next();
    } else {
      std::fprintf(stderr,
                   "usage: one_thread [--quick] [--rounds R] [--n N] [--only stm|gnu-tm|mutex] "
                   "[--work ro|bank]\n");
      return 2;
    }
  }
  // Every contender runs in a process with a second thread, as in any
  // program with a reason for transactions or locks: glibc's locks skip
  // their atomic instructions while a process has only ever had one
  // thread, and libitm runs a lone thread's transactions serially (no STM;
  // see gnu_tm::second_thread, which registers the second thread with it).
#if defined(BOOST_STM_HAVE_GNU_TM)
  gnu_tm::second_thread other;
#else
  idle_thread other;
#endif
  std::vector<contender> all{{"stm::atomically", "stm", run<stm_cells>}};
#if defined(BOOST_STM_HAVE_GNU_TM)
  all.push_back({"GCC TM", "gnu-tm", run<gnu_tm::cells>});
#endif
  all.push_back({"std::mutex", "mutex", run<mutex_cells>});
  std::vector<contender> cs;
  for (auto& c : all)
    if (only.empty() || only == c.key) cs.push_back(c);
  if (cs.empty()) {
    std::fprintf(stderr, "one_thread: --only takes stm, gnu-tm (where built) or mutex, not '%s'\n",
                 only.c_str());
    return 2;
  }
  std::vector<std::string> works;
  for (const char* w : {"ro", "bank"})
    if (only_work.empty() || only_work == w) works.push_back(w);
  if (works.empty()) {
    std::fprintf(stderr, "one_thread: --work takes ro or bank, not '%s'\n", only_work.c_str());
    return 2;
  }

  // fig[contender][work]: one figure per round.
  std::vector<std::vector<std::vector<double>>> fig(
      cs.size(), std::vector<std::vector<double>>(works.size()));
  for (unsigned r = 0; r < rounds; ++r)
    for (std::size_t w = 0; w < works.size(); ++w)
      for (std::size_t c = 0; c < cs.size(); ++c) fig[c][w].push_back(cs[c].run(works[w], n));

  std::printf("## One thread's transaction\n\n");
  std::printf("Million operations per second, one thread, %zu operations per round, median "
              "(min-max) of %u rounds. ro: read 16 longs as a whole; bank: a transfer between "
              "two of 1,024 accounts.\n\n| contender |",
              n, rounds);
  for (auto& w : works) std::printf(" %s |", w.c_str());
  std::printf("\n|---|");
  for (std::size_t w = 0; w < works.size(); ++w) std::printf("---|");
  std::printf("\n");
  std::vector<std::vector<bench::summary>> sum(cs.size());
  for (std::size_t c = 0; c < cs.size(); ++c) {
    std::printf("| %s |", cs[c].name.c_str());
    for (std::size_t w = 0; w < works.size(); ++w) {
      sum[c].push_back(bench::summarize(fig[c][w]));
      std::printf(" %s |", bench::cell(sum[c][w], "%.3g").c_str());
    }
    std::printf("\n");
  }
  if (cs[0].key == "stm")
    for (std::size_t c = 1; c < cs.size(); ++c) {
      std::printf("| %s / %s |", cs[0].name.c_str(), cs[c].name.c_str());
      for (std::size_t w = 0; w < works.size(); ++w)
        std::printf(" %.2fx |", sum[0][w].median / sum[c][w].median);
      std::printf("\n");
    }
  return 0;
}
