// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#include "executors/backend.hpp"

#include <boost/stm/detail/core/ebr.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

namespace {

// Background threads not yet joined. Joined when a new one starts (those
// that have ended) and at exit (all of them): so the program never ends
// under a teardown still running, and nothing is left for a leak checker.
class registry {
public:
  void add(std::function<void()> f) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard<std::mutex> g(m_);
    join_ended();
    entries_.push_back(entry{std::thread([f = std::move(f), done] {
                                f();
                                done->store(true, std::memory_order_release);
                              }),
                              done});
  }

  ~registry() {
    std::vector<entry> all;
    {
      std::lock_guard<std::mutex> g(m_);
      all.swap(entries_);
    }
    for (entry& e : all) e.t.join();
    ebr::collect();
  }

private:
  struct entry {
    std::thread t;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void join_ended() {
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->done->load(std::memory_order_acquire)) {
        it->t.join();
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::mutex m_;
  std::vector<entry> entries_;
};

registry& the_registry() {
  static registry r;
  return r;
}

}  // namespace

void finish_in_background(std::function<void()> f) { the_registry().add(std::move(f)); }

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "a non-std exception";
  }
}

std::exception_ptr broken_by_initializer(const char* who) {
  const std::string what = describe(std::current_exception());
  try {
    // Thrown inside the caller's catch block, so it nests the exception.
    throw initializer_failed(std::string(who) + ": a thread's initializer threw (" + what +
                             "), so the executor is broken and accepts no more work; fix the "
                             "initializer and use a new executor");
  } catch (...) {
    return std::current_exception();
  }
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
