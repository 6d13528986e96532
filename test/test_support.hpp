// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TEST_SUPPORT_HPP
#define BOOST_STM_TEST_SUPPORT_HPP

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>

#include <dirent.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

namespace test_helpers {

// Multiplier for the stress tests: BOOST_STM_STRESS=10 runs them ten times
// longer. Defaults keep every test file fast, also under ThreadSanitizer.
inline int stress() {
  const char* s = std::getenv("BOOST_STM_STRESS");
  int n = s ? std::atoi(s) : 1;
  return n > 0 ? n : 1;
}

// Whether the program runs under an instrumentation that makes it many
// times slower: a sanitizer (known when compiling) or valgrind (known at
// run time, when its client header is installed).
inline bool slow_instrumentation() {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
#else
  return false;
#endif
}

// The size of a stress run: n times stress(), a tenth of that under
// slow_instrumentation() (the default sizes are chosen to finish in seconds
// in a release build).
inline std::size_t stress_size(std::size_t n) {
  n *= static_cast<std::size_t>(stress());
  return slow_instrumentation() ? (n + 9) / 10 : n;
}

// How long a watched test may take before its watchdog fires: 240 s (below
// CTest's default timeout of 300 s, so the dump is seen) times stress();
// BOOST_STM_WATCHDOG=<seconds> sets it directly.
inline std::chrono::seconds watchdog_limit() {
  if (const char* s = std::getenv("BOOST_STM_WATCHDOG"))
    if (int n = std::atoi(s); n > 0) return std::chrono::seconds(n);
  return std::chrono::seconds(240) * stress();
}

// Turns a hang into a failure with a diagnosis: unless the scope is left
// within `limit`, prints `what`, calls dump() (which should say what is
// blocked: it must not itself wait for anything that may be stuck) and
// ends the process with a failure status. It never ends a test early and never sleeps to let
// something happen; the deadline is only a fuse.
class watchdog {
public:
  watchdog(const char* what, std::function<void()> dump,
           std::chrono::seconds limit = watchdog_limit())
      : thread_([this, what, dump = std::move(dump), limit] {
          std::unique_lock<std::mutex> lock(m_);
          if (cv_.wait_for(lock, limit, [this] { return done_; })) return;
          std::fprintf(stderr, "\nwatchdog: %s did not finish within %lld s; state:\n", what,
                       static_cast<long long>(limit.count()));
          std::fflush(stderr);
          if (dump) dump();
          std::fflush(stderr);
          std::_Exit(EXIT_FAILURE);  // not abort(): Boost.Test would catch SIGABRT and go on
        }) {}
  ~watchdog() {
    {
      std::lock_guard<std::mutex> g(m_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

private:
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

// Names of this process's OS threads (Linux).
inline std::multiset<std::string> thread_names() {
  std::multiset<std::string> names;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
      std::string name;
      if (std::getline(comm, name)) names.insert(name);
    }
    ::closedir(d);
  }
  return names;
}

inline std::size_t count_prefixed(const std::multiset<std::string>& names,
                                  const std::string& prefix) {
  return static_cast<std::size_t>(std::count_if(names.begin(), names.end(), [&](const std::string& n) {
    return n.compare(0, prefix.size(), prefix) == 0;
  }));
}

// The calling thread's OS name (Linux).
inline std::string this_thread_name() {
  std::ifstream comm("/proc/thread-self/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

// Captures what is written to stderr (file descriptor 2) while alive.
class stderr_capture {
public:
  stderr_capture() {
    std::fflush(stderr);
    saved_ = ::dup(2);
    std::FILE* f = std::tmpfile();
    tmp_ = f;
    ::dup2(::fileno(f), 2);
  }
  ~stderr_capture() { restore(); }
  std::string text() {
    restore();
    std::rewind(tmp_);
    std::string s;
    char buf[512];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, tmp_)) s.append(buf, n);
    return s;
  }

private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  int saved_ = -1;
  std::FILE* tmp_ = nullptr;
};

}  // namespace test_helpers

#endif
