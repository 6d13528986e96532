// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// thread_pool_executor against boost::asio::thread_pool with futures (post
// + std::promise) and std::async, all with 2 worker threads:
//
//   1. throughput: submit N tiny tasks, then get every result (and, for
//      reference, the same tasks on the bare stm::thread_pool, no futures)
//   2. round trip: submit one tiny task and get its result, repeatedly
//      (median and p99 latency)
//   3. std::async: the same tiny tasks, one std::async each
//   4. map over N tiny tasks (one transaction) against N submits
//
// Each measurement runs in >= 5 rounds, interleaved (a round of every
// contender, then the next round), and reports median, min and max; ratios
// compare medians from this same run. Prints markdown tables; exits 0.
//
//   executor [--quick] [--rounds R] [--tasks N]
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <string>
#include <vector>

namespace stm = boost::stm;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

int tiny(int i) { return i * 2 + 1; }

struct stats {
  std::vector<double> v;
  void add(double x) { v.push_back(x); }
  double median() const {
    std::vector<double> s = v;
    std::sort(s.begin(), s.end());
    std::size_t n = s.size();
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  double min() const { return *std::min_element(v.begin(), v.end()); }
  double max() const { return *std::max_element(v.begin(), v.end()); }
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// A pool in the asio style: post a handler that fulfils a promise.
struct asio_pool {
  boost::asio::thread_pool pool{2};
  template <class F>
  std::future<int> submit(F f) {
    std::promise<int> p;
    std::future<int> r = p.get_future();
    boost::asio::post(pool, [p = std::move(p), f]() mutable {
      try {
        p.set_value(f());
      } catch (...) {
        p.set_exception(std::current_exception());
      }
    });
    return r;
  }
  ~asio_pool() { pool.join(); }
};

long long checksum = 0;  // keeps results observable

// 1. N tiny tasks: submit all, then get all. Returns tasks per second.
double throughput_stm(stm::thread_pool_executor& ex, int n) {
  std::vector<stm::future<int>> fs;
  fs.reserve(static_cast<std::size_t>(n));
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) fs.push_back(ex.submit(tiny, i));
  for (auto& f : fs) checksum += f.get();
  return n / seconds_since(t0);
}

double throughput_asio(asio_pool& ex, int n) {
  std::vector<std::future<int>> fs;
  fs.reserve(static_cast<std::size_t>(n));
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) fs.push_back(ex.submit([i] { return tiny(i); }));
  for (auto& f : fs) checksum += f.get();
  return n / seconds_since(t0);
}

// The same work on the bare stm::thread_pool (no futures): where the
// executor's own cost ends and the pool's begins.
double throughput_pool(stm::thread_pool& pool, int n) {
  std::vector<int> out(static_cast<std::size_t>(n));
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) pool.schedule([&out, i] { out[static_cast<std::size_t>(i)] = tiny(i); });
  pool.join();
  double rate = n / seconds_since(t0);
  for (int v : out) checksum += v;
  return rate;
}

double throughput_async(int n) {
  std::vector<std::future<int>> fs;
  fs.reserve(static_cast<std::size_t>(n));
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) fs.push_back(std::async(std::launch::async, tiny, i));
  for (auto& f : fs) checksum += f.get();
  return n / seconds_since(t0);
}

double map_stm(stm::thread_pool_executor& ex, const std::vector<int>& in) {
  auto t0 = clock_type::now();
  for (int r : ex.map(tiny, in)) checksum += r;
  return static_cast<double>(in.size()) / seconds_since(t0);
}

// 2. Round trip: microseconds per submit + get, one at a time.
template <class Submit>
std::vector<double> round_trips(Submit submit, int n) {
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto t0 = clock_type::now();
    checksum += submit(i);
    us.push_back(seconds_since(t0) * 1e6);
  }
  return us;
}

void row(const char* name, const stats& s, const char* unit, double scale, const std::string& ratio) {
  std::printf("| %s | %.0f | %.0f | %.0f | %s | %s |\n", name, s.median() * scale, s.min() * scale,
              s.max() * scale, unit, ratio.c_str());
}

