// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_VERSION_HPP_INCLUDED
#define BOOST_STM_VERSION_HPP_INCLUDED

// The version of this library, encoded as BOOST_VERSION is:
// major * 100000 + minor * 100 + patch. It is the version of the CMake
// package (project(boost_stm VERSION ...)), which CMake checks against this
// line at configure time, so the two cannot drift apart.
#define BOOST_STM_VERSION 100

// The same as a string, "major.minor.patch".
#define BOOST_STM_VERSION_STRING "0.1.0"

#endif
