// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_EXECUTOR_HPP_INCLUDED
#define BOOST_STM_EXECUTOR_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/executors/job.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/map_result.hpp>
#include <boost/stm/task.hpp>
#include <boost/stm/tvar.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

namespace detail {

template <class R>
using future_result_t = std::conditional_t<std::is_reference<R>::value, R, std::remove_cv_t<R>>;

// What submit(f, a...) returns a future of: f called with rvalue copies of
// its arguments, as std::async calls it.
template <class F, class... A>
using submit_result_t =
    future_result_t<std::invoke_result_t<std::decay_t<F>, std::decay_t<A>...>>;

template <class Range>
using range_element_t = std::decay_t<decltype(*std::begin(std::declval<Range&>()))>;

// Not callable with the elements: map's static_assert then says so (an
// unusable range still removes the overload).
struct map_not_callable {};

// How map's calls hold f: one const copy shared by every call when f can be
// called as const; otherwise (a mutable lambda) a copy of its own per call,
// as submit(f, x) would make, so that no two calls share its state.
// (Aliases, not variable templates, so that an unusable range is a
// substitution failure that removes map's overload, not an error.)
template <class F, class... Ranges>
using map_shares_fn = std::is_invocable<const std::decay_t<F>&, range_element_t<Ranges>...>;

template <class F, class... Ranges>
using map_fn_ref_t = std::conditional_t<map_shares_fn<F, Ranges...>::value, const std::decay_t<F>&,
                                        std::decay_t<F>&>;

template <class F, class... Ranges>
using map_result_t = future_result_t<typename std::conditional_t<
    std::is_invocable<map_fn_ref_t<F, Ranges...>, range_element_t<Ranges>...>::value,
    std::invoke_result<map_fn_ref_t<F, Ranges...>, range_element_t<Ranges>...>,
    std::enable_if<true, map_not_callable>>::type>;

template <class T>
struct is_duration : std::false_type {};
template <class Rep, class Period>
struct is_duration<std::chrono::duration<Rep, Period>> : std::true_type {};

}  // namespace detail

// What every executor does, concurrent.futures style, on top of a backend
// that runs stm::tasks somewhere (a thread pool, fibers). A backend derives
// from this class and implements post / take_queued / join; its destructor
// must call shutdown(true) before the backend goes away.
//
// Everything here is transactional: submit() inside a transaction submits
// only if that transaction commits; shutdown is a commit, and a submit
// either commits before it (and is run, or cancelled by cancel_futures) or
// after it (and throws shutdown_error).
class executor_ref;

class executor {
public:
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;

  // A copyable handle that runs function objects through post(): an
  // executor in Asio's sense with <boost/stm/asio.hpp> included, so that
  // boost::asio::post(ex.get_executor(), handler) runs handlers here.
  executor_ref get_executor() noexcept;

  // Schedules f(a...) (decay-copies of f and a, moved into the call, like
  // std::async) and returns its future. Throws shutdown_error after
  // shutdown(), or broken_executor once the executor is broken.
  template <class F, class... A>
  [[nodiscard]] auto submit(F&& f, A&&... a) {
    static_assert(std::is_invocable<std::decay_t<F>, std::decay_t<A>...>::value,
                  "submit(f, args...): f must be callable with moved copies of args, as with "
                  "std::async: take parameters by value or const&, or pass std::ref(x)");
    using R = detail::submit_result_t<F, A...>;
    auto j = detail::make_job<R>(
        [f = std::decay_t<F>(std::forward<F>(f)),
         args = std::tuple<std::decay_t<A>...>(std::forward<A>(a)...)]() mutable -> R {
          return std::apply(std::move(f), std::move(args));
        },
        this);
    submit_tasks(&j, 1);
    return future<R>(std::move(j));
  }

  // Fire and forget (Asio's post, the Networking TS's execute): schedules
  // f(a...) as submit() does, without a future. An exception that escapes
  // it goes to the error handler (set_error_handler; by default one line on
  // stderr) on the worker that ran it, and counts as failed in
  // executor_statistics(): it is never lost silently. Transactional, and
  // throws as submit() does.
  template <class F, class... A>
  void post(F&& f, A&&... a) {
    static_assert(std::is_invocable<std::decay_t<F>, std::decay_t<A>...>::value,
                  "post(f, args...): f must be callable with moved copies of args, as with "
                  "std::async: take parameters by value or const&, or pass std::ref(x)");
    auto j = detail::make_job<void>(
        [this, f = std::decay_t<F>(std::forward<F>(f)),
         args = std::tuple<std::decay_t<A>...>(std::forward<A>(a)...)]() mutable {
          try {
            std::apply(std::move(f), std::move(args));
          } catch (...) {
            report_posted_failure(std::current_exception());
            throw;  // the job ends failed, and is counted so
          }
        },
        this);
    submit_tasks(&j, 1);
  }

