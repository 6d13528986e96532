// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_ERRORS_HPP_INCLUDED
#define BOOST_STM_ERRORS_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <stdexcept>
#include <string>

namespace boost {
namespace stm {

// Misuse of the transactional API: retry() outside a transaction or with
// nothing to wait for, elapsed() outside a transaction, retry() in a watcher.
class usage_error : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

// A watcher cascade (callbacks re-triggering watchers) that did not settle.
class watch_cascade_error : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

// An invariant was false at the commit of the transaction that broke it.
class invariant_error : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

// Executors and futures.
class cancelled_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class timeout_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class shutdown_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class broken_executor : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class invalid_state_error : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

}  // namespace stm
}  // namespace boost

#endif
