#ifndef BOOST_STM_DETAIL_EBR_HPP_INCLUDED
#define BOOST_STM_DETAIL_EBR_HPP_INCLUDED

#include <boost/stm/detail/config.hpp>
#include <boost/stm/detail/tvar_base.hpp>

#include <cstddef>

namespace boost {
namespace stm {
namespace detail {

// Epoch-based reclamation of tvar values. A thread inside a critical section
// (every transaction attempt, every read outside a transaction) may hold raw
// pointers to values; a retired value is freed only once every thread that
// was inside a critical section when it was retired has left it.
namespace ebr {
BOOST_STM_DECL void enter() noexcept;
BOOST_STM_DECL void exit() noexcept;
BOOST_STM_DECL void retire(node_base* n);
// Makes room for n more retire() calls by this thread inside its current
// critical section, so that those cannot throw (a commit reserves before it
// publishes anything). May throw std::bad_alloc.
BOOST_STM_DECL void reserve(std::size_t n);

struct guard {
  guard() noexcept { enter(); }
  ~guard() { exit(); }
  guard(const guard&) = delete;
  guard& operator=(const guard&) = delete;
};
}  // namespace ebr

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
