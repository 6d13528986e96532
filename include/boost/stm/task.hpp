// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TASK_HPP_INCLUDED
#define BOOST_STM_TASK_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {

namespace detail {
// The task protocol, the same for every backend (thread_pool, the fiber
// executor's pumps, the MPI executor's progress thread): begin() inside the
// transaction in which a worker takes the task off its queue, exactly once
// for a task that is to run; run() outside any transaction; then complete()
// inside the transaction that counts the task finished. So whatever begin()
// and complete() write (an executor's future: running, then done) commits
// together with the backend's own books. A task taken back off a queue
// without running (an executor's cancel, a broken executor) gets only
// complete(), with the reason.
struct task_base {
  virtual ~task_base() = default;
  virtual void begin() {}
  virtual void run() = 0;
  virtual void complete(std::exception_ptr /*failure*/) {}
  // The executor (or other owner) the task belongs to, if any.
  virtual const void* owner() const noexcept { return nullptr; }
};

template <class F>
struct fn_task final : task_base {
  explicit fn_task(F f) : f_(std::move(f)) {}
  void run() override { f_(); }
  F f_;
};
}  // namespace detail

// A unit of work for a thread_pool: any callable taking no arguments.
// Copies share the same work.
class task {
public:
  task() noexcept = default;
  template <class F, class = std::enable_if_t<!std::is_same<std::decay_t<F>, task>::value &&
                                              std::is_invocable<std::decay_t<F>&>::value>>
  task(F&& f)  // NOLINT: implicit, so that tlist<task>::push_back([]{...}) works
      : p_(std::make_shared<detail::fn_task<std::decay_t<F>>>(std::forward<F>(f))) {}
  explicit task(std::shared_ptr<detail::task_base> p) noexcept : p_(std::move(p)) {}

  explicit operator bool() const noexcept { return p_ != nullptr; }
  void operator()() const { p_->run(); }
  // Called inside the transaction that takes the task to run it next.
  void begin() const { p_->begin(); }
  // Called inside the completing transaction (see detail::task_base).
  void complete(std::exception_ptr failure) const { p_->complete(std::move(failure)); }

  friend bool operator==(const task& a, const task& b) noexcept { return a.p_ == b.p_; }
  friend bool operator!=(const task& a, const task& b) noexcept { return a.p_ != b.p_; }

private:
  std::shared_ptr<detail::task_base> p_;
};

}  // namespace stm
}  // namespace boost

#endif
