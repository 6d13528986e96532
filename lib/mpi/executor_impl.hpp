// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to Boost::stm_mpi: the state of an mpi_executor, shared by its
// public members (mpi_executor.cpp), the workers' loop (worker.cpp) and the
// root's progress thread (progress.cpp).
#ifndef BOOST_STM_LIB_MPI_EXECUTOR_IMPL_HPP_INCLUDED
#define BOOST_STM_LIB_MPI_EXECUTOR_IMPL_HPP_INCLUDED

#include <boost/stm/mpi_executor.hpp>
#include <boost/stm/tqueue.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/status.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace boost {
namespace stm {

struct mpi_executor::impl {
  boost::mpi::communicator comm;
  int root = 0;
  std::vector<detail::mpi::invoker> table;
  std::unordered_map<detail::mpi::fn_address, std::uint32_t> index;

  // The root's queue of chunks not yet sent. Only the progress thread takes
  // from it, so a rank is handed work only when it is free.
  tqueue<batch_ptr> queue;
  std::thread progress;
  std::mutex join_mutex;

  // Owned by the progress thread alone: the free ranks (the one that went
  // free last on top) and what each rank is running.
  std::vector<int> free_ranks;
  std::vector<batch_ptr> slots;
  std::size_t in_flight = 0;
  // Message buffers, kept from one message to the next.
  std::string message;
  std::vector<char> received;
  detail::mpi::batch_output scratch;

  void serve();
  void run_progress(mpi_executor& owner);
  bool dispatch(mpi_executor& owner);
  void send(int rank, batch_ptr b);
  void finish(detail::mpi::batch& b, const char* data, std::size_t size, int rank);
  void receive(const boost::mpi::status& st);
};

namespace detail {
namespace mpi {

// Idle polling: yield a while, then sleep, doubling up to a limit, so that
// idle ranks leave the cores to busy ones (mpirun --oversubscribe).
class backoff {
public:
  void reset() noexcept { n_ = 0; }
  void pause() {
    if (n_ < 128) {
      ++n_;
      std::this_thread::yield();
      return;
    }
    const unsigned shift = std::min(n_ - 128, 10u);
    ++n_;
    std::this_thread::sleep_for(std::chrono::microseconds(std::min(1u << shift, 1000u)));
  }

private:
  unsigned n_ = 0;
};

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
