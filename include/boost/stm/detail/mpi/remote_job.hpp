// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_MPI_REMOTE_JOB_HPP_INCLUDED
#define BOOST_STM_DETAIL_MPI_REMOTE_JOB_HPP_INCLUDED

#include <boost/stm/detail/future_state.hpp>
#include <boost/stm/detail/job.hpp>
#include <boost/stm/detail/mpi/serialize.hpp>
#include <boost/stm/task.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

// One call of a registered function, as the root's progress thread sees it:
// which function, its serialized arguments, and where its outcome goes.
// begin() (inside the transaction that takes it off the queue) marks the
// future running; the outcome is stored outside any transaction
// (set_result / set_error), then published by complete(nullptr) inside the
// transaction that ends its chunk. complete() with a failure ends a call
// that was never sent (cancelled, or the executor broke), as job does.
class call : public task_base {
public:
  call(std::uint32_t fn, std::string args) : fn(fn), args(std::move(args)) {}
  void run() override {}  // never run on a pool: the progress thread sends it
  // Whether begin() made it running (not cancelled before it was sent).
  virtual bool sent() const = 0;
  // The result, as the invoker wrote it; a failure to read it is stored as
  // the call's error, made by `on_failure` from the current exception.
  virtual void set_result(const char* data, std::size_t size,
                          std::exception_ptr (*on_failure)(int rank), int rank) noexcept = 0;
  virtual void set_error(std::exception_ptr e) noexcept = 0;

  const std::uint32_t fn;
  const std::string args;
};

template <class R>
class remote_job final : public call, public future_state<R> {
public:
  using call::call;

  void begin() override { this->mark_running(); }
  bool sent() const override { return this->code() == future_code::running; }

  void set_result(const char* data, std::size_t size, std::exception_ptr (*on_failure)(int),
                  int rank) noexcept override {
    if constexpr (!std::is_void<R>::value) {
      try {
        std::tuple<R> r;
        unpack(data, size, r);
        this->value.emplace(std::move(std::get<0>(r)));
      } catch (...) {
        error_ = on_failure(rank);
      }
    } else {
      (void)data, (void)size, (void)on_failure, (void)rank;
    }
  }
  void set_error(std::exception_ptr e) noexcept override { error_ = std::move(e); }

  void complete(std::exception_ptr failure) override {
    if (!failure) return this->finish(future_code::finished, error_);
    end_unsent(*this, std::move(failure));
  }

private:
  std::exception_ptr error_;
};

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
