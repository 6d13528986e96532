// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_MPI_REMOTE_JOB_HPP_INCLUDED
#define BOOST_STM_DETAIL_MPI_REMOTE_JOB_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/executors/future_state.hpp>
#include <boost/stm/detail/executors/job.hpp>
#include <boost/stm/detail/mpi/registry.hpp>
#include <boost/stm/detail/mpi/serialize.hpp>
#include <boost/stm/task.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

// A result message as the progress thread parsed (and checked) it: per
// call its status (call_skipped for each call not sent), the exceptions of
// the calls that failed, in order, and the results of those that returned,
// as one item_writer of the result type wrote them. `read_failure` makes
// the error of a result that cannot be read, from the current exception.
struct batch_reply {
  const char* status;
  const std::exception_ptr* errors;
  const char* values;
  std::size_t values_size;
  std::exception_ptr (*read_failure)(int rank);
  int rank;
};

// Calls of one registered function that travel as one message each way and
// end in one commit: a map chunk, or one submit. Each call has a future
// state of its own, so each is cancelled and fails on its own. The
// arguments of all the calls are in one buffer, written by one item_writer.
//
// begin() (inside the transaction that takes the batch off the queue)
// claims each pending call for the worker, as job::begin does; mark_sent()
// then notes which ones it claimed (the others were cancelled before), and
// finish() or fail() end exactly those, in one commit. complete() with a failure ends the calls of a batch that
// was never sent (cancelled, or the executor broke), as job does.
class batch : public task_base {
public:
  batch(std::uint32_t fn, std::uint32_t size, std::string args)
      : fn(fn), size(size), args(std::move(args)) {}
  void run() override {}  // never run on a pool: the progress thread sends it

  // After begin() committed: fills `sent`, a byte per call, 1 where it goes
  // (so the worker runs it); false if none does.
  virtual bool mark_sent() = 0;
  // Stores the outcomes of the sent calls, then ends them in one commit.
  virtual void finish(const batch_reply& reply) = 0;
  // Ends every sent call with `e`, in one commit.
  virtual void fail(std::exception_ptr e) = 0;

  const std::uint32_t fn;
  const std::uint32_t size;
  const std::string args;
  std::string sent;  // the progress thread's alone
};

template <class R>
class batch_of final : public batch {
public:
  batch_of(std::uint32_t fn, std::uint32_t size, std::string args)
      : batch(fn, size, std::move(args)), calls_(new call_state[size]) {}

  future_state<R>& at(std::size_t i) noexcept { return calls_[i]; }

  void begin() override {
    for (std::uint32_t i = 0; i < size; ++i) calls_[i].claim(runner::worker);
  }

  bool mark_sent() override {
    sent.assign(size, 0);
    bool any = false;
    for (std::uint32_t i = 0; i < size; ++i)
      if (calls_[i].claimed_by(runner::worker)) sent[i] = 1, any = true;
    return any;
  }

  void finish(const batch_reply& reply) override {
    const std::exception_ptr* error = reply.errors;
    if constexpr (std::is_void<R>::value) {
      for (std::uint32_t i = 0; i < size; ++i)
        if (reply.status[i] == call_failed) calls_[i].error = *error++;
    } else {
      std::optional<item_reader<R>> values;
      std::exception_ptr unreadable;
      for (std::uint32_t i = 0; i < size; ++i) {
        if (reply.status[i] == call_failed) {
          calls_[i].error = *error++;
        } else if (reply.status[i] == call_returned) {
          // After one result cannot be read, neither can the rest.
          if (!unreadable) {
            try {
              if (!values) values.emplace(reply.values, reply.values_size);
              std::tuple<R> r;
              values->read(r);
              calls_[i].value.emplace(std::move(std::get<0>(r)));
              continue;
            } catch (...) {
              unreadable = reply.read_failure(reply.rank);
            }
          }
          calls_[i].error = unreadable;
        }
      }
    }
    end_sent();
  }

  void fail(std::exception_ptr e) override {
    for (std::uint32_t i = 0; i < size; ++i)
      if (sent[i]) calls_[i].error = e;
    end_sent();
  }

  void complete(std::exception_ptr failure) override {
    for (std::uint32_t i = 0; i < size; ++i) end_unsent(calls_[i], failure);
  }

private:
  struct call_state : future_state<R> {
    std::exception_ptr error;
  };

  void end_sent() {
    atomically([&] {
      for (std::uint32_t i = 0; i < size; ++i)
        if (sent[i]) calls_[i].finish(future_code::finished, calls_[i].error);
    });
  }

  std::unique_ptr<call_state[]> calls_;
};

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
