// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_THEN_HPP_INCLUDED
#define BOOST_STM_THEN_HPP_INCLUDED

// future<R>::then(f): a continuation that runs when the future is done, and
// a future of its result. Included by future.hpp; the member is declared
// there and defined through detail::then_attach here.

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/executors/future_state.hpp>
#include <boost/stm/detail/executors/job.hpp>
#include <boost/stm/future.hpp>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

template <class F, class R>
struct then_traits {
  static_assert(std::is_invocable<std::decay_t<F>&, future<R>&&>::value,
                "future<R>::then(f): f must be callable with the finished future<R> (take it "
                "by value or by rvalue reference, and call get() on it for the result or the "
                "exception)");
  using raw = std::invoke_result_t<std::decay_t<F>&, future<R>&&>;
  using result = std::conditional_t<std::is_reference<raw>::value, raw, std::remove_cv_t<raw>>;
};

// The continuation's callable: f and the source future it is given.
template <class R, class F, class Result>
struct then_fn {
  future<R> source;
  F f;
  Result operator()() { return std::invoke(f, std::move(source)); }
};

// Runs the continuation job when the source is done: on the thread that
// completed it, after that commit (or at once, where then() was called, if
// it was already done), by the task protocol (see task_base) with no queue
// to take it from: a commit of its own claims it. A continuation whose
// future was cancelled meanwhile is not claimed, so it does not run.
template <class Job>
struct then_link final : callback_base {
  explicit then_link(std::shared_ptr<Job> j) : job(std::move(j)) {}
  void invoke() override {
    atomically([&] { job->begin(); });
    job->run();
    atomically([&] { job->complete(nullptr); });
  }
  std::shared_ptr<Job> job;
};

// Registered on the continuation's future: when it ends cancelled (which it
// can only do before the continuation started), cancel the source too.
template <class R>
struct then_cancel final : callback_base {
  then_cancel(const future_state_base* cont, std::weak_ptr<future_state<R>> src)
      : cont(cont), source(std::move(src)) {}
  void invoke() override {
    if (cont->code() != future_code::cancelled) return;
    if (std::shared_ptr<future_state<R>> s = source.lock()) s->cancel();
  }
  const future_state_base* cont;  // owns this callback
  std::weak_ptr<future_state<R>> source;
};

inline const void* owner_of(future_state_base* s) noexcept {
  const task_base* t = dynamic_cast<const task_base*>(s);
  return t ? t->owner() : nullptr;
}

template <class R, class F>
future<typename then_traits<F, R>::result> then_attach(future<R>& g, F&& f) {
  using result = typename then_traits<F, R>::result;
  std::shared_ptr<future_state<R>> src = future_access::shared_state(g);
  if (!src)
    throw invalid_state_error(
        "boost::stm::future::then(): this future has no shared state: it was "
        "default-constructed, moved from, or already consumed by get(), share() or then()");
  // Inside a transaction the future stays valid (the transaction may run
  // again, as get() does there); the continuation's handle is a second one.
  // Outside, the source is consumed.
  future<R> source = in_transaction() ? future<R>(src) : std::move(g);
  using fn = then_fn<R, std::decay_t<F>, result>;
  auto cont = make_job<result>(fn{std::move(source), std::decay_t<F>(std::forward<F>(f))},
                               owner_of(src.get()));
  // Inside a transaction both are registered only if (and when) it commits.
  cont->add_callback(std::make_shared<then_cancel<R>>(cont.get(), src));
  src->add_callback(std::make_shared<then_link<typename decltype(cont)::element_type>>(cont));
  return future<result>(std::move(cont));
}

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
