// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_ATOMICALLY_HPP_INCLUDED
#define BOOST_STM_ATOMICALLY_HPP_INCLUDED

#include <boost/stm/detail/core/transaction.hpp>
#include <boost/stm/errors.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {

namespace detail {
// The attempt loop of a top-level transaction: attempt(r) runs the body once
// into a fresh holder r and returns false to wait as retry() would (without
// throwing); it runs again after a conflict or a wait.
template <class Holder, class Attempt>
auto run_top_level(Attempt&& attempt) -> decltype(std::declval<Holder&>().take()) {
  top_level t;
  for (;;) {
    t.begin();
    Holder r;
    try {
      if (!attempt(r)) {
        t.wait();
        continue;
      }
      if (!t.commit()) continue;
    } catch (const retry_signal&) {
      t.on_retry();
      continue;
    } catch (const conflict_signal&) {
      t.on_conflict();
      continue;
    } catch (...) {
      if (t.on_exception()) throw;
      continue;
    }
    t.finish();
    return r.take();
  }
}
}  // namespace detail

// Runs f as a transaction and returns its result. Inside another transaction
// it is a nested transaction: an exception escaping f undoes only f's writes.
template <class F>
auto atomically(F&& f) -> std::invoke_result_t<F&> {
  using R = std::invoke_result_t<F&>;
  if (detail::transaction* tx = detail::current()) {
    detail::nested_scope nested(*tx);
    detail::result_holder<R> r;
    r.run(f);
    nested.commit();
    return r.take();
  }
  return detail::run_top_level<detail::result_holder<R>>([&](detail::result_holder<R>& r) {
    r.run(f);
    return true;
  });
}

namespace detail {
// atomically() for the library's own waits: f returns a std::optional, and
// an empty one means retry(), without throwing (unwinding costs more than
// the rest of a small transaction, and idle workers and future::get() wait
// this way all the time). Inside a transaction it is a nested one whose
// empty result becomes an ordinary retry().
template <class F>
auto atomically_or_wait(F&& f) -> typename std::invoke_result_t<F&>::value_type {
  using O = std::invoke_result_t<F&>;
  if (current()) {
    O r = atomically(f);
    if (!r) throw_retry();
    return std::move(*r);
  }
  return *run_top_level<result_holder<O>>([&](result_holder<O>& r) {
    r.run(f);
    return r.value->has_value();
  });
}
}  // namespace detail

// Abandons the current attempt and blocks until one of the tvars it read is
// written by another commit (or a pending elapsed() deadline passes).
[[noreturn]] inline void retry() { detail::throw_retry(); }

// The result of the first alternative that does not retry; if every one
// retries, the whole transaction retries, waiting on what any of them read.
// Each alternative is a nested transaction: the writes of one that retried
// are undone before the next one runs. Takes two or more alternatives.
template <class F, class G, class... H>
auto or_else(F&& first, G&& second, H&&... rest)
    -> std::common_type_t<std::invoke_result_t<F&>, std::invoke_result_t<G&>,
                          std::invoke_result_t<H&>...> {
  using R = std::common_type_t<std::invoke_result_t<F&>, std::invoke_result_t<G&>,
                               std::invoke_result_t<H&>...>;
  detail::transaction* tx = detail::current();
  if (!tx) return atomically([&]() -> R { return or_else(first, second, rest...); });
  try {
    detail::nested_scope nested(*tx);
    detail::result_holder<R> r;
    r.run(first);
    nested.commit();
    return r.take();
  } catch (const detail::retry_signal&) {
    detail::retry_handled(*tx);
  }
  if constexpr (sizeof...(H) == 0) {
    detail::nested_scope nested(*tx);
    detail::result_holder<R> r;
    r.run(second);
    nested.commit();
    return r.take();
  } else {
    return or_else(second, rest...);
  }
}

// GHC's check: retry() unless b. Like retry(), it is an error outside a
// transaction (whatever b is: the call is misplaced either way).
inline void check(bool b) {
  if (!detail::current())
    throw usage_error(
        "stm::check() called outside a transaction: call it inside atomically(), where "
        "check(false) blocks until a tvar the transaction read is written");
  if (!b) detail::throw_retry();
}

inline bool in_transaction() noexcept { return detail::current() != nullptr; }

// True once the absolute steady_clock time tp has come, as read at the
// first elapsed() of this attempt: every later call in the attempt (or_else
// alternatives included) uses that same reading, so they agree. (Not at
// the attempt's start: that would cost a clock read on every transaction.)
// A retry after a false elapsed() wakes at tp.
inline bool elapsed(std::chrono::steady_clock::time_point tp) {
  detail::transaction* tx = detail::current();
  if (!tx) throw usage_error("stm::elapsed() called outside a transaction: call it inside atomically()");
  return detail::elapsed_until(*tx, tp);
}

// True once d has passed since this transaction was first attempted.
template <class Rep, class Period>
bool elapsed(std::chrono::duration<Rep, Period> d) {
  detail::transaction* tx = detail::current();
  if (!tx) throw usage_error("stm::elapsed() called outside a transaction: call it inside atomically()");
  return detail::elapsed_until(
      *tx, detail::start_time(*tx) +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(d));
}

// Runs f once after the current transaction commits, outside any transaction
// (dropped if it aborts or retries). Outside a transaction, runs f now.
template <class F>
void after_commit(F&& f) {
  if (detail::transaction* tx = detail::current())
    detail::add_after_commit(*tx, std::function<void()>(std::forward<F>(f)));
  else
    f();
}

// Lets retry() suspend only the calling fiber when called from a Boost.Fiber
// fiber (other than a thread's main fiber). Called by fiber_executor; call it
// once if you run fibers of your own that block in transactions.
BOOST_STM_DECL void enable_fiber_support() noexcept;

}  // namespace stm
}  // namespace boost

#endif
