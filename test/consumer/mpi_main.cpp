// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Links Boost::stm_mpi from the installed package and runs one task on a
// single rank (MPI singleton start, no mpirun needed).
#include <boost/stm/mpi_executor.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include <cstdio>

int twice(int x) { return 2 * x; }
BOOST_STM_REMOTE(twice)

int main(int argc, char** argv) {
  boost::mpi::environment env{argc, argv, boost::mpi::threading::serialized};
  boost::stm::mpi_executor ex{boost::mpi::communicator()};
  if (!ex.is_root()) return 0;
  const int r = ex.submit(twice, 21).get();
  std::printf("twice(21) = %d on %zu worker(s)\n", r, ex.workers());
  return r == 42 ? 0 : 1;
}
