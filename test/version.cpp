// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE version
#include <boost/test/unit_test.hpp>

#include <boost/stm/version.hpp>

#include <string>

// The contract of section 10: the number is BOOST_VERSION's encoding of the
// string, so that "#if BOOST_STM_VERSION >= 100" means "0.1.0 or later".
static_assert(BOOST_STM_VERSION >= 100, "BOOST_STM_VERSION is major * 100000 + minor * 100 + patch");

BOOST_AUTO_TEST_CASE(number_encodes_the_string) {
  std::string const s = BOOST_STM_VERSION_STRING;
  auto const dot1 = s.find('.');
  auto const dot2 = s.find('.', dot1 + 1);
  BOOST_TEST_REQUIRE(dot1 != std::string::npos);
  BOOST_TEST_REQUIRE(dot2 != std::string::npos);
  int const major = std::stoi(s.substr(0, dot1));
  int const minor = std::stoi(s.substr(dot1 + 1, dot2 - dot1 - 1));
  int const patch = std::stoi(s.substr(dot2 + 1));
  BOOST_TEST(minor < 1000);
  BOOST_TEST(patch < 100);
  BOOST_TEST(BOOST_STM_VERSION == major * 100000 + minor * 100 + patch);
}