std::string ratio(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2fx", x);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5, tasks = 200000, map_tasks = 100000, async_tasks = 20000, trips = 5000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      tasks = 20000, map_tasks = 10000, async_tasks = 2000, trips = 500;
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--tasks" && i + 1 < argc) {
      tasks = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--rounds R] [--tasks N]\n", argv[0]);
      return 2;
    }
  }

  stm::thread_pool_executor ex{2};
  asio_pool asio;
  stm::thread_pool bare{2, std::chrono::seconds(10)};
  std::vector<int> map_in(static_cast<std::size_t>(map_tasks));
  for (int i = 0; i < map_tasks; ++i) map_in[static_cast<std::size_t>(i)] = i;

  stats thr_pool, thr_stm, thr_asio, thr_async, map_rate, submit_rate, rt_stm_med, rt_stm_p99,
      rt_asio_med, rt_asio_p99;
  // Warm-up: start the workers.
  throughput_stm(ex, 1000);
  throughput_asio(asio, 1000);
  throughput_pool(bare, 1000);

  for (int r = 0; r < rounds; ++r) {
    thr_stm.add(throughput_stm(ex, tasks));
    thr_asio.add(throughput_asio(asio, tasks));
    thr_pool.add(throughput_pool(bare, tasks));
    thr_async.add(throughput_async(async_tasks));
    map_rate.add(map_stm(ex, map_in));
    submit_rate.add(throughput_stm(ex, map_tasks));
    auto a = round_trips([&](int i) { return ex.submit(tiny, i).get(); }, trips);
    auto b = round_trips([&](int i) { return asio.submit([i] { return tiny(i); }).get(); }, trips);
    rt_stm_med.add(percentile(a, 0.5));
    rt_stm_p99.add(percentile(a, 0.99));
    rt_asio_med.add(percentile(b, 0.5));
    rt_asio_p99.add(percentile(b, 0.99));
  }

  std::printf("## thread_pool_executor vs boost::asio::thread_pool + std::promise (2 threads)\n\n");
  std::printf("%d interleaved rounds; median (min, max) per round.\n\n", rounds);
  std::printf("### Tiny-task throughput (%d tasks: submit all, then get all)\n\n", tasks);
  std::printf("| contender | median | min | max | unit | vs asio |\n|---|---|---|---|---|---|\n");
  row("stm::thread_pool_executor", thr_stm, "tasks/s", 1, ratio(thr_stm.median() / thr_asio.median()));
  row("asio::thread_pool + promise", thr_asio, "tasks/s", 1, "1.00x");
  row("stm::thread_pool alone, no futures", thr_pool, "tasks/s", 1,
      ratio(thr_pool.median() / thr_asio.median()));
  std::printf("\n### std::async (%d tasks, one thread each)\n\n", async_tasks);
  std::printf("| contender | median | min | max | unit | executor is |\n|---|---|---|---|---|---|\n");
  row("std::async", thr_async, "tasks/s", 1,
      ratio(thr_stm.median() / thr_async.median()) + " faster");
  std::printf("\n### Submit-to-result round trip (%d sequential submit + get)\n\n", trips);
  std::printf("| contender | median | min | max | unit | vs asio |\n|---|---|---|---|---|---|\n");
  std::printf("| stm median | %.1f | %.1f | %.1f | us | %s |\n", rt_stm_med.median(), rt_stm_med.min(),
              rt_stm_med.max(), ratio(rt_stm_med.median() / rt_asio_med.median()).c_str());
  std::printf("| asio median | %.1f | %.1f | %.1f | us | 1.00x |\n", rt_asio_med.median(),
              rt_asio_med.min(), rt_asio_med.max());
  std::printf("| stm p99 | %.1f | %.1f | %.1f | us | %s |\n", rt_stm_p99.median(), rt_stm_p99.min(),
              rt_stm_p99.max(), ratio(rt_stm_p99.median() / rt_asio_p99.median()).c_str());
  std::printf("| asio p99 | %.1f | %.1f | %.1f | us | 1.00x |\n", rt_asio_p99.median(),
              rt_asio_p99.min(), rt_asio_p99.max());
  std::printf("\n### map over %d tiny tasks vs %d submits\n\n", map_tasks, map_tasks);
  std::printf("| contender | median | min | max | unit | vs submits |\n|---|---|---|---|---|---|\n");
  row("map (one transaction)", map_rate, "tasks/s", 1, ratio(map_rate.median() / submit_rate.median()));
  row("submit each", submit_rate, "tasks/s", 1, "1.00x");
  std::printf("\n(checksum %lld)\n", checksum);
  return 0;
}
