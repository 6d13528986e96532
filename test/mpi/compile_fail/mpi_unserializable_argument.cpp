// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// An argument type that Boost.Serialization cannot write does not compile,
// and the error names the type.
// (CMake's "." matches a newline too: the two may be lines apart.)
// expected-error: must_be_serializable<opaque>.*does not travel with Boost.Serialization
#include <boost/stm/mpi_executor.hpp>

struct opaque {
  int handle = 0;
};
int use(opaque o) { return o.handle; }
BOOST_STM_REMOTE(use)

int main() {}
