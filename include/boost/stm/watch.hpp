// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_WATCH_HPP_INCLUDED
#define BOOST_STM_WATCH_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/core/watcher_base.hpp>
#include <boost/stm/tvar.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {

// Owns a watch, like a scoped connection: destroying the handle cancels the
// watch (and waits for runs under way on other threads). detach() lets the
// watch live on, as long as any tvar it watches.
class [[nodiscard]] watch_handle {
public:
  watch_handle() noexcept = default;
  explicit watch_handle(detail::watcher_base* w) noexcept : w_(w) {}
  watch_handle(watch_handle&& o) noexcept : w_(std::exchange(o.w_, nullptr)) {}
  watch_handle& operator=(watch_handle&& o) noexcept {
    if (this != &o) {
      reset();
      w_ = std::exchange(o.w_, nullptr);
    }
    return *this;
  }
  ~watch_handle() { reset(); }

  // Stops the watch: no commit after this one runs it. Inside a transaction
  // it takes effect when that transaction commits. Idempotent.
  void cancel() {
    if (w_) detail::cancel(w_);
  }
  // Transactional: false once cancel() has committed.
  bool active() const { return w_ && detail::is_active(w_); }
  void detach() noexcept {
    if (w_) std::exchange(w_, nullptr)->release();
  }

private:
  void reset() noexcept {
    if (!w_) return;
    try {
      detail::cancel(w_);
    } catch (...) {
      // Cancelling allocates; if that fails the watch keeps running until
      // the tvars it watches are gone. Nothing else can be done here.
    }
    std::exchange(w_, nullptr)->release();
  }
  detail::watcher_base* w_ = nullptr;
};

namespace detail {

template <class C, class Eq>
struct changes_only_t {
  C cb;
  Eq eq;
};

// The callback of changes_only: remembers the last value passed on in a
// tvar, so that an aborted commit forgets it too.
template <class V, class C, class Eq>
class changes_only_cb {
public:
  changes_only_cb(C cb, Eq eq) : cb_(std::move(cb)), eq_(std::move(eq)) {}
  void operator()(V v) {
    std::optional<V> last = last_->get();
    if (last && eq_(*last, v)) return;
    last_->set(std::optional<V>(v));
    cb_(std::move(v));
  }

private:
  C cb_;
  Eq eq_;
  std::shared_ptr<tvar<std::optional<V>>> last_ = std::make_shared<tvar<std::optional<V>>>();
};

template <class V, class C>
C bind_callback(C&& c) {
  return std::forward<C>(c);
}
template <class V, class C, class Eq>
changes_only_cb<V, C, Eq> bind_callback(changes_only_t<C, Eq> c) {
  return changes_only_cb<V, C, Eq>(std::move(c.cb), std::move(c.eq));
}

template <class F, class C>
class watcher_impl final : public watcher_base {
public:
  watcher_impl(F f, C c) : f_(std::move(f)), c_(std::move(c)) {}
  void invoke(transaction& tx, std::vector<tvar_base*>& reads) override {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void<R>::value) {
      {
        collect_scope s(tx, reads);
        f_();
      }
      nested_scope n(tx);
      c_();
      n.commit();
    } else {
      std::optional<std::decay_t<R>> r;
      {
        collect_scope s(tx, reads);
        r.emplace(f_());
      }
      nested_scope n(tx);
      c_(std::move(*r));
      n.commit();
    }
  }

private:
  F f_;
  C c_;
};

}  // namespace detail

// Calls cb only when the value differs (by eq) from the last one it passed.
template <class C, class Eq = std::equal_to<>>
detail::changes_only_t<std::decay_t<C>, std::decay_t<Eq>> changes_only(C&& cb, Eq&& eq = Eq{}) {
  return {std::forward<C>(cb), std::forward<Eq>(eq)};
}

// Proposes a watch: at this transaction's commit f runs (its writes are
// discarded) and cb(f()) runs inside the committing transaction; from then
// on every commit that writes a tvar f read last time runs them again,
// before that commit becomes visible.
template <class F, class C>
watch_handle watch(F&& f, C&& cb) {
  using Fn = std::decay_t<F>;
  using R = std::decay_t<std::invoke_result_t<Fn&>>;
  auto bound = detail::bind_callback<R>(std::forward<C>(cb));
  using Cb = decltype(bound);
  detail::transaction* tx = detail::current();
  if (!tx) return atomically([&] { return watch(f, bound); });
  auto* w = new detail::watcher_impl<Fn, Cb>(Fn(std::forward<F>(f)), std::move(bound));
  watch_handle h(w);
  detail::propose(*tx, w);
  return h;
}

// watch() in a transaction of its own.
template <class F, class C>
watch_handle atomically_watch(F&& f, C&& cb) {
  return atomically([&] { return watch(f, cb); });
}

// Whether f would call retry() now. f's writes are always discarded.
template <class F>
bool would_block(F&& f) {
  detail::transaction* tx = detail::current();
  if (!tx) return atomically([&] { return would_block(f); });
  try {
    detail::nested_scope discard(*tx);
    f();
  } catch (const detail::retry_signal&) {
    detail::retry_handled(*tx);
    return true;
  }
  return false;
}

// Blocks until pred() is true (returns true) or timeout has passed since the
// transaction began (returns false). Inside a transaction, it is part of it.
template <class P, class Rep, class Period>
bool wait_until(P&& pred, std::chrono::duration<Rep, Period> timeout) {
  return atomically([&] {
    if (pred()) return true;
    if (elapsed(timeout)) return false;
    retry();
  });
}

// What f would have returned just before the current transaction: its reads
// see the committed state, not this transaction's writes; writes are
// discarded. Outside a transaction, the same as atomically(f).
template <class F>
auto previously(F&& f) -> std::invoke_result_t<F&> {
  detail::transaction* tx = detail::current();
  if (!tx) return atomically(f);
  detail::committed_view_scope view(*tx);
  return f();
}

}  // namespace stm
}  // namespace boost

#endif
