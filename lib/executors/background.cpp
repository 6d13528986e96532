// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#include "executors/background.hpp"

#include <boost/stm/detail/core/ebr.hpp>

#include <atomic>
#include <memory>
#include <mutex>
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

}  // namespace detail
}  // namespace stm
}  // namespace boost
