// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#include <boost/stm/errors.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool.hpp>

#include "threads/os_thread.hpp"

#include <atomic>
#include <iostream>
#include <mutex>
#include <ostream>
#include <system_error>
#include <thread>

#if defined(__linux__)
#include <pthread.h>
#endif

namespace boost {
namespace stm {

namespace detail {
namespace {
std::atomic<bool> g_fail_thread_start{false};
}
void inject_thread_start_failure(bool on) noexcept { g_fail_thread_start.store(on); }
bool thread_start_failure_injected() noexcept { return g_fail_thread_start.load(); }

std::size_t next_pool_number() noexcept {
  static std::atomic<std::size_t> n{0};
  return n.fetch_add(1, std::memory_order_relaxed);
}

void name_threads_by_default(thread_options& o, const char* stem) {
  if (o.thread_name_prefix.empty()) o.thread_name_prefix = stem + std::to_string(next_pool_number());
}

namespace {
thread_local const void* t_owner = nullptr;
}
void set_thread_owner(const void* owner) noexcept { t_owner = owner; }
const void* thread_owner() noexcept { return t_owner; }

void set_thread_name(const std::string& name) noexcept {
#if defined(__linux__)
  std::string n = name.substr(0, 15);  // the kernel keeps 15 characters
  pthread_setname_np(pthread_self(), n.c_str());
#else
  (void)name;
#endif
}
}  // namespace detail

std::ostream& operator<<(std::ostream& os, thread_state s) {
  switch (s) {
    case thread_state::created: return os << "created";
    case thread_state::started: return os << "started";
    case thread_state::running: return os << "running";
    case thread_state::finished: return os << "finished";
  }
  return os << "?";
}

struct thread::impl {
  std::function<void()> f;
  std::string name;
  tvar<thread_state> state{thread_state::created};
  // Assigned by the starting thread after the OS thread exists, possibly
  // after that thread has already finished: guarded.
  std::mutex m;
  detail::os_thread os_thread;

  void join_os_thread() {
    std::lock_guard<std::mutex> g(m);
    if (!os_thread.joinable()) return;
    if (os_thread.is_current())
      os_thread.detach();  // destroyed by its own function: the lambda keeps impl alive
    else
      os_thread.join();
  }
  bool is_self() {
    std::lock_guard<std::mutex> g(m);
    return os_thread.is_current();
  }

  static void body(const std::shared_ptr<impl>& self) {
    if (!self->name.empty()) detail::set_thread_name(self->name);
    self->state.set(thread_state::running);
    try {
      self->f();
    } catch (const std::exception& e) {
      std::cerr << "boost::stm::thread" << (self->name.empty() ? "" : " " + self->name)
                << ": exception escaped the thread function: " << e.what() << std::endl;
    } catch (...) {
      std::cerr << "boost::stm::thread" << (self->name.empty() ? "" : " " + self->name)
                << ": unknown exception escaped the thread function" << std::endl;
    }
    self->f = nullptr;  // release what the function holds before saying finished
    self->state.set(thread_state::finished);
  }

  void launch(const std::shared_ptr<impl>& self) {
    try {
      std::lock_guard<std::mutex> g(m);
      os_thread = detail::os_thread(0, [self] { body(self); });
    } catch (...) {
      // The thread will never run: say so, so that joiners do not wait forever.
      state.set(thread_state::finished);
      throw;
    }
  }
};

thread::thread(std::function<void()> f, std::string name) : impl_(std::make_shared<impl>()) {
  impl_->f = std::move(f);
  impl_->name = std::move(name);
}

thread::~thread() { impl_->join_os_thread(); }

void thread::start() {
  std::shared_ptr<impl> self = impl_;
  atomically([&] {
    if (self->state.get() != thread_state::created)
      throw invalid_state_error("boost::stm::thread::start(): the thread was already started");
    self->state.set(thread_state::started);
    after_commit([self] { self->launch(self); });
  });
}

thread_state thread::state() const { return impl_->state.get(); }

void thread::join() {
  if (impl_->is_self())
    throw invalid_state_error("boost::stm::thread::join(): a thread cannot join itself");
  atomically([&] {
    thread_state s = impl_->state.get();
    if (s == thread_state::created)
      throw invalid_state_error("boost::stm::thread::join(): the thread was never started");
    if (s != thread_state::finished) retry();
  });
  impl_->join_os_thread();
}

bool thread::join(std::chrono::steady_clock::duration timeout) {
  if (impl_->is_self())
    throw invalid_state_error("boost::stm::thread::join(): a thread cannot join itself");
  bool done = atomically([&] {
    thread_state s = impl_->state.get();
    if (s == thread_state::created)
      throw invalid_state_error("boost::stm::thread::join(): the thread was never started");
    if (s == thread_state::finished) return true;
    if (elapsed(timeout)) return false;
    retry();
  });
  if (done) impl_->join_os_thread();
  return done;
}

}  // namespace stm
}  // namespace boost