  template <class F>
  void execute(F&& f) {
    post(std::forward<F>(f));
  }

  // The function that receives, on the worker, each exception escaping a
  // task given to post() or execute(). An empty function restores the
  // default, which prints the exception's what() on stderr. A handler that
  // throws is reported on stderr; the executor goes on.
  void set_error_handler(std::function<void(std::exception_ptr)> handler) {
    std::lock_guard<std::mutex> g(handler_m_);
    handler_ = std::move(handler);
  }

  // Calls f on the zipped elements of the ranges (the shortest one decides
  // how many calls), every call submitted at once in one transaction, and
  // returns the results in order (see map_result). f is shared by the calls
  // and called as const, from several threads at once; a callable that can
  // only be called as non-const (a mutable lambda) is copied into each call
  // instead, so no two calls share its state. The overload with a leading
  // duration sets a deadline, counted from this call, after which reading a
  // result that is not ready throws timeout_error. Dropping the result
  // cancels the tasks not yet started, hence [[nodiscard]].
  template <class F, class Range, class... Ranges,
            class = std::enable_if_t<!detail::is_duration<std::decay_t<F>>::value>>
  [[nodiscard]] map_result<detail::map_result_t<F, Range, Ranges...>> map(F&& f, Range&& r,
                                                                          Ranges&&... rs) {
    return map_until(std::nullopt, std::forward<F>(f), r, rs...);
  }

  template <class Rep, class Period, class F, class Range, class... Ranges>
  [[nodiscard]] map_result<detail::map_result_t<F, Range, Ranges...>> map(
      std::chrono::duration<Rep, Period> timeout, F&& f, Range&& r, Ranges&&... rs) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::ceil<std::chrono::steady_clock::duration>(timeout);
    return map_until(deadline, std::forward<F>(f), r, rs...);
  }

  // Stops accepting work (submit throws shutdown_error from now on). With
  // cancel_futures, every task not yet handed to a worker is cancelled (its
  // future says so; it never runs); tasks already running are never
  // interrupted. With wait, blocks until every task submitted has ended.
  // Can be called any number of times, from any thread. Waiting from inside
  // one of this executor's own tasks would wait for itself: that throws
  // invalid_state_error (call shutdown(false) there).
  void shutdown(bool wait = true, bool cancel_futures = false) {
    atomically([&] {
      status s = status_.get();
      if (!s.shut) {
        s.shut = true;
        status_.set(std::move(s));
      }
      if (cancel_futures) {
        static const std::exception_ptr cancel = std::make_exception_ptr(detail::cancel_request{});
        for (task& t : take_queued()) t.complete(cancel);
      }
    });
    if (!wait) return;
    if (detail::current_job_owner == this)
      throw invalid_state_error(
          "boost::stm::executor::shutdown(wait=true) called from one of the executor's own "
          "tasks would wait for that task itself; call shutdown(false) there");
    join();
  }

  // Transactional reads.
  bool is_shutdown() const { return status_.get().shut; }
  bool is_broken() const { return status_.get().broken != nullptr; }

protected:
  executor() = default;
  ~executor() = default;

  // The backend. post: inside a transaction, queue t so that it runs (run()
  // outside any transaction, then complete() inside the commit that counts
  // it done) only if the transaction commits. take_queued: inside a
  // transaction, remove and return the tasks not yet handed to a worker.
  // join: outside any transaction, block until every posted task has been
  // completed or taken back.
  virtual void post(task t) = 0;
  // As post() for each, in order; a backend may queue them all at once.
  virtual void post_all(const std::vector<task>& ts) {
    for (const task& t : ts) post(t);
  }
  virtual std::vector<task> take_queued() = 0;
  virtual void join() = 0;

  // For backends: the executor is broken (a worker could not initialize).
  // Queued tasks end with `reason` (a broken_executor), and so does every
  // later submit. Transactional.
  void break_executor(std::exception_ptr reason) {
    atomically([&] {
      status s = status_.get();
      if (!s.broken) {
        s.broken = reason;
        status_.set(s);
      }
      for (task& t : take_queued()) t.complete(s.broken);
    });
  }

