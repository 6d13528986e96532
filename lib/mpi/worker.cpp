// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The workers' loop: every rank but the root runs task messages until the
// root says stop.

#include "mpi/executor_impl.hpp"
#include "mpi/wire.hpp"

namespace boost {
namespace stm {

void mpi_executor::impl::serve() {
  detail::mpi::backoff idle;
  std::vector<char> in;
  std::string out;
  detail::mpi::batch_output scratch;
  for (;;) {
    auto st = comm.iprobe(root, boost::mpi::any_tag);
    if (!st) {
      idle.pause();
      continue;
    }
    idle.reset();
    if (st->tag() == detail::mpi::tag_stop) {
      comm.recv(root, detail::mpi::tag_stop);
      return;
    }
    in.resize(static_cast<std::size_t>(st->count<char>().value_or(0)));
    comm.recv(root, detail::mpi::tag_task, in.data(), static_cast<int>(in.size()));
    detail::mpi::run_batch(table, in.data(), in.size(), scratch, out);
    comm.send(root, detail::mpi::tag_result, out.data(), static_cast<int>(out.size()));
  }
}

}  // namespace stm
}  // namespace boost
