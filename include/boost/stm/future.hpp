// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_FUTURE_HPP_INCLUDED
#define BOOST_STM_FUTURE_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/executors/future_state.hpp>
#include <boost/stm/errors.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {

template <class R>
class future;
template <class R>
class shared_future;

namespace detail {

struct future_access {
  template <class F>
  static future_state_base* state(const F& f) noexcept {
    return f.state_.get();
  }
  template <class F>
  static auto shared_state(const F& f) noexcept {
    return f.state_;
  }
};

// then(): see then.hpp.
template <class F, class R>
struct then_traits;
template <class R, class F>
future<typename then_traits<F, R>::result> then_attach(future<R>& g, F&& f);

template <class R>
struct shared_get {
  using type = const R&;
};
template <class R>
struct shared_get<R&> {
  using type = R&;
};
template <>
struct shared_get<void> {
  using type = void;
};
template <class R>
using shared_get_t = typename shared_get<R>::type;

[[noreturn]] inline void throw_cancelled(const char* kind) {
  throw cancelled_error(std::string("boost::stm::") + kind +
                        ": the task was cancelled before it started, so it has no result "
                        "(check cancelled() first, or catch cancelled_error)");
}

// What future and shared_future have in common: the observers, waiting,
// cancel and callbacks. Every live handle counts in state->handles.
template <class Derived, class R>
class future_handle {
public:
  bool valid() const noexcept { return state_ != nullptr; }

  // Blocks until the future is done (finished or cancelled). Inside a
  // transaction it retries instead, as part of that transaction.
  void wait() const { state("wait")->wait_terminal(); }

  template <class Rep, class Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period>& d) const {
    return wait_until_steady(std::chrono::steady_clock::now() +
                             std::chrono::ceil<std::chrono::steady_clock::duration>(d));
  }

  template <class Clock, class Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration>& tp) const {
    if constexpr (std::is_same<Clock, std::chrono::steady_clock>::value)
      return wait_until_steady(
          std::chrono::time_point_cast<std::chrono::steady_clock::duration>(tp));
    else
      return wait_for(tp - Clock::now());
  }

  // true if the task had not started (it never will) or was already
  // cancelled; false once it is running or finished. Cancelling runs the
  // done callbacks. Transactional: inside a transaction, only if it commits.
  bool cancel() { return state("cancel")->cancel(); }

  // Transactional reads.
  bool cancelled() const { return code("cancelled") == future_code::cancelled; }
  bool running() const { return code("running") == future_code::running; }
  bool done() const { return state("done")->ended(); }

  // Waits; the task's exception, or nullptr if it returned. Throws
  // cancelled_error if it was cancelled. Leaves the future valid.
  std::exception_ptr exception() const {
    future_snapshot s = state("exception")->wait_terminal();
    if (s.code == future_code::cancelled) throw_cancelled(Derived::kind);
    return s.error;
  }

  // Calls f(h) exactly once when the future is done, where h is a handle
  // (Derived) to the same result: on the thread that completes or cancels
  // it, after that commit and outside any transaction; or at once, here, if
  // it is already done. Callbacks run in the order added; one that throws
  // is reported on stderr and the others still run. Inside a transaction
  // the callback is added only if (and when) the transaction commits.
  template <class F>
  void add_done_callback(F&& f) {
    static_assert(std::is_invocable<std::decay_t<F>&, Derived&>::value,
                  "a done callback must be callable with a future<T>& "
                  "(shared_future<T>& for a shared_future)");
    auto* s = state("add_done_callback");
    s->add_callback(std::make_shared<callback_impl<Derived, std::decay_t<F>>>(
        Derived(state_), std::forward<F>(f)));
  }

