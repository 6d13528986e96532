// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Parkers, what a blocked transaction sleeps on, and the choice between
// suspending a fiber and suspending a thread.
#include "core/internal.hpp"

#include <boost/stm/atomically.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <thread>

namespace boost {
namespace stm {
namespace detail {
namespace {
std::atomic<const fiber_hooks*> g_fiber_hooks{nullptr};
// Threads that run a fiber scheduler for the library (fiber_executor): even
// their main context must block through Boost.Fiber, so that the scheduler
// keeps running the thread's other fibers.
thread_local bool t_fiber_thread = false;
}  // namespace

void install_fiber_hooks(const fiber_hooks& hooks) noexcept {
  g_fiber_hooks.store(&hooks, std::memory_order_release);
}

void set_fiber_thread() noexcept { t_fiber_thread = true; }

// A fiber parker waits on a Boost.Fiber condition variable (only the fiber
// is suspended); it is notified from any thread, fiber or not, through the
// same std::mutex, which is never held across a suspension. A parker is made
// for a fiber only once fiber_wait_wanted() said so, which needs the hooks.
parker::parker(bool fiber)
    : fcv_(fiber ? g_fiber_hooks.load(std::memory_order_acquire)->make_cv() : nullptr) {}
parker::~parker() = default;

// For a thread: the flag is set under the mutex (a waiter checks it under
// the mutex before it sleeps: no lost wake-up), and the notification comes
// after the mutex is released, so the woken thread does not wake only to
// block on it. The parker outlives the call: the signaller holds a
// reference.
void parker::signal() {
  if (fcv_) {
    signal_fiber();
    return;
  }
  {
    std::lock_guard<std::mutex> g(m_);
    signalled_ = true;
    signalled_flag_.store(true, std::memory_order_release);
  }
  cv_.notify_one();
}

// Under the mutex, unlike a thread's: the woken fiber takes the mutex
// before it goes on, so it cannot end, nor its thread tear down its
// scheduler, while Boost.Fiber still works on that scheduler for the
// notification (it pushes the fiber onto the scheduler's remote queue,
// then wakes the scheduler: a fiber that ran in between would leave the
// notifier on a destroyed scheduler). A signaller whose own fiber context
// is gone (a static's destructor at exit) must not use Boost.Fiber at all:
// a thread of its own notifies then.
void parker::signal_fiber() {
  std::lock_guard<std::mutex> g(m_);
  signalled_ = true;
  signalled_flag_.store(true, std::memory_order_release);
  if (g_fiber_hooks.load(std::memory_order_acquire)->context_alive()) {
    fcv_->notify_one();
    return;
  }
  try {
    std::thread([this] { fcv_->notify_one(); }).join();
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "boost::stm: a fiber blocked in retry() cannot be woken from a thread whose fiber "
                 "context is gone: no thread could be started (%s)\n",
                 e.what());
  }
}

namespace {
// Threads in parker::spin() now, and how many may be: one fewer than the
// cores, so that watching threads never take every core (the waker, or the
// thread that will run the waker, needs one).
std::atomic<unsigned> g_spinners{0};
const unsigned max_spinners = [] {
  unsigned n = std::thread::hardware_concurrency();
  return n > 1 ? n - 1 : 0;
}();
}  // namespace

// Watches signalled_flag_ for up to BOOST_STM_SPIN_US (not past the
// deadline) if a core is free to do so: true if the signal came. A thread
// that sleeps must be woken through the kernel, and on an idle core that
// takes tens of microseconds; one still watching sees the flag within a
// pause. No yield between looks: a core is left free for the others (see
// max_spinners), and a system call per look would slow the noticing.
// Only a thread parker spins: a fiber must give its thread back to the
// scheduler at once.
bool parker::spin(const std::optional<clock_type::time_point>& deadline) noexcept {
  if (BOOST_STM_SPIN_US <= 0 || max_spinners == 0) return false;
  if (g_spinners.fetch_add(1, std::memory_order_relaxed) >= max_spinners) {
    g_spinners.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  clock_type::time_point end = clock_type::now() + std::chrono::microseconds(BOOST_STM_SPIN_US);
  if (deadline && *deadline < end) end = *deadline;
  bool seen = false;
  for (unsigned i = 1;; ++i) {
    if (signalled_flag_.load(std::memory_order_acquire)) {
      seen = true;
      break;
    }
    if (i % 64 == 0) {
      if (clock_type::now() >= end) break;
    } else {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }
  g_spinners.fetch_sub(1, std::memory_order_relaxed);
  return seen;
}

bool parker::wait(const std::optional<clock_type::time_point>& deadline) {
  if (!fcv_ && spin(deadline)) return true;
  slept_ = true;
  std::unique_lock<std::mutex> lk(m_);
  auto ready = [this] { return signalled_; };
  if (fcv_) return fcv_->wait(lk, signalled_, deadline);
  if (deadline) return cv_.wait_until(lk, *deadline, ready);
  cv_.wait(lk, ready);
  return true;
}

bool fiber_wait_wanted() noexcept {
  const fiber_hooks* hooks = g_fiber_hooks.load(std::memory_order_acquire);
  if (t_fiber_thread) return hooks && hooks->context_alive();
  return hooks && hooks->in_fiber();
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
