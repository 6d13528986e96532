// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// mpi_executor throughput and round trip, for bench/mpi/run, which runs it
// under mpirun beside bench/mpi/mpi4py_futures.py (the same measurements
// with mpi4py.futures.MPICommExecutor). Prints "metric value" lines, each
// value the median over the rounds:
//   submit_per_s   N tiny tasks submitted, then every result read
//   map1_per_s     map over N items, chunksize 1
//   map64_per_s    map over N items, chunksize 64
//   round_trip_us  one submit and its get(), one task at a time

#include <boost/stm/mpi_executor.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <vector>

namespace stm = boost::stm;
namespace mpi = boost::mpi;
using clock_type = std::chrono::steady_clock;

int inc(int x) { return x + 1; }
BOOST_STM_REMOTE(inc)

namespace {

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

[[noreturn]] void wrong(const char* what) {
  std::fprintf(stderr, "wrong result: %s\n", what);
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  mpi::environment env{argc, argv, mpi::threading::serialized};
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int n = 20000;
  const int rounds = quick ? 1 : 5;
  const int trips = quick ? 500 : 2000;

  stm::mpi_executor ex{mpi::communicator()};
  if (!ex.is_root()) return 0;
  std::vector<int> items(n);
  std::iota(items.begin(), items.end(), 0);
  const long long expected = static_cast<long long>(n) * (n + 1) / 2;

  std::vector<double> submit, map1, map64, trip;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = clock_type::now();
    std::vector<stm::future<int>> fs;
    fs.reserve(items.size());
    for (int i : items) fs.push_back(ex.submit(inc, i));
    long long sum = 0;
    for (auto& f : fs) sum += f.get();
    submit.push_back(n / seconds_since(t0));
    if (sum != expected) wrong("submit");

    for (std::size_t chunk : {std::size_t{1}, std::size_t{64}}) {
      t0 = clock_type::now();
      sum = 0;
      for (int v : ex.map(inc, items, chunk)) sum += v;
      (chunk == 1 ? map1 : map64).push_back(n / seconds_since(t0));
      if (sum != expected) wrong("map");
    }

    std::vector<double> one;
    for (int i = 0; i < trips; ++i) {
      t0 = clock_type::now();
      if (ex.submit(inc, i).get() != i + 1) wrong("round trip");
      one.push_back(seconds_since(t0) * 1e6);
    }
    trip.push_back(median(one));
  }
  std::printf("ranks %zu\n", ex.workers() + 1);
  std::printf("submit_per_s %.0f\nmap1_per_s %.0f\nmap64_per_s %.0f\nround_trip_us %.1f\n",
              median(submit), median(map1), median(map64), median(trip));
}
