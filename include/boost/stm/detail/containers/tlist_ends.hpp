// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The ends of a tlist (see tlist.hpp): the append-only chunks their
// versions share, and the span of a chunk each version sees.
#ifndef BOOST_STM_DETAIL_TLIST_ENDS_HPP_INCLUDED
#define BOOST_STM_DETAIL_TLIST_ENDS_HPP_INCLUDED

#include <boost/stm/detail/containers/persistent_tree.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

namespace boost {
namespace stm {
namespace detail {
namespace tl {

// An end of a tlist: up to `cap` slots, filled from index 0 upwards and
// never changed once filled, so that any number of versions of the end can
// share it, each seeing its own range [lo, hi) (see tlist::end_span). A push
// claims the next index with a compare-and-swap and fills it in place: only
// the first claimer of an index gets it, and a transaction that claimed
// one and then aborted leaves it to nobody (the next push at that point
// starts a new chunk). Slots are destroyed with the chunk, so a popped
// element lives on until the rest of its chunk has gone too (at most cap-1
// more elements).
template <class T>
class chunk {
public:
  using slot = ptree::slot<T>;
  static constexpr std::size_t cap = 32;
  static_assert(std::is_nothrow_copy_constructible<slot>::value,
                "a slot is copied into a claimed index, where it must not throw");

  chunk() = default;
  chunk(const chunk&) = delete;
  chunk& operator=(const chunk&) = delete;
  ~chunk() {
    // Every claimed index was filled: claim() and fill() are adjacent and
    // the claimer holds a reference to this chunk until after both.
    const std::size_t n = claimed_.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i) filled(i).~slot();
  }

  // Index i and v if i is the next free index; false otherwise.
  bool append(std::size_t i, const slot& v) noexcept {
    std::uint8_t expected = static_cast<std::uint8_t>(i);
    if (i >= cap || !claimed_.compare_exchange_strong(expected, static_cast<std::uint8_t>(i + 1),
                                                      std::memory_order_acq_rel))
      return false;
    ::new (static_cast<void*>(&storage_[i])) slot(v);
    return true;
  }

  const slot& at(std::size_t i) const noexcept {
    return *std::launder(reinterpret_cast<const slot*>(&storage_[i]));
  }

private:
  slot& filled(std::size_t i) noexcept {
    return *std::launder(reinterpret_cast<slot*>(&storage_[i]));
  }

  std::atomic<std::uint8_t> claimed_{0};
  struct alignas(slot) raw {
    unsigned char bytes[sizeof(slot)];
  };
  raw storage_[cap];
};

// Which part of its chunk (or of its view, see tlist::end) an end sees:
// [lo, hi), and on which side of it the end's outer element is (the first
// element for the front, the last for the back). Small enough for an
// unboxed tvar: moving within a chunk or a view, as pushes and pops do,
// writes a word and allocates nothing.
struct end_span {
  std::uint16_t lo = 0, hi = 0;
  bool outer_at_hi = true;  // pushes append at hi; false after a take-over
  bool view = false;        // [lo, hi) indexes the end's tree, not a chunk
  std::size_t size() const noexcept { return std::size_t(hi) - lo; }
};

}  // namespace tl
}  // namespace detail

}  // namespace stm
}  // namespace boost

#endif
