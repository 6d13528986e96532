// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A light load on a big pool: which workers a pool hands the tasks to when
// it has many more free than the load needs. Each pool has --workers
// threads (default 16), all started first by a burst of tasks that wait
// for one another; then, for --ms milliseconds, one thread submits K tiny
// tasks at a time and waits for all K before the next K (K from --load,
// default 1,2,4). Reported per pool and K: K-task rounds per second,
// how many distinct threads ran the rounds' tasks, and, for ours, how many
// workers were still alive at the end (keep_alive is a third of --ms, so
// a worker the load never uses retires) and the STM sleeps per task (waits
// that outlasted the spin and needed the kernel to wake them).
//
//   stm    stm::thread_pool_executor: the last worker to go free takes
//          the next task, so the load keeps using the same K workers;
//   asio   boost::asio::thread_pool + std::promise, the same threads
//          counted (it has no keep-alive: its threads all stay).
//
// Each figure is the median of --rounds interleaved rounds (each round
// runs every pool and K once), with min and max. A task that returns a
// wrong value fails the program.
//
//   light_load [--quick] [--workers W] [--load a,b,c] [--ms T] [--rounds R]
#include "common.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/stm.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace stm = boost::stm;
using bench::clock_type;

namespace {

struct figures {
  double rounds_per_s = 0, threads_used = 0, alive = -1, sleeps = -1;
};

bool failed = false;

// The threads that ran tasks, and a task that says who it is.
struct who_ran {
  std::mutex m;
  std::set<std::thread::id> ids;
  int operator()(int i) {
    std::lock_guard<std::mutex> g(m);
    ids.insert(std::this_thread::get_id());
    return bench::tiny(i);
  }
};

// Runs K-task rounds for `ms`; submit(i) returns a future of bench::tiny(i).
template <class Submit>
double rounds_per_second(unsigned k, unsigned ms, Submit submit) {
  using future_type = decltype(submit(0));
  auto t0 = clock_type::now();
  auto end = t0 + std::chrono::milliseconds(ms);
  std::size_t rounds = 0;
  std::vector<future_type> fs;
  while (clock_type::now() < end) {
    fs.clear();
    for (unsigned i = 0; i < k; ++i) fs.push_back(submit(int(i)));
    for (unsigned i = 0; i < k; ++i)
      if (fs[i].get() != bench::tiny(int(i))) failed = true;
    ++rounds;
  }
  return double(rounds) / bench::seconds_since(t0);
}

// Starts every one of `workers` threads: tasks that wait until all have
// started (so each holds a thread of its own).
template <class Submit>
void start_all(unsigned workers, Submit submit) {
  std::atomic<unsigned> in{0};
  std::vector<decltype(submit(std::function<void()>{}))> fs;
  for (unsigned i = 0; i < workers; ++i)
    fs.push_back(submit([&in, workers] {
      in.fetch_add(1);
      while (in.load() < workers) std::this_thread::yield();
    }));
  for (auto& f : fs) f.get();
}

figures run_stm(unsigned workers, unsigned k, unsigned ms) {
  stm::thread_pool_executor::options o;
  o.max_workers = workers;
  o.keep_alive = std::chrono::milliseconds(ms / 3 ? ms / 3 : 1);
  stm::thread_pool_executor ex{o};
  start_all(workers, [&](std::function<void()> f) { return ex.submit(std::move(f)); });
  who_ran who;
  stm::stats a = stm::statistics();
  std::size_t tasks_before = ex.pool().tasks_finished();
  figures r;
  r.rounds_per_s = rounds_per_second(k, ms, [&](int i) { return ex.submit(std::ref(who), i); });
  stm::stats b = stm::statistics();
  double tasks = double(ex.pool().tasks_finished() - tasks_before);
  r.threads_used = double(who.ids.size());
  r.alive = double(ex.pool().live_threads());
  r.sleeps = tasks > 0 ? double(b.sleeps - a.sleeps) / tasks : 0;
  return r;
}

figures run_asio(unsigned workers, unsigned k, unsigned ms) {
  boost::asio::thread_pool pool{workers};
  auto post = [&](auto f) {
    auto p = std::make_shared<std::promise<decltype(f())>>();
    std::future<decltype(f())> fut = p->get_future();
    boost::asio::post(pool, [p, f]() mutable {
      if constexpr (std::is_void_v<decltype(f())>) {
        f();
        p->set_value();
      } else {
        p->set_value(f());
      }
    });
    return fut;
  };
  start_all(workers, [&](std::function<void()> f) { return post(std::move(f)); });
  who_ran who;
  figures r;
  r.rounds_per_s = rounds_per_second(k, ms, [&](int i) { return post([&who, i] { return who(i); }); });
  r.threads_used = double(who.ids.size());
  pool.join();
  return r;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: light_load [--quick] [--workers W] [--load a,b,c] [--ms T] [--rounds R]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  unsigned workers = 16, ms = 600, rounds = 5;
  std::vector<unsigned> loads = {1, 2, 4};
  for (int i = 1; i < argc; ++i) {
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--quick")) {
      ms = 200;
      rounds = 3;
    } else if (!std::strcmp(argv[i], "--workers")) {
      workers = bench::parse_counts<unsigned>("light_load", "--workers", value()).at(0);
    } else if (!std::strcmp(argv[i], "--load")) {
      loads = bench::parse_counts<unsigned>("light_load", "--load", value());
    } else if (!std::strcmp(argv[i], "--ms")) {
      ms = bench::parse_counts<unsigned>("light_load", "--ms", value()).at(0);
    } else if (!std::strcmp(argv[i], "--rounds")) {
      rounds = bench::parse_counts<unsigned>("light_load", "--rounds", value()).at(0);
    } else {
      usage();
    }
  }
  for (unsigned k : loads)
    if (k > workers) {
      std::fprintf(stderr, "light_load: a load of %u tasks needs at least %u workers\n", k, k);
      return 2;
    }

