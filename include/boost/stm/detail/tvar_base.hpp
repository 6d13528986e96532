#ifndef BOOST_STM_DETAIL_TVAR_BASE_HPP_INCLUDED
#define BOOST_STM_DETAIL_TVAR_BASE_HPP_INCLUDED

#include <boost/stm/detail/config.hpp>

#include <atomic>
#include <cstdint>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// A value of a tvar. Published values are immutable; a write makes a new one
// and the old one is retired (see ebr.hpp) once no running transaction can
// still be reading it.
struct node_base {
  virtual ~node_base() = default;
};

template <class T>
struct node final : node_base {
  template <class... A>
  explicit node(A&&... a) : value(std::forward<A>(a)...) {}
  T value;
};

struct tvar_meta;  // waiters and watchers; allocated on first use

// The type-independent part of a tvar: a versioned lock and a value pointer
// (TL2). vlock_ holds version << 1, with bit 0 set while a commit holds it.
class BOOST_STM_DECL tvar_base {
public:
  explicit tvar_base(node_base* initial) noexcept : value_(initial) {}
  ~tvar_base();
  tvar_base(const tvar_base&) = delete;
  tvar_base& operator=(const tvar_base&) = delete;

  std::atomic<std::uint64_t> vlock_{0};
  std::atomic<node_base*> value_;
  // Bit 0: the waiter list may be non-empty. Bits 1..: number of watchers.
  // A commit that finds 0 here touches no wait or watch structure.
  std::atomic<std::uint32_t> flags_{0};
  std::atomic<tvar_meta*> meta_{nullptr};

  static constexpr std::uint32_t has_waiters = 1;
  static constexpr std::uint32_t one_watcher = 2;
};

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
