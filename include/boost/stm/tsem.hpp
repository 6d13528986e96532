// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TSEM_HPP_INCLUDED
#define BOOST_STM_TSEM_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/tvar.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace boost {
namespace stm {

// A transactional counting semaphore (GHC's TSem): one tvar holding the
// count, which may start (and, through no member, go) negative. Every
// member is transactional (it joins the current transaction, or runs as
// its own), so a wait() composes with or_else and with other tvars.
class tsem {
public:
  explicit tsem(std::ptrdiff_t initial = 0) : count_(initial) {}
  tsem(const tsem&) = delete;
  tsem& operator=(const tsem&) = delete;

  // Retries (blocks) while the count is 0 or less, then decrements it.
  void wait() {
    atomically([&] {
      std::ptrdiff_t c = count_.get();
      if (c <= 0) retry();
      count_.set(c - 1);
    });
  }

  // wait() without blocking: false, and nothing changed, where it retries.
  bool try_wait() {
    return atomically([&] {
      std::ptrdiff_t c = count_.get();
      if (c <= 0) return false;
      count_.set(c - 1);
      return true;
    });
  }

  // Adds n (default 1); n == 0 changes nothing. A negative n throws
  // std::invalid_argument (GHC's signalTSemN takes a Natural).
  void signal(std::ptrdiff_t n = 1) {
    if (n < 0)
      throw std::invalid_argument("boost::stm::tsem::signal(n): n is " + std::to_string(n) +
                                  "; it must be 0 or more (wait() is how the count goes down)");
    if (n == 0) return;
    atomically([&] { count_.set(count_.get() + n); });
  }

  // The count now (a transactional read).
  std::ptrdiff_t count() const { return count_.get(); }

private:
  tvar<std::ptrdiff_t> count_;
};

}  // namespace stm
}  // namespace boost

#endif
