// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A program outside the library that uses it the way a user would; built by
// test/consumer/subdir (add_subdirectory) and test/consumer/installed
// (find_package after an install).
#include <boost/stm.hpp>

int main()
{
    boost::stm::tvar<int> x{1};
    boost::stm::atomically([&] { x.set(x.get() + 1); });
    return x.get() == 2 ? 0 : 1;
}
