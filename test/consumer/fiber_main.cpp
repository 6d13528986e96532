// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A program outside the library that runs tasks as fibers: built by
// test/consumer/pkgconfig against boost_stm_fiber.pc.
#include <boost/stm.hpp>

int main()
{
    boost::stm::tvar<int> x{0};
    boost::stm::fiber_executor fx{1};
    auto waiter = fx.submit([&] {
        return boost::stm::atomically([&] { if (x.get() == 0) boost::stm::retry(); return x.get(); });
    });
    boost::stm::atomically([&] { x.set(7); });
    return waiter.get() == 7 ? 0 : 1;
}
