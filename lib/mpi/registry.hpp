// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to Boost::stm_mpi: the functions BOOST_STM_REMOTE registered in
// this process, and the check that every rank registered the same ones.
#ifndef BOOST_STM_LIB_MPI_REGISTRY_HPP_INCLUDED
#define BOOST_STM_LIB_MPI_REGISTRY_HPP_INCLUDED

#include <boost/stm/detail/mpi/registry.hpp>

#include <boost/mpi/communicator.hpp>

#include <map>
#include <string>
#include <vector>

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

struct registered {
  std::string signature;
  invoker call;
  fn_address address;
};

struct registry {
  std::map<std::string, registered> functions;  // ordered: indices agree across ranks
  std::vector<std::string> errors;  // names registered for two functions
};

registry& the_registry();

// Collective over `comm`. Every rank sees every rank's registry and errors,
// so all of them throw std::invalid_argument (or none) and nobody waits for
// a rank that gave up.
void check_registries(const boost::mpi::communicator& comm, int root);

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
