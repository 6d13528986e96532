// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_TRANSACTION_HPP_INCLUDED
#define BOOST_STM_DETAIL_TRANSACTION_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/detail/core/tvar_base.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

class transaction;
class watcher_base;

// Control flow signals. They deliberately do not derive from std::exception
// so that `catch (const std::exception&)` in user code lets them through.
struct retry_signal {};
struct conflict_signal {};

// The transaction running on this thread, or nullptr.
BOOST_STM_DECL transaction* current() noexcept;

// Transactional read: the word this transaction sees (its own write, or the
// committed value consistent with everything it read so far). A boxed
// tvar's node stays valid until the end of the attempt. Throws
// conflict_signal when no consistent value exists.
BOOST_STM_DECL word read(transaction& tx, tvar_base& v);
// Transactional write; for a boxed tvar, takes ownership of the node w
// points to (also when it throws).
BOOST_STM_DECL void write(transaction& tx, tvar_base& v, word w);
// A consistent committed word, outside any transaction. For a boxed tvar
// the caller must be inside an ebr::guard.
BOOST_STM_DECL word read_committed(tvar_base& v) noexcept;
// For an unboxed tvar, one call where the two above would need current()
// first: read() inside a transaction, read_committed() outside.
BOOST_STM_DECL word read_unboxed(tvar_base& v);
// For an unboxed tvar, or the word 0 (no node) of a boxed one: write() and
// true inside a transaction; false (and nothing done) outside one.
BOOST_STM_DECL bool write_unboxed(tvar_base& v, word w);

// The calling thread runs a Boost.Fiber scheduler for the library: from now
// on every retry() on it, main context included, suspends through Boost.Fiber.
BOOST_STM_DECL void mark_fiber_thread() noexcept;

[[noreturn]] BOOST_STM_DECL void throw_retry();
// An or_else or would_block took the retry: the attempt goes on.
BOOST_STM_DECL void retry_handled(transaction& tx) noexcept;
BOOST_STM_DECL void add_after_commit(transaction& tx, std::function<void()> f);
BOOST_STM_DECL bool elapsed_until(transaction& tx,
                                  std::chrono::steady_clock::time_point tp);
BOOST_STM_DECL std::chrono::steady_clock::time_point start_time(
    transaction& tx) noexcept;

// A nested transaction: its writes, after-commit actions and watch proposals
// are undone when the scope ends without commit(); its reads are kept (a
// retry in or_else must wait on what both alternatives read).
// Where a nested frame began in the transaction's logs.
struct frame_mark {
  std::size_t writes, undo, actions, proposals;
};

class BOOST_STM_DECL nested_scope {
public:
  explicit nested_scope(transaction& tx) noexcept;
  ~nested_scope();
  void commit() noexcept;
  nested_scope(const nested_scope&) = delete;
  nested_scope& operator=(const nested_scope&) = delete;

private:
  transaction& tx_;
  std::uint64_t parent_;  // the enclosing frame's id
  frame_mark mark_;
  bool done_ = false;
};

// Reads inside see the committed state as of the transaction's start,
// ignoring its own writes; writes inside are discarded (previously()).
class BOOST_STM_DECL committed_view_scope {
public:
  explicit committed_view_scope(transaction& tx);
  ~committed_view_scope();
  committed_view_scope(const committed_view_scope&) = delete;
  committed_view_scope& operator=(const committed_view_scope&) = delete;

private:
  nested_scope nested_;
  transaction& tx_;
};

// What contention management (lib/core/contention.hpp) keeps for one
// top-level transaction.
struct contention_state {
  unsigned restarts = 0;  // since it started, or since it last blocked in retry()
  bool serial = false;    // it runs serially now
};

// One top-level atomically() call: the attempt loop's state.
class BOOST_STM_DECL top_level {
public:
  top_level();
  ~top_level();
  top_level(const top_level&) = delete;
  top_level& operator=(const top_level&) = delete;

  void begin();
  // Runs the watchers, then tries to commit. true: committed; false: the
  // attempt conflicted and was rolled back (call begin() again).
  bool commit();
  // Runs the after-commit actions outside any transaction; rethrows the
  // first exception one of them threw, after running all of them. (Inline
  // for the transaction with neither actions nor a serial run to end.)
  void finish() {
    if (has_actions_ || contention_.serial) finish_slow();
  }
  // The body called retry(): roll back, block until something it read is
  // written (or its elapsed() deadline passes).
  void on_retry();
  // The body asked to retry by its result (atomically_or_wait): on_retry(),
  // or a restart if the attempt swallowed a conflict.
  void wait();
  void on_conflict() noexcept;
  // The body threw. Rolls back; true if the exception must propagate (the
  // attempt saw a consistent state), false if it must restart instead.
  bool on_exception() noexcept;

  // When the transaction was first attempted, for elapsed(d): `bound` is
  // taken cheaply when it starts and is not earlier than that moment;
  // `fixed` is set at the first elapsed(d), to the earlier of `bound` and
  // that attempt's clock reading (both bounds of the start from above).
  struct start_clock {
    std::chrono::steady_clock::time_point bound;
    std::optional<std::chrono::steady_clock::time_point> fixed;
  };

private:
  bool committed(transaction& tx) noexcept;  // the attempt's end after a commit
  void end_keeping_actions(transaction& tx) noexcept;
  void finish_slow();

  transaction* tx_;
  start_clock start_;
  contention_state contention_;
  bool woken_ = false;
  bool has_actions_ = false;  // the commit left after-commit actions to finish()
};

template <class R>
struct result_holder {
  std::optional<R> value;
  template <class F>
  void run(F& f) { value.emplace(f()); }
  R take() { return std::move(*value); }
};
template <class R>
struct result_holder<R&> {
  R* value = nullptr;
  template <class F>
  void run(F& f) { value = &f(); }
  R& take() { return *value; }
};
template <>
struct result_holder<void> {
  template <class F>
  void run(F& f) { f(); }
  void take() {}
};

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
