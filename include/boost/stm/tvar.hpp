// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TVAR_HPP_INCLUDED
#define BOOST_STM_TVAR_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/core/ebr.hpp>
#include <boost/stm/detail/core/transaction.hpp>
#include <boost/stm/detail/core/tvar_base.hpp>

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {

namespace detail {
// A T stored in the tvar's word itself (see tvar_base): no allocation per
// write, no reclamation, and a read that is a seqlock read alone.
template <class T>
constexpr bool unboxed_v = std::is_trivially_copyable<T>::value && sizeof(T) <= sizeof(word) &&
                           alignof(T) <= alignof(word);

// Boxed types whose default value is "empty" (a null pointer): a tvar
// constructed with no value, or set to an empty one, holds no node (the
// word 0) and reads as T{}, so that neither allocates. The library's own
// tvars of futures and containers are mostly these, and often empty.
template <class T>
struct null_default : std::false_type {};
template <class X>
struct null_default<std::shared_ptr<X>> : std::true_type {};
template <>
struct null_default<std::exception_ptr> : std::true_type {};

template <class T>
word encode(const T& v) noexcept {
  word w = 0;
  std::memcpy(&w, &v, sizeof(T));
  return w;
}
template <class T>
T decode(word w) noexcept {
  alignas(T) unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &w, sizeof(T));
  return *std::launder(reinterpret_cast<const T*>(bytes));
}
}  // namespace detail

// A transactional variable. Inside atomically() reads and writes are part of
// the transaction; outside, get() is one consistent read and set() is a
// transaction of its own. Neither copyable nor movable: transactions and
// waiters refer to it by address.
template <class T>
class tvar {
  static_assert(std::is_copy_constructible<T>::value,
                "tvar<T> needs a copyable T: reads return copies");
  static constexpr bool unboxed = detail::unboxed_v<T>;

public:
  using value_type = T;

  tvar() : base_(make()) {}
  explicit tvar(const T& v) : base_(make(v)) {}
  explicit tvar(T&& v) : base_(make(std::move(v))) {}
  template <class... A, class = std::enable_if_t<
                            (sizeof...(A) > 1) &&
                            std::is_constructible<T, A&&...>::value>>
  explicit tvar(A&&... a) : base_(make(std::forward<A>(a)...)) {}

  tvar(const tvar&) = delete;
  tvar& operator=(const tvar&) = delete;

  T get() const {
    if constexpr (unboxed) {
      return detail::decode<T>(detail::read_unboxed(base_));
    } else {
      if (detail::transaction* tx = detail::current()) return value_of(detail::read(*tx, base_));
      detail::ebr::guard g;
      return value_of(detail::read_committed(base_));
    }
  }

  void set(const T& v) {
    if constexpr (unboxed) {
      assign_word(detail::encode(v));
    } else {
      if constexpr (null_default)
        if (!v) return assign_empty();
      assign(new detail::node<T>(v));
    }
  }
  void set(T&& v) {
    if constexpr (unboxed) {
      assign_word(detail::encode(v));
    } else {
      if constexpr (null_default)
        if (!v) return assign_empty();
      assign(new detail::node<T>(std::move(v)));
    }
  }

  // Replaces the value with f(old) and returns the new value.
  template <class F>
  T modify(F&& f) {
    auto op = [&] {
      T n = f(get());
      set(n);
      return n;
    };
    return atomically(op);
  }

  // Writes v and returns the value it replaced, in one transaction.
  T swap(T v) {
    return atomically([&] {
      T old = get();
      set(v);
      return old;
    });
  }

  detail::tvar_base& base() noexcept { return base_; }

private:
  static constexpr bool null_default = detail::null_default<T>::value;

  template <class... A>
  static detail::tvar_base make(A&&... a) {
    if constexpr (unboxed)
      return detail::tvar_base(detail::tvar_base::unboxed_tag{},
                               detail::encode(T(std::forward<A>(a)...)));
    else if constexpr (null_default && sizeof...(A) == 0)
      return detail::tvar_base(static_cast<detail::node_base*>(nullptr));
    else
      return detail::tvar_base(new detail::node<T>(std::forward<A>(a)...));
  }

  static const T& value_of(detail::word w) noexcept {
    if constexpr (null_default) {
      static const T empty{};
      if (!w) return empty;
    }
    return static_cast<const detail::node<T>*>(detail::as_node(w))->value;
  }

  void assign_word(detail::word w) {
    if (detail::write_unboxed(base_, w)) return;
    atomically([&] { detail::write(*detail::current(), base_, w); });
  }

  // The empty value of a null_default T: the word 0, no node.
  void assign_empty() { assign_word(0); }

  void assign(detail::node<T>* n) {
    if (detail::transaction* tx = detail::current())
      return detail::write(*tx, base_, detail::as_word(n));
    std::unique_ptr<detail::node<T>> owned(n);
    atomically([&] {
      // Each attempt writes its own copy: the transaction owns what it writes.
      detail::write(*detail::current(), base_,
                    detail::as_word(new detail::node<T>(owned->value)));
    });
  }

  mutable detail::tvar_base base_;
};

}  // namespace stm
}  // namespace boost

#endif
