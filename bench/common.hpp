// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// What peers.cpp and fibers.cpp share: clocks, the median/min/max of a set
// of rounds, percentiles, context switch counts, waiting for the process to
// go quiet, an optional CSV file of the figures for bench/run's plots, and
// the tiny-task throughput and round-trip loops, and the count lists their
// options take.
#ifndef BOOST_STM_BENCH_COMMON_HPP_INCLUDED
#define BOOST_STM_BENCH_COMMON_HPP_INCLUDED

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace bench {

using clock_type = std::chrono::steady_clock;

inline double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// A cache line of its own, so that contenders' data do not share lines by
// accident (the STM's tvars are laid out the same way).
template <class T>
struct alignas(64) padded {
  T v;
};

// One figure over several rounds.
struct summary {
  double median = 0, min = 0, max = 0;
  bool valid = false;
};

inline summary summarize(std::vector<double> v) {
  summary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  std::size_t k = v.size() / 2;
  s.median = v.size() % 2 ? v[k] : (v[k - 1] + v[k]) / 2;
  s.min = v.front();
  s.max = v.back();
  s.valid = true;
  return s;
}

// Nearest-rank percentile, p in (0, 100].
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(v.size())));
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

// Voluntary plus involuntary context switches of every thread of this process.
inline long context_switches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_nvcsw + u.ru_nivcsw;
}

// Waits until the process's other threads have gone to sleep: no more than
// a couple of context switches (our own sleeps) in 5 ms, or 2 s have passed.
// Used before counting context switches, so that threads still starting up
// or going idle are not charged to the work measured next.
inline void settle() {
  auto deadline = clock_type::now() + std::chrono::seconds(2);
  int quiet = 0;
  while (quiet < 2 && clock_type::now() < deadline) {
    long c0 = context_switches();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    quiet = context_switches() - c0 <= 2 ? quiet + 1 : 0;
  }
}

// "median (min-max)" for table cells.
inline std::string cell(const summary& s, const char* fmt = "%.1f") {
  if (!s.valid) return "-";
  char a[32], b[32], c[32], out[112];
  std::snprintf(a, sizeof a, fmt, s.median);
  std::snprintf(b, sizeof b, fmt, s.min);
  std::snprintf(c, sizeof c, fmt, s.max);
  std::snprintf(out, sizeof out, "%s (%s-%s)", a, b, c);
  return out;
}

// 200000 -> "200,000".
// A comma-separated list of positive counts ("1,2,4"), as --threads and
// the like take. Anything else (an empty list, a zero, a stray character)
// ends the program with status 2 and a message naming `program` and `flag`.
template <class N = std::size_t>
std::vector<N> parse_counts(const char* program, const char* flag, const char* s) {
  std::vector<N> out;
  for (const char* p = s;;) {
    char* end = nullptr;
    unsigned long v = std::strtoul(p, &end, 10);
    if (end == p || v == 0 || (*end && *end != ',')) {
      std::fprintf(stderr, "%s: %s takes a list of positive counts like 1,2,4, not '%s'\n",
                   program, flag, s);
      std::exit(2);
    }
    out.push_back(static_cast<N>(v));
    if (!*end) return out;
    p = end + 1;
  }
}

inline std::string with_commas(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// Rows "series,name,x,median,min,max" for plotting; a no-op without a path.
class csv {
public:
  csv() = default;
  explicit csv(const std::string& path) {
    if (path.empty()) return;
    f_ = std::fopen(path.c_str(), "w");
    if (!f_) std::perror(path.c_str());
    else std::fputs("series,name,x,median,min,max\n", f_);
  }
  csv(const csv&) = delete;
  csv& operator=(const csv&) = delete;
  ~csv() {
    if (f_) std::fclose(f_);
  }
  void row(const char* series, std::string name, double x, const summary& s) {
    if (!f_ || !s.valid) return;
    std::replace(name.begin(), name.end(), ',', ';');
    std::fprintf(f_, "%s,%s,%g,%g,%g,%g\n", series, name.c_str(), x, s.median, s.min, s.max);
  }

private:
  std::FILE* f_ = nullptr;
};

// ---- tiny tasks: throughput and round trips ---------------------------------------

// The task of the throughput and round-trip figures; n of them, for
// i = 0..n-1, sum to n * n.
inline int tiny(int i) { return i * 2 + 1; }
inline long long expected_sum(std::size_t n) {
  return static_cast<long long>(n) * static_cast<long long>(n);
}

// Seconds to submit n tiny tasks back to back and then get every result;
// negative if a result is wrong. submit(i) returns a future of tiny(i).
template <class Submit>
double batch_seconds(std::size_t n, Submit submit) {
  using future_type = decltype(submit(0));
  std::vector<future_type> fs;
  fs.reserve(n);
  auto t0 = clock_type::now();
  for (std::size_t i = 0; i < n; ++i) fs.push_back(submit(static_cast<int>(i)));
  long long sum = 0;
  for (auto& f : fs) sum += f.get();
  double s = seconds_since(t0);
  return sum == expected_sum(n) ? s : -1.0;
}

// Latencies of m sequential submit(i).get() in microseconds, after a
// warm-up; a negative entry marks a wrong result.
template <class Submit>
std::vector<double> time_round_trips(std::size_t m, Submit submit) {
  for (int i = 0; i < 20; ++i) (void)submit(i).get();  // warm up threads and caches
  std::vector<double> us;
  us.reserve(m);
  for (std::size_t i = 0; i < m; ++i) {
    auto t0 = clock_type::now();
    int v = submit(static_cast<int>(i)).get();
    us.push_back(v == tiny(static_cast<int>(i)) ? seconds_since(t0) * 1e6 : -1.0);
  }
  return us;
}

}  // namespace bench

#endif
