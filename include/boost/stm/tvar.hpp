#ifndef BOOST_STM_TVAR_HPP_INCLUDED
#define BOOST_STM_TVAR_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/ebr.hpp>
#include <boost/stm/detail/transaction.hpp>
#include <boost/stm/detail/tvar_base.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {

// A transactional variable. Inside atomically() reads and writes are part of
// the transaction; outside, get() is one consistent read and set() is a
// transaction of its own. Neither copyable nor movable: transactions and
// waiters refer to it by address.
template <class T>
class tvar {
  static_assert(std::is_copy_constructible<T>::value,
                "tvar<T> needs a copyable T: reads return copies");

public:
  using value_type = T;

  tvar() : base_(new detail::node<T>()) {}
  explicit tvar(const T& v) : base_(new detail::node<T>(v)) {}
  explicit tvar(T&& v) : base_(new detail::node<T>(std::move(v))) {}
  template <class... A, class = std::enable_if_t<
                            (sizeof...(A) > 1) &&
                            std::is_constructible<T, A&&...>::value>>
  explicit tvar(A&&... a) : base_(new detail::node<T>(std::forward<A>(a)...)) {}

  tvar(const tvar&) = delete;
  tvar& operator=(const tvar&) = delete;

  T get() const {
    if (detail::transaction* tx = detail::current())
      return static_cast<const detail::node<T>*>(detail::read(*tx, base_))->value;
    detail::ebr::guard g;
    return static_cast<const detail::node<T>*>(detail::read_committed(base_))->value;
  }

  void set(const T& v) { assign(new detail::node<T>(v)); }
  void set(T&& v) { assign(new detail::node<T>(std::move(v))); }

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

  detail::tvar_base& base() noexcept { return base_; }

private:
  void assign(detail::node<T>* n) {
    if (detail::transaction* tx = detail::current()) return detail::write(*tx, base_, n);
    std::unique_ptr<detail::node<T>> owned(n);
    atomically([&] {
      // Each attempt writes its own copy: the transaction owns what it writes.
      detail::write(*detail::current(), base_, new detail::node<T>(owned->value));
    });
  }

  mutable detail::tvar_base base_;
};

}  // namespace stm
}  // namespace boost

#endif
