// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Writing task messages, running them into result messages (see wire.hpp).

#include "mpi/wire.hpp"

#include <boost/stm/mpi_executor.hpp>

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

void write_task(const batch& b, std::string& out) {
  out.clear();
  out.reserve(8 + b.size + b.args.size());
  put_u32(out, b.fn);
  put_u32(out, b.size);
  out += b.sent;
  out += b.args;
}

void run_batch(const std::vector<invoker>& table, const char* data, std::size_t size,
               batch_output& scratch, std::string& out) {
  out.clear();
  scratch.status.clear();
  scratch.errors.clear();
  scratch.values.clear();
  try {
    reader in{data, data + size};
    const std::uint32_t fn = in.u32();
    const std::uint32_t n = in.u32();
    const char* run = in.take(n);
    if (fn >= table.size()) throw std::runtime_error("no registered function has this index");
    table[fn](in.p, static_cast<std::size_t>(in.end - in.p), n, run, scratch);
    out.reserve(1 + scratch.status.size() + 4 + scratch.errors.size() + scratch.values.size());
    out.push_back(1);
    out += scratch.status;
    put_bytes(out, scratch.errors);
    out += scratch.values;
  } catch (...) {
    auto d = describe_current_exception();
    out.clear();
    out.push_back(0);
    put_bytes(out, d.first);
    put_bytes(out, d.second);
  }
}

std::exception_ptr result_read_failure(int rank) {
  auto d = describe_current_exception();
  return std::make_exception_ptr(
      remote_error(d.first, "the result could not be deserialized: " + d.second, rank));
}

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost
