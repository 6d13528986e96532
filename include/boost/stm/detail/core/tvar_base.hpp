// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_TVAR_BASE_HPP_INCLUDED
#define BOOST_STM_DETAIL_TVAR_BASE_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <atomic>
#include <cstdint>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// The bits a tvar publishes: a node_base* for a boxed tvar, the value itself
// for an unboxed one (see tvar_base).
using word = std::uintptr_t;

// A value of a boxed tvar. Published values are immutable; a write makes a
// new one and the old one is retired (see ebr.hpp) once no running
// transaction can still be reading it.
struct node_base {
  virtual ~node_base() = default;
};

template <class T>
struct node final : node_base {
  template <class... A>
  explicit node(A&&... a) : value(std::forward<A>(a)...) {}
  T value;
};

inline node_base* as_node(word w) noexcept { return reinterpret_cast<node_base*>(w); }
inline word as_word(node_base* n) noexcept { return reinterpret_cast<word>(n); }

struct tvar_meta;  // waiters and watchers; allocated on first use

// The type-independent part of a tvar: a versioned lock and a value word
// (TL2). vlock_ holds version << 1, with bit 0 set while a commit holds it.
//
// A boxed tvar's word points to an immutable node (owned by the tvar once
// published); readers may hold it only inside an epoch (ebr.hpp). An unboxed
// tvar (a trivially copyable value that fits in a word, see tvar.hpp) keeps
// the value's bytes in the word itself: reading it is the seqlock read alone,
// and writing it allocates and retires nothing.
class BOOST_STM_DECL tvar_base {
public:
  explicit tvar_base(node_base* initial) noexcept : value_(as_word(initial)), boxed_(true) {}
  struct unboxed_tag {};
  tvar_base(unboxed_tag, word bits) noexcept : value_(bits), boxed_(false) {}
  ~tvar_base();
  tvar_base(const tvar_base&) = delete;
  tvar_base& operator=(const tvar_base&) = delete;

  std::atomic<std::uint64_t> vlock_{0};
  std::atomic<word> value_;
  // Bit 0: the waiter list may be non-empty. Bits 1..: number of watchers.
  // A commit that finds 0 here touches no wait or watch structure.
  std::atomic<std::uint32_t> flags_{0};
  const bool boxed_;
  std::atomic<tvar_meta*> meta_{nullptr};

  static constexpr std::uint32_t has_waiters = 1;
  static constexpr std::uint32_t one_watcher = 2;
};

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
