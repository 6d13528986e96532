// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Reads against std::shared_mutex: four counters whose sum never changes
// (a write moves one unit from one counter to another), read as a whole by
//
//   stm::atomically     a transaction reading the four tvars
//   std::shared_mutex   shared lock to read, exclusive lock to write
//   std::mutex          one lock for both
//
// in three workloads: 1 thread reading; 2 threads reading; 2 threads doing
// 90% reads and 10% writes. Every read checks the sum, so a torn read is
// caught (exit status 1). Rounds are interleaved; the table gives the
// median throughput with min and max, and each one's median relative to
// std::shared_mutex's. (The STM core's own benchmark compares uncontended
// transactions and a contended bank transfer with std::mutex; this one
// adds the reader-writer lock a read-mostly user would reach for.)
//
//   shared_mutex [--quick] [--ops N] [--rounds R]
#include "common.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using bench::clock_type;
using bench::seconds_since;
using bench::summarize;
using bench::summary;

namespace {

constexpr long initial = 1000;
constexpr long total = 4 * initial;
std::atomic<bool> torn{false};

struct stm_counters {
  stm::tvar<long> v[4]{stm::tvar<long>(initial), stm::tvar<long>(initial),
                       stm::tvar<long>(initial), stm::tvar<long>(initial)};
  long read() {
    return stm::atomically([&] { return v[0].get() + v[1].get() + v[2].get() + v[3].get(); });
  }
  void move(int from, int to) {
    stm::atomically([&] {
      v[from].set(v[from].get() - 1);
      v[to].set(v[to].get() + 1);
    });
  }
};

template <class Mutex, bool Shared>
struct locked_counters {
  Mutex m;
  long v[4] = {initial, initial, initial, initial};
  long read() {
    if constexpr (Shared) {
      std::shared_lock<Mutex> g(m);
      return v[0] + v[1] + v[2] + v[3];
    } else {
      std::lock_guard<Mutex> g(m);
      return v[0] + v[1] + v[2] + v[3];
    }
  }
  void move(int from, int to) {
    std::lock_guard<Mutex> g(m);
    --v[from];
    ++v[to];
  }
};

// Runs `threads` threads of `ops` operations each, one write in every
// `write_every` operations (0: none); returns million operations per second.
template <class Counters>
double run(int threads, long ops, long write_every) {
  Counters c;
  std::atomic<int> ready{0};
  auto work = [&](int t) {
    ready.fetch_add(1);
    while (ready.load() < threads) {
    }
    for (long i = 0; i < ops; ++i) {
      if (write_every && (i + t) % write_every == 0)
        c.move(int((i + t) % 4), int((i + t + 1) % 4));
      else if (c.read() != total)
        torn = true;
    }
  };
  auto t0 = clock_type::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) ts.emplace_back(work, t);
  for (auto& t : ts) t.join();
  double s = seconds_since(t0);
  if (c.read() != total) torn = true;
  return double(ops) * threads / s / 1e6;
}

struct contender {
  const char* name;
  double (*run)(int, long, long);
};

struct workload {
  const char* name;
  int threads;
  long write_every;
};

}  // namespace

int main(int argc, char** argv) {
  long ops = 2000000;
  int rounds = 5;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      ops = 200000;
    } else if (!std::strcmp(argv[i], "--ops") && i + 1 < argc) {
      ops = std::max(1L, std::atol(argv[++i]));
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--ops N] [--rounds R]\n", argv[0]);
      return 2;
    }
  }
  const std::vector<contender> cs{{"stm::atomically", run<stm_counters>},
                                  {"std::shared_mutex", run<locked_counters<std::shared_mutex, true>>},
                                  {"std::mutex", run<locked_counters<std::mutex, false>>}};
  const std::vector<workload> ws{{"1 thread, reads only", 1, 0},
                                 {"2 threads, reads only", 2, 0},
                                 {"2 threads, 90% reads, 10% writes", 2, 10}};
  // mops[workload][contender] = one entry per round; restarts likewise for STM.
  std::vector<std::vector<std::vector<double>>> mops(ws.size(),
                                                     std::vector<std::vector<double>>(cs.size()));
  std::vector<std::vector<double>> restarts(ws.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t w = 0; w < ws.size(); ++w)
      for (std::size_t c = 0; c < cs.size(); ++c) {
        stm::stats s0 = stm::statistics();
        mops[w][c].push_back(cs[c].run(ws[w].threads, ops, ws[w].write_every));
        stm::stats s1 = stm::statistics();
        if (c == 0)
          restarts[w].push_back(double(s1.restarts - s0.restarts) / double(ops * ws[w].threads));
      }

  std::printf("## Four counters read as a whole: STM against std::shared_mutex\n\n");
  std::printf("%s operations per thread, %d interleaved rounds, %u hardware threads; million "
              "operations per second (all threads), median with min and max. Comparable only "
              "within this run.\n\n",
              bench::with_commas(static_cast<std::size_t>(ops)).c_str(), rounds,
              std::thread::hardware_concurrency());
  std::printf("| workload | contender | median | min | max | vs std::shared_mutex | STM restarts per op |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|\n");
  for (std::size_t w = 0; w < ws.size(); ++w) {
    const summary base = summarize(mops[w][1]);
    for (std::size_t c = 0; c < cs.size(); ++c) {
      summary s = summarize(mops[w][c]);
      std::string rs = c == 0 ? bench::cell(summarize(restarts[w]), "%.4f") : "-";
      std::printf("| %s | %s | %.2f | %.2f | %.2f | %.2fx | %s |\n", ws[w].name, cs[c].name,
                  s.median, s.min, s.max, base.median > 0 ? s.median / base.median : 0.0,
                  rs.c_str());
    }
  }
  std::printf("\n");
  if (torn) {
    std::fprintf(stderr, "shared_mutex: a read saw a sum other than %ld\n", total);
    return 1;
  }
  return 0;
}