protected:
  future_handle() noexcept = default;
  explicit future_handle(std::shared_ptr<future_state<R>> s) noexcept : state_(std::move(s)) {
    if (state_) state_->handles.fetch_add(1, std::memory_order_relaxed);
  }
  future_handle(const future_handle& o) noexcept : state_(o.state_) {
    if (state_) state_->handles.fetch_add(1, std::memory_order_relaxed);
  }
  future_handle(future_handle&& o) noexcept : state_(std::move(o.state_)) {}
  future_handle& operator=(const future_handle& o) noexcept {
    if (this != &o) {
      release();
      state_ = o.state_;
      if (state_) state_->handles.fetch_add(1, std::memory_order_relaxed);
    }
    return *this;
  }
  future_handle& operator=(future_handle&& o) noexcept {
    if (this != &o) {
      release();
      state_ = std::move(o.state_);
    }
    return *this;
  }
  ~future_handle() { release(); }

  void release() noexcept {
    if (state_) {
      state_->handles.fetch_sub(1, std::memory_order_acq_rel);
      state_.reset();
    }
  }

  future_state<R>* state(const char* what) const {
    if (!state_)
      throw invalid_state_error(
          std::string("boost::stm::") + Derived::kind + "::" + what +
          "(): this future has no shared state: it was default-constructed, moved from, "
          "converted by share() or to std::future, or get() was already called (a future's "
          "get() may be called once; use share() to read a result many times)");
    return state_.get();
  }

  // Waits (retries inside a transaction) and returns the final snapshot,
  // or throws the task's exception / cancelled_error.
  future_snapshot ended(const char* what) const {
    future_state<R>* s = state(what);
    future_snapshot snap = s->wait_terminal();
    if (snap.code == future_code::cancelled) throw_cancelled(Derived::kind);
    if (snap.error) std::rethrow_exception(snap.error);
    return snap;
  }

  std::shared_ptr<future_state<R>> state_;

private:
  friend struct future_access;

  future_code code(const char* what) const { return state(what)->code(); }

  std::future_status wait_until_steady(std::chrono::steady_clock::time_point tp) const {
    future_state<R>* s = state("wait_for");
    return atomically_or_wait([&]() -> std::optional<std::future_status> {
      if (s->ended()) return std::future_status::ready;
      if (elapsed(tp)) return std::future_status::timeout;
      return std::nullopt;  // retry
    });
  }
};

}  // namespace detail

// The result of a task submitted to an executor. Like std::future: move-only,
// get() once. Unlike std::async's future, the destructor never blocks (and
// never cancels): dropping a future lets its task run to completion.
//
// The state is a tvar, so inside atomically() done(), running() and
// cancelled() are transactional reads, and wait() / get() retry until the
// task has finished: futures compose with or_else and with any tvar. Inside
// a transaction get() does not invalidate the future (the transaction may
// run again) and returns a copy of the result; for a move-only result it
// throws usage_error: wait inside the transaction, get() after it commits.
template <class R>
class future : public detail::future_handle<future<R>, R> {
  using base = detail::future_handle<future<R>, R>;

public:
  static constexpr const char* kind = "future";

  future() noexcept = default;
  explicit future(std::shared_ptr<detail::future_state<R>> s) noexcept : base(std::move(s)) {}
  future(future&&) noexcept = default;
  future& operator=(future&&) noexcept = default;
  future(const future&) = delete;
  future& operator=(const future&) = delete;

  // Waits, then returns the result (moved out when no other handle to it
  // exists, copied otherwise), rethrows the task's exception, or throws
  // cancelled_error. Outside a transaction valid() is false afterwards,
  // whatever happened.
  [[nodiscard]] R get() {
    if (in_transaction()) return get_in_transaction();
    auto* s = this->state("get");
    struct invalidate {
      future& f;
      ~invalidate() { f.release(); }
    } after{*this};
    this->ended("get");
    if constexpr (std::is_void<R>::value) {
      return;
    } else if constexpr (std::is_reference<R>::value) {
      return *s->value;
    } else {
      if constexpr (std::is_copy_constructible<R>::value) {
        // Moved only when no other handle (callback, shared_future) exists;
        // none can appear meanwhile, since a new one is made from an old one.
        bool sole = s->handles.load(std::memory_order_acquire) == 1 &&
                    !s->shared.load(std::memory_order_acquire);
        if (sole) return std::move(*s->value);
        return *s->value;
      } else {
        if (!s->shared.load(std::memory_order_acquire) &&
            !s->taken.exchange(true, std::memory_order_acq_rel))
          return std::move(*s->value);
        throw invalid_state_error(
            "boost::stm::future::get(): the move-only result was already moved out, or is "
            "held by a shared_future, through another handle to the same task (a done "
            "callback's future or a shared_future); only one get() can have it");
      }
    }
  }

