// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Compiled with -fgnu-tm (see gnu_tm.hpp).
#include "gnu_tm.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace gnu_tm {

struct alignas(64) cells::cell {
  long v;
};

cells::cells(std::size_t n, long initial) : n_(n), c_(new cell[n]) {
  for (std::size_t i = 0; i < n; ++i) c_[i].v = initial;
}

cells::~cells() { delete[] c_; }

long cells::sum() {
  long r = 0;
  cell* c = c_;
  const std::size_t n = n_;
  __transaction_atomic {
    for (std::size_t i = 0; i < n; ++i) r += c[i].v;
  }
  return r;
}

void cells::transfer(std::size_t a, std::size_t b, long x) {
  cell* c = c_;
  __transaction_atomic {
    c[a].v -= x;
    c[b].v += x;
  }
}

namespace {
long registration_cell;
}

struct second_thread::state {
  std::mutex m;
  std::condition_variable cv;
  bool registered = false, stop = false;
  std::thread t;
};

second_thread::second_thread() : s_(new state) {
  s_->t = std::thread([s = s_] {
    __transaction_atomic {
      ++registration_cell;
    }
    std::unique_lock<std::mutex> lk(s->m);
    s->registered = true;
    s->cv.notify_all();
    s->cv.wait(lk, [s] { return s->stop; });
  });
  std::unique_lock<std::mutex> lk(s_->m);
  s_->cv.wait(lk, [this] { return s_->registered; });
}

second_thread::~second_thread() {
  {
    std::lock_guard<std::mutex> lk(s_->m);
    s_->stop = true;
  }
  s_->cv.notify_all();
  s_->t.join();
  delete s_;
}

}  // namespace gnu_tm
