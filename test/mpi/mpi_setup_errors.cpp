// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// mpi_executor's construction errors: MPI not initialised, ranks whose
// registries disagree, a name registered for two functions. Each must fail
// on every rank, with a message that says what to do, and never hang.

#define BOOST_TEST_MODULE mpi_setup_errors
#define BOOST_TEST_NO_MAIN
#include <boost/stm/mpi_executor.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

namespace stm = boost::stm;
namespace mpi = boost::mpi;

namespace {
int one(int) { return 1; }
int two(int) { return 2; }
int three(int) { return 3; }
std::string uninitialised_message;
}  // namespace

BOOST_STM_REMOTE(one)

BOOST_AUTO_TEST_CASE(mpi_not_initialised) {
  BOOST_TEST(uninitialised_message.find("MPI is not initialised") != std::string::npos);
  BOOST_TEST(uninitialised_message.find("threading::serialized") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ranks_that_disagree_all_fail) {
  mpi::communicator world;
  { stm::mpi_executor agree{world}; }  // same registry everywhere: fine
  if (world.size() == 1) return;
  // Rank 1 alone registers one more function.
  if (world.rank() == 1) stm::detail::mpi::register_remote<&two>("two");
  try {
    stm::mpi_executor ex{world};
    BOOST_FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("rank 1 registers 'two : int (int)'") != std::string::npos, what);
  }
}

// Last: it leaves the registry broken for good.
BOOST_AUTO_TEST_CASE(name_registered_twice) {
  mpi::communicator world;
  if (world.rank() == 0) stm::detail::mpi::register_remote<&three>("one");
  try {
    stm::mpi_executor ex{world};
    BOOST_FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("on rank 0, the name 'one' is registered for two functions") !=
                   std::string::npos,
               what);
  }
}

int main(int argc, char** argv) {
  try {
    stm::mpi_executor ex{mpi::communicator()};
  } catch (const stm::invalid_state_error& e) {
    uninitialised_message = e.what();
  }
  mpi::environment env{argc, argv, mpi::threading::serialized};
  return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
