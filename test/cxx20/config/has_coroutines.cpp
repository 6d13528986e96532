// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Compiles only where C++20 coroutines are available (b2's configure check
// for the programs under cxx20/).
#include <coroutine>
#ifndef __cpp_impl_coroutine
#error "no C++20 coroutines"
#endif
int main() { return 0; }