private:
  struct status {
    bool shut = false;
    std::exception_ptr broken;
  };

  void report_posted_failure(std::exception_ptr e) noexcept {
    std::function<void(std::exception_ptr)> h;
    try {
      {
        std::lock_guard<std::mutex> g(handler_m_);
        h = handler_;
      }
      if (h) return h(e);
    } catch (...) {
      detail::report_failure("boost::stm::executor: the error handler threw");
      return;
    }
    try {
      std::rethrow_exception(e);
    } catch (...) {
      detail::report_failure("boost::stm::executor: a posted task threw");
    }
  }

  std::mutex handler_m_;
  std::function<void(std::exception_ptr)> handler_;

  // Transactional: throws if no work may be submitted.
  void check_open() const {
    status s = status_.get();
    if (s.broken) std::rethrow_exception(s.broken);
    if (s.shut)
      throw shutdown_error(
          "boost::stm::executor::submit(): the executor has been shut down and accepts no new "
          "work; submit before shutdown(), or to another executor");
  }

  template <class J>
  void submit_tasks(const std::shared_ptr<J>* jobs, std::size_t n) {
    if (n == 1) {
      atomically([&] {
        check_open();
        post(task(jobs[0]));
      });
    } else {
      std::vector<task> ts(jobs, jobs + n);
      atomically([&] {
        check_open();
        post_all(ts);
      });
    }
    detail::count_tasks_on_commit(detail::task_outcome::submitted, n);
  }

  template <class F, class... Ranges>
  map_result<detail::map_result_t<F, Ranges...>> map_until(
      std::optional<std::chrono::steady_clock::time_point> deadline, F&& f, Ranges&... rs) {
    using Fn = std::decay_t<F>;
    constexpr bool shares = detail::map_shares_fn<F, Ranges...>::value;
    static_assert(std::is_invocable<detail::map_fn_ref_t<F, Ranges...>,
                                    detail::range_element_t<Ranges>...>::value,
                  "map(f, ranges...): f must be callable with one element (moved copy) of each "
                  "range");
    static_assert(shares || std::is_copy_constructible<Fn>::value,
                  "map(f, ranges...): f can only be called as non-const, so each call gets a "
                  "copy of its own, and f must be copyable; make its call operator const, or "
                  "make it copyable");
    using R = detail::map_result_t<F, Ranges...>;
    // Shared and const, or the original that each call copies.
    using held = std::conditional_t<shares, const Fn, Fn>;
    auto shared_f = std::make_shared<held>(std::forward<F>(f));
    auto make = [this, &shared_f](auto&&... elements) {
      auto args = std::make_tuple(
          detail::range_element_t<Ranges>(std::forward<decltype(elements)>(elements))...);
      if constexpr (shares) {
        return detail::make_job<R>(
            [fp = shared_f, args = std::move(args)]() mutable -> R {
              return std::apply(
                  [&](auto&... a) -> R { return std::invoke(*fp, std::move(a)...); }, args);
            },
            this);
      } else {
        return detail::make_job<R>(
            [fn = Fn(*shared_f), args = std::move(args)]() mutable -> R {
              return std::apply(
                  [&](auto&... a) -> R { return std::invoke(fn, std::move(a)...); }, args);
            },
            this);
      }
    };
    using job_ptr = decltype(make(*std::begin(rs)...));
    std::vector<job_ptr> jobs;
    auto its = std::make_tuple(std::begin(rs)...);
    auto ends = std::make_tuple(std::end(rs)...);
    auto any_end = [&] {
      return std::apply(
          [&](auto&... it) {
            return std::apply([&](auto&... e) { return ((it == e) || ...); }, ends);
          },
          its);
    };
    while (!any_end()) {
      jobs.push_back(std::apply([&](auto&... it) { return make(*it...); }, its));
      std::apply([](auto&... it) { (++it, ...); }, its);
    }
    // Allocated before the submit: once the tasks are submitted nothing may
    // throw, or they would run with no future left to see or cancel them.
    std::vector<future<R>> fs;
    fs.reserve(jobs.size());
    submit_tasks(jobs.data(), jobs.size());
    for (auto& j : jobs) fs.emplace_back(std::move(j));
    return map_result<R>(std::move(fs), deadline);
  }

  tvar<status> status_;
};

// A reference to an executor, cheap to copy, that runs each function object
// given to execute() as executor::post() does (never inline, never
// blocking). Equal when it refers to the same executor. The executor must
// outlive it.
class executor_ref {
public:
  template <class F>
  void execute(F&& f) const {
    ex_->post(std::forward<F>(f));
  }
  executor& target() const noexcept { return *ex_; }

  friend bool operator==(const executor_ref& a, const executor_ref& b) noexcept { return a.ex_ == b.ex_; }
  friend bool operator!=(const executor_ref& a, const executor_ref& b) noexcept { return a.ex_ != b.ex_; }

private:
  friend class executor;
  explicit executor_ref(executor& ex) noexcept : ex_(&ex) {}
  executor* ex_;
};

inline executor_ref executor::get_executor() noexcept { return executor_ref(*this); }

}  // namespace stm
}  // namespace boost

#endif