  [[nodiscard]] shared_future<R> share() noexcept { return shared_future<R>(std::move(*this)); }

  // Calls f(done) once this future is done, where done is this future
  // (consumed: valid() is false afterwards, except inside a transaction),
  // and returns a future of f's result or exception (see then.hpp).
  template <class F>
  future<typename detail::then_traits<F, R>::result> then(F&& f) {
    return detail::then_attach(*this, std::forward<F>(f));
  }

  // So that a std::async call site moved to submit() keeps both compiling
  // and std::async's guarantee: the std::future (or std::shared_future)
  // comes from std::async, from a thread that waits for this future and
  // hands its result over, so destroying the last std:: handle to it waits
  // for the task, as std::async's does. That costs a thread, as std::async
  // did; keep the stm::future itself (auto f = ex.submit(...)) for a
  // destructor that never blocks, and get() it where the task must be done.
  operator std::future<R>() && {  // NOLINT: implicit on purpose
    return to_std_async();
  }
  operator std::shared_future<R>() && {  // NOLINT: implicit on purpose
    return to_std_async();
  }

private:
  friend class shared_future<R>;

  std::future<R> to_std_async() {
    this->state("operator std::future");
    return std::async(std::launch::async,
                      [f = std::move(*this)]() mutable -> R { return f.get(); });
  }

  R get_in_transaction() {
    if constexpr (!std::is_void<R>::value && !std::is_reference<R>::value &&
                  !std::is_copy_constructible<R>::value) {
      this->state("get");
      throw usage_error(
          "boost::stm::future::get() inside a transaction: the result type is move-only and a "
          "transaction may run more than once, so it cannot be moved out there; call wait() "
          "inside the transaction and get() after it commits");
    } else {
      auto* s = this->state("get");
      this->ended("get");
      if constexpr (std::is_void<R>::value)
        return;
      else if constexpr (std::is_reference<R>::value)
        return *s->value;
      else
        return *s->value;
    }
  }
};

// Many handles to one result, each get() returning a reference to it. Every
// member may be called concurrently on distinct copies.
template <class R>
class shared_future : public detail::future_handle<shared_future<R>, R> {
  using base = detail::future_handle<shared_future<R>, R>;

public:
  static constexpr const char* kind = "shared_future";

  shared_future() noexcept = default;
  explicit shared_future(std::shared_ptr<detail::future_state<R>> s) noexcept
      : base(std::move(s)) {
    mark_shared();
  }
  shared_future(future<R>&& f) noexcept {  // NOLINT: implicit, like std::shared_future
    this->state_ = std::move(f.state_);
    mark_shared();
  }
  shared_future(const shared_future&) noexcept = default;
  shared_future(shared_future&&) noexcept = default;
  shared_future& operator=(const shared_future&) noexcept = default;
  shared_future& operator=(shared_future&&) noexcept = default;

  // Waits, then returns (a reference to) the result, rethrows the task's
  // exception, or throws cancelled_error. Stays valid. Inside a transaction
  // it retries until the task has finished.
  [[nodiscard]] detail::shared_get_t<R> get() const {
    auto* s = this->state("get");
    this->ended("get");
    if constexpr (std::is_void<R>::value)
      return;
    else if constexpr (std::is_reference<R>::value)
      return *s->value;
    else
      return *s->value;
  }

private:
  void mark_shared() noexcept {
    if (this->state_) this->state_->shared.store(true, std::memory_order_release);
  }
};

}  // namespace stm
}  // namespace boost

#include <boost/stm/then.hpp>
#include <boost/stm/coroutine.hpp>

#endif