  // [k] -> per-round figures
  std::map<unsigned, std::vector<figures>> ours, theirs;
  for (unsigned r = 0; r < rounds; ++r)
    for (unsigned k : loads) {
      ours[k].push_back(run_stm(workers, k, ms));
      theirs[k].push_back(run_asio(workers, k, ms));
    }

  auto col = [](const std::vector<figures>& v, double figures::*m) {
    std::vector<double> x;
    for (const figures& f : v) x.push_back(f.*m);
    return bench::summarize(x);
  };
  std::printf("## Light load on %u workers (%u hardware threads)\n\n", workers,
              std::thread::hardware_concurrency());
  std::printf("K tiny tasks at a time, each K waited for, for %u ms after all %u workers "
              "started; median (min-max) of %u rounds.\n\n",
              ms, workers, rounds);
  std::printf("| K | stm rounds/s | asio rounds/s | stm / asio | stm threads used | asio threads "
              "used | stm workers alive at the end | stm sleeps per task |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (unsigned k : loads) {
    bench::summary a = col(ours[k], &figures::rounds_per_s), b = col(theirs[k], &figures::rounds_per_s);
    std::printf("| %u | %s | %s | %.2fx | %s | %s | %s | %s |\n", k, bench::cell(a, "%.0f").c_str(),
                bench::cell(b, "%.0f").c_str(), b.median > 0 ? a.median / b.median : 0.0,
                bench::cell(col(ours[k], &figures::threads_used), "%.0f").c_str(),
                bench::cell(col(theirs[k], &figures::threads_used), "%.0f").c_str(),
                bench::cell(col(ours[k], &figures::alive), "%.0f").c_str(),
                bench::cell(col(ours[k], &figures::sleeps), "%.2f").c_str());
  }
  if (failed) {
    std::printf("\nFAILED: a task returned a wrong value.\n");
    return 1;
  }
  return 0;
}
