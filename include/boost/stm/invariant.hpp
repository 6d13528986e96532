#ifndef BOOST_STM_INVARIANT_HPP_INCLUDED
#define BOOST_STM_INVARIANT_HPP_INCLUDED

#include <boost/stm/errors.hpp>
#include <boost/stm/watch.hpp>

#include <utility>

namespace boost {
namespace stm {

// f must hold at this transaction's commit and at every later commit that
// writes what f read; a commit that makes it false throws invariant_error
// from its atomically() and is rolled back. The invariant lives as long as
// the tvars it reads.
template <class F>
void invariant(F&& f) {
  auto check = [](bool ok) {
    if (!ok)
      throw invariant_error(
          "stm: a commit would break an invariant registered with stm::invariant(); "
          "the transaction was rolled back");
  };
  watch([g = std::forward<F>(f)]() mutable -> bool { return static_cast<bool>(g()); }, check)
      .detach();
}

}  // namespace stm
}  // namespace boost

#endif
