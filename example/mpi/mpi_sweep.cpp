// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// A parameter sweep across the ranks of an MPI job: every rank runs this
// program (mpirun -np 4 ./example_mpi_sweep); rank 0 hands out the grid
// points and collects the results, the others evaluate them.

//[mpi_sweep_function
#include <boost/stm/mpi_executor.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

namespace stm = boost::stm;

// One point of the sweep: it travels to a worker with Boost.Serialization.
struct params {
  double damping = 0;
  double stiffness = 0;
  template <class Archive>
  void serialize(Archive& ar, unsigned) {
    ar & damping & stiffness;
  }
};

// The expensive part: how far an oscillator has settled after 10 seconds.
double settle(params p) {
  double x = 1, v = 0;
  const double dt = 1e-4;
  for (int i = 0; i < 100000; ++i) {
    v += (-p.stiffness * x - p.damping * v) * dt;
    x += v * dt;
  }
  return std::abs(x);
}
BOOST_STM_REMOTE(settle)  // every rank registers it under the name "settle"
//]

int main(int argc, char** argv) {
  //[mpi_sweep_main
  boost::mpi::environment env{argc, argv, boost::mpi::threading::serialized};
  stm::mpi_executor ex{boost::mpi::communicator()};
  if (!ex.is_root()) return 0;  // a worker: it served until the root shut down

  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int steps = quick ? 6 : 20;
  std::vector<params> grid;
  for (int d = 0; d < steps; ++d)
    for (int k = 1; k <= steps; ++k) grid.push_back(params{0.4 * d, 0.5 * k});

  // Eight points per message: fewer round trips, still spread over the ranks.
  params best{};
  double best_left = 1e300;
  std::size_t i = 0;
  for (double left : ex.map(settle, grid, /*chunksize=*/8)) {
    if (left < best_left) best_left = left, best = grid[i];
    ++i;
  }
  std::printf("%zu points on %zu worker(s): damping %.1f, stiffness %.1f settles to %.2e\n",
              grid.size(), ex.workers(), best.damping, best.stiffness, best_left);
  //]
  return best_left < 1e-3 ? 0 : 1;
}
