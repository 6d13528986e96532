// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The registry of remote functions, and its check across the ranks.

#include "mpi/registry.hpp"

#include <boost/mpi/collectives/all_gather.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

registry& the_registry() {
  static registry r;
  return r;
}

bool register_function(const char* name, std::string signature, invoker call,
                       fn_address address) noexcept {
  try {
    registry& r = the_registry();
    auto found = r.functions.find(name);
    if (found == r.functions.end()) {
      r.functions.emplace(name, registered{std::move(signature), call, address});
    } else if (found->second.address != address) {
      r.errors.push_back(std::string("the name '") + name + "' is registered for two functions");
    }
  } catch (...) {
    std::fprintf(stderr, "boost::stm: BOOST_STM_REMOTE(%s) ran out of memory\n", name);
  }
  return true;
}

namespace {

std::string registry_fingerprint() {
  std::string s;
  for (const auto& f : the_registry().functions) s += f.first + " : " + f.second.signature + "\n";
  return s;
}

// The first line of `a` missing from `b`, or empty.
std::string first_missing(const std::string& a, const std::string& b) {
  std::istringstream in(a);
  std::string line;
  while (std::getline(in, line))
    if (b.find(line + "\n") == std::string::npos) return line;
  return {};
}

}  // namespace

void check_registries(const boost::mpi::communicator& comm, int root) {
  const int size = comm.size();
  std::vector<std::string> local{registry_fingerprint()};
  for (const std::string& e : the_registry().errors) local.push_back(e);
  std::vector<std::vector<std::string>> all;
  boost::mpi::all_gather(comm, local, all);
  for (int r = 0; r < size; ++r) {
    const auto& mine = all[static_cast<std::size_t>(r)];
    if (mine.size() > 1)
      throw std::invalid_argument("boost::stm::mpi_executor: on rank " + std::to_string(r) + ", " +
                                  mine[1] + "; give each BOOST_STM_REMOTE function its own name");
    const std::string& theirs = all[static_cast<std::size_t>(root)][0];
    if (mine[0] == theirs) continue;
    std::string extra = first_missing(mine[0], theirs);
    std::string missing = first_missing(theirs, mine[0]);
    throw std::invalid_argument(
        "boost::stm::mpi_executor: the ranks do not register the same remote functions: " +
        (extra.empty() ? std::string()
                       : "rank " + std::to_string(r) + " registers '" + extra + "' and root " +
                             std::to_string(root) + " does not; ") +
        (missing.empty() ? std::string()
                         : "root " + std::to_string(root) + " registers '" + missing +
                               "' and rank " + std::to_string(r) + " does not; ") +
        "every rank must link the same BOOST_STM_REMOTE lines");
  }
}

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost
