// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TMVAR_HPP_INCLUDED
#define BOOST_STM_TMVAR_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/tvar.hpp>

#include <optional>
#include <utility>

namespace boost {
namespace stm {

// A box that is either empty or holds one T (GHC's TMVar): a one-place
// channel, a lock that carries a value, or a result slot. One tvar of
// std::optional<T>; the blocking members retry() until the box is in the
// state they need. Every member is transactional (it joins the current
// transaction, or runs as its own).
template <class T>
class tmvar {
public:
  using value_type = T;

  tmvar() = default;                               // empty (newEmptyTMVar)
  explicit tmvar(T v) : v_(std::in_place, std::move(v)) {}  // holding v (newTMVar)
  tmvar(const tmvar&) = delete;
  tmvar& operator=(const tmvar&) = delete;

  // Fills the box with v; retries while it is full.
  void put(T v) {
    atomically([&] {
      if (v_.get()) retry();
      v_.set(std::optional<T>(v));
    });
  }

  // Empties the box and returns what it held; retries while it is empty.
  T take() {
    return atomically([&] {
      std::optional<T> o = v_.get();
      if (!o) retry();
      v_.set(std::nullopt);
      return std::move(*o);
    });
  }

  // What the box holds, left there; retries while it is empty.
  T read() const {
    return atomically([&] {
      std::optional<T> o = v_.get();
      if (!o) retry();
      return std::move(*o);
    });
  }

  // Replaces the value with v and returns the old one; retries while empty.
  T swap(T v) {
    return atomically([&] {
      std::optional<T> o = v_.get();
      if (!o) retry();
      v_.set(std::optional<T>(v));
      return std::move(*o);
    });
  }

  // The non-blocking forms: false / nullopt where the blocking one retries.
  // try_put leaves v untouched when the box is full.
  bool try_put(const T& v) {
    return atomically([&] {
      if (v_.get()) return false;
      v_.set(std::optional<T>(v));
      return true;
    });
  }
  std::optional<T> try_take() {
    return atomically([&] {
      std::optional<T> o = v_.get();
      if (o) v_.set(std::nullopt);
      return o;
    });
  }
  std::optional<T> try_read() const { return v_.get(); }

  bool empty() const { return !v_.get().has_value(); }

private:
  tvar<std::optional<T>> v_;
};

}  // namespace stm
}  // namespace boost

#endif
