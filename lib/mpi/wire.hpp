// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to Boost::stm_mpi: the messages between the root and the workers.
//
// A task message: function index, number of calls n, a run byte per call
// (0 for a call cancelled before it was sent), then the calls' arguments as
// one item_writer of the parameter types wrote them.
// A result message: 1, a status byte per call (see batch_output), the
// size and bytes of the failures' type names and messages, then the
// results; or, if the batch failed as a whole (its arguments or a result
// could not be read or written), 0, the type name and the message.
#ifndef BOOST_STM_LIB_MPI_WIRE_HPP_INCLUDED
#define BOOST_STM_LIB_MPI_WIRE_HPP_INCLUDED

#include <boost/stm/detail/mpi/registry.hpp>
#include <boost/stm/detail/mpi/remote_job.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

// The MPI tags: a task message to a worker, its result message back, and
// the root's word to a worker that there is no more work.
constexpr int tag_task = 1;
constexpr int tag_result = 2;
constexpr int tag_stop = 3;

// Reads a message front to back; throws std::runtime_error past its end.
struct reader {
  const char* p;
  const char* end;
  std::uint32_t u32() {
    if (end - p < 4) throw std::runtime_error("truncated message");
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    p += 4;
    return v;
  }
  const char* take(std::size_t n) {
    if (static_cast<std::size_t>(end - p) < n) throw std::runtime_error("truncated message");
    const char* b = p;
    p += n;
    return b;
  }
  std::string string() {
    const std::uint32_t n = u32();
    return std::string(take(n), n);
  }
};

// Writes the task message of a batch (after mark_sent()) into `out`.
void write_task(const batch& b, std::string& out);

// Runs a task message's calls with the functions of `table` (the registry's
// order) and writes the result message into `out`; `scratch` is kept from
// one batch to the next.
void run_batch(const std::vector<invoker>& table, const char* data, std::size_t size,
               batch_output& scratch, std::string& out);

// Inside a catch handler: the error of a result that arrived from `rank`
// but cannot be deserialized (batch_reply::read_failure).
std::exception_ptr result_read_failure(int rank);

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
