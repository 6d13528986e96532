// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Blocking a fiber: the only part of the STM core that calls Boost.Fiber. It
// is reached through the hooks of lib/internal.hpp, installed by the two
// functions below, so that programs that never use fibers link without
// Boost.Fiber and Boost.Context.
#include "internal.hpp"

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

bool in_fiber() noexcept {
  boost::fibers::context* ctx = boost::fibers::context::active();
  return ctx && !ctx->is_context(boost::fibers::type::main_context);
}

std::unique_ptr<fiber_cv> make_cv() { return std::make_unique<boost_fiber_cv>(); }

const fiber_hooks hooks{&in_fiber, &make_cv};

}  // namespace

void mark_fiber_thread() noexcept {
  install_fiber_hooks(hooks);
  set_fiber_thread();
}

}  // namespace detail

void enable_fiber_support() noexcept { detail::install_fiber_hooks(detail::hooks); }

}  // namespace stm
}  // namespace boost
