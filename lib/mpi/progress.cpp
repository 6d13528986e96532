// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The root's progress thread: hands queued batches to free ranks, and ends
// their calls as the result messages come back.

#include "mpi/executor_impl.hpp"
#include "mpi/wire.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>

#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

namespace boost {
namespace stm {

namespace bmpi = boost::mpi;
using detail::mpi::batch;
using detail::mpi::batch_reply;
using detail::mpi::describe_current_exception;
using detail::mpi::reader;
using detail::mpi::tag_result;
using detail::mpi::tag_stop;
using detail::mpi::tag_task;

// Reads a result message into the batch's calls and ends them in one
// commit; a message that cannot be read fails them all.
void mpi_executor::impl::finish(batch& b, const char* data, std::size_t size, int rank) {
  std::vector<std::exception_ptr> errors;
  batch_reply reply{};
  try {
    reader in{data, data + size};
    if (in.take(1)[0] == 0) {
      std::string type = in.string();
      std::string what = in.string();
      return b.fail(std::make_exception_ptr(remote_error(type, what, rank)));
    }
    reply.status = in.take(b.size);
    const std::uint32_t errors_size = in.u32();
    reader failures{in.take(errors_size), in.p};
    for (std::uint32_t i = 0; i < b.size; ++i) {
      const char st = reply.status[i];
      if ((st == detail::mpi::call_skipped) != (b.sent[i] == 0) ||
          static_cast<unsigned char>(st) > detail::mpi::call_failed)
        throw std::runtime_error("the result message does not match the calls sent");
      if (st != detail::mpi::call_failed) continue;
      std::string type = failures.string();
      errors.push_back(std::make_exception_ptr(remote_error(type, failures.string(), rank)));
    }
    reply.errors = errors.data();
    reply.values = in.p;
    reply.values_size = static_cast<std::size_t>(in.end - in.p);
    reply.read_failure = &detail::mpi::result_read_failure;
    reply.rank = rank;
  } catch (...) {
    auto d = describe_current_exception();
    return b.fail(std::make_exception_ptr(remote_error(d.first, d.second, rank)));
  }
  b.finish(reply);
}

void mpi_executor::impl::send(int rank, batch_ptr b) {
  detail::mpi::write_task(*b, message);
  if (rank == comm.rank()) {  // a single rank: run it here
    std::string out;
    detail::mpi::run_batch(table, message.data(), message.size(), scratch, out);
    finish(*b, out.data(), out.size(), rank);
    free_ranks.push_back(rank);
    return;
  }
  comm.send(rank, tag_task, message.data(), static_cast<int>(message.size()));
  slots[static_cast<std::size_t>(rank)] = std::move(b);
  ++in_flight;
}

void mpi_executor::impl::receive(const bmpi::status& st) {
  received.resize(static_cast<std::size_t>(st.count<char>().value_or(0)));
  comm.recv(st.source(), tag_result, received.data(), static_cast<int>(received.size()));
  batch_ptr b = std::move(slots[static_cast<std::size_t>(st.source())]);
  free_ranks.push_back(st.source());
  --in_flight;
  finish(*b, received.data(), received.size(), st.source());
}

// Takes as many batches as there are free ranks and sends them. Blocks (in
// the STM, without polling) while there is nothing in flight and nothing
// queued. Returns false once shut down with nothing left to do.
bool mpi_executor::impl::dispatch(mpi_executor& owner) {
  std::vector<batch_ptr> out;
  bool stop = false;
  atomically([&] {
    out.clear();
    stop = false;
    while (out.size() < free_ranks.size()) {
      std::optional<batch_ptr> b = queue.try_pop();
      if (!b) break;
      (*b)->begin();
      out.push_back(std::move(*b));
    }
    if (out.empty() && in_flight == 0) {
      if (owner.is_shutdown()) {
        stop = true;
        return;
      }
      retry();
    }
  });
  if (stop) return false;
  for (batch_ptr& b : out) {
    // Calls cancelled before they were taken are not run.
    if (!b->mark_sent()) continue;
    const int rank = free_ranks.back();
    free_ranks.pop_back();
    send(rank, std::move(b));
  }
  return true;
}

void mpi_executor::impl::run_progress(mpi_executor& owner) {
  try {
    detail::mpi::backoff idle;
    for (;;) {
      bool busy = false;
      while (in_flight > 0) {
        auto st = comm.iprobe(bmpi::any_source, tag_result);
        if (!st) break;
        receive(*st);
        busy = true;
      }
      const std::size_t before = in_flight;
      if (!free_ranks.empty() || in_flight == 0) {
        if (!dispatch(owner)) break;
        busy = busy || in_flight != before || in_flight == 0;
      }
      if (busy)
        idle.reset();
      else
        idle.pause();
    }
    for (int r = 0; r < comm.size(); ++r)
      if (r != root) comm.send(r, tag_stop);
  } catch (...) {
    // An MPI error: nothing more can be sent or received. Everything
    // queued or in flight fails with it.
    auto d = describe_current_exception();
    auto reason = std::make_exception_ptr(broken_executor(
        "boost::stm::mpi_executor: the progress thread failed (" + d.first + ": " + d.second +
        "); the executor is broken"));
    for (batch_ptr& b : slots)
      if (b) std::exchange(b, nullptr)->fail(reason);
    owner.break_executor(reason);
  }
}

}  // namespace stm
}  // namespace boost
