// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Blocking a fiber: the only part of the STM core that calls Boost.Fiber. It
// is reached through the hooks of lib/core/internal.hpp, installed by the two
// functions below, so that programs that never use fibers link without
// Boost.Fiber and Boost.Context.
#include "core/internal.hpp"

#include <boost/stm/atomically.hpp>

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/context.hpp>

namespace boost {
namespace stm {
namespace detail {
namespace {

class boost_fiber_cv final : public fiber_cv {
public:
  void notify_one() noexcept override { cv_.notify_one(); }
  bool wait(std::unique_lock<std::mutex>& lk, const bool& signalled,
            const std::optional<clock_type::time_point>& deadline) override {
    auto ready = [&signalled] { return signalled; };
    if (deadline) return cv_.wait_until(lk, *deadline, ready);
    cv_.wait(lk, ready);
    return true;
  }

private:
  boost::fibers::condition_variable_any cv_;
};

// Whether this thread's Boost.Fiber context may be used: 0 not asked for
// yet, 1 alive, 2 destroyed with the thread's thread-locals (the main
// thread's are destroyed before static destructors run, so a static
// executor's destructor meets this).
thread_local unsigned char t_fiber_ctx = 0;

// Constructed right after Boost.Fiber's own thread_local context (or after
// it was made earlier), so destroyed before it.
struct fiber_ctx_marker {
  fiber_ctx_marker() = default;
  fiber_ctx_marker(const fiber_ctx_marker&) = delete;
  fiber_ctx_marker& operator=(const fiber_ctx_marker&) = delete;
  ~fiber_ctx_marker() { t_fiber_ctx = 2; }
};

// The thread's Boost.Fiber context; null once it is gone, or when it would
// be made while the thread's thread-locals are being destroyed (it would
// never be freed then).
boost::fibers::context* fiber_context() noexcept {
  if (BOOST_LIKELY(t_fiber_ctx == 1)) return boost::fibers::context::active();
  if (t_fiber_ctx == 2 || thread_ending()) return nullptr;
  boost::fibers::context* ctx = boost::fibers::context::active();
  thread_local fiber_ctx_marker marker;
  (void)marker;
  t_fiber_ctx = 1;
  return ctx;
}

bool context_alive() noexcept { return fiber_context() != nullptr; }

bool in_fiber() noexcept {
  boost::fibers::context* ctx = fiber_context();
  return ctx && !ctx->is_context(boost::fibers::type::main_context);
}

std::unique_ptr<fiber_cv> make_cv() { return std::make_unique<boost_fiber_cv>(); }

const fiber_hooks hooks{&in_fiber, &make_cv, &context_alive};

}  // namespace

void mark_fiber_thread() noexcept {
  install_fiber_hooks(hooks);
  set_fiber_thread();
}

}  // namespace detail

void enable_fiber_support() noexcept { detail::install_fiber_hooks(detail::hooks); }

}  // namespace stm
}  // namespace boost
