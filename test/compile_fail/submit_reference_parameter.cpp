// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// submit() copies its arguments and moves the copies into the call, as
// std::async does, so a function taking a non-const lvalue reference cannot
// be called with them: pass std::ref(x) to share the caller's object.
// expected-error: must be callable with moved copies of args
#include <boost/stm/thread_pool_executor.hpp>

#include <string>

int main() {
  boost::stm::thread_pool_executor ex{1};
  std::string s;
  auto f = ex.submit([](std::string& x) { return x.size(); }, s);
}
