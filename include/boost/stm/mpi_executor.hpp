// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_MPI_EXECUTOR_HPP_INCLUDED
#define BOOST_STM_MPI_EXECUTOR_HPP_INCLUDED

// An executor whose tasks run on the other ranks of an MPI communicator
// (mpi4py.futures.MPICommExecutor), in library Boost::stm_mpi. The core
// library never includes this header.

#include <boost/stm/detail/mpi/registry.hpp>
#include <boost/stm/detail/mpi/remote_job.hpp>
#include <boost/stm/executor.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/map_result.hpp>

#include <boost/mpi/communicator.hpp>
#include <boost/preprocessor/cat.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

// Registers a function (by its name as written, so qualified names work) on
// every rank that links this line, for mpi_executor::submit and map. Write
// it at namespace scope, once per function, after the function's
// declaration; every rank must register the same set.
#define BOOST_STM_REMOTE(fn)                                                             \
  namespace {                                                                            \
  [[maybe_unused]] const bool BOOST_PP_CAT(boost_stm_remote_registered_, __COUNTER__) = \
      ::boost::stm::detail::mpi::register_remote<&fn>(#fn);                              \
  }

namespace boost {
namespace stm {

// A task's exception, as it came back from the rank that ran it.
class BOOST_STM_MPI_DECL remote_error : public std::runtime_error {
public:
  remote_error(std::string type_name, std::string message, int rank);
  // The original exception's dynamic type, demangled ("unknown" for a
  // non-std exception), its what(), and the rank it was thrown on.
  const std::string& type_name() const noexcept { return type_name_; }
  const std::string& message() const noexcept { return message_; }
  int rank() const noexcept { return rank_; }

private:
  std::string type_name_;
  std::string message_;
  int rank_;
};

// Runs registered functions (BOOST_STM_REMOTE) on the ranks of a
// communicator. Every rank constructs it, collectively. On the root the
// constructor returns at once and the object is a client; on the other
// ranks it serves tasks and returns once the root has shut down. With a
// single rank the root runs the tasks itself, on its progress thread.
//
// On the root one progress thread makes every MPI call on the
// communicator's duplicate; a rank is sent a task (or a map chunk) only when
// it has none. While the executor lives, the root's other threads must not
// call MPI unless MPI was initialised with threading::multiple.
class BOOST_STM_MPI_DECL mpi_executor final : public executor {
public:
  // Collective on `comm`. Throws invalid_state_error if MPI is not
  // initialised or was initialised below threading::serialized,
  // std::invalid_argument if `root` is not a rank of `comm` or the ranks do
  // not register the same functions (names and signatures), or a name is
  // registered for two functions.
  explicit mpi_executor(const boost::mpi::communicator& comm, int root = 0);
  ~mpi_executor();

  bool is_root() const noexcept;
  int rank() const noexcept;
  // Ranks that run tasks: max(1, size - 1).
  std::size_t workers() const noexcept;

  // Calls f(a...) on a worker rank: the arguments are converted to f's
  // parameter types and serialized here. Throws std::invalid_argument if f
  // is not registered, invalid_state_error on a rank that is not the root,
  // shutdown_error after shutdown().
  template <class R, class... P, class... A>
  [[nodiscard]] future<R> submit(R (*f)(P...), A&&... a) {
    static_assert(sizeof...(P) == sizeof...(A),
                  "mpi_executor::submit(f, args...): pass exactly one argument per parameter of f");
    static_assert((detail::mpi::argument_type_must_be_serializable<std::decay_t<P>>::value && ...) &&
                      detail::mpi::result_type_must_be_serializable<R>::value,
                  "");
    auto j = make_call<R>(lookup(reinterpret_cast<detail::mpi::fn_address>(f), typeid(std::remove_pointer_t<decltype(f)>)),
                          std::decay_t<P>(std::forward<A>(a))...);
    std::vector<std::shared_ptr<detail::mpi::call>> chunk{j};
    enqueue(&chunk, 1);
    return future<R>(std::move(j));
  }

  // f on every element of r, `chunksize` elements per message; results in
  // order (see map_result). An exception in a chunk fails that chunk's
  // elements from the failing one on. Throws std::invalid_argument if
  // chunksize is 0. The overload with a leading duration sets a deadline
  // for reading the results, as executor::map.
  template <class R, class P, class Range>
  [[nodiscard]] map_result<R> map(R (*f)(P), Range&& r, std::size_t chunksize = 1) {
    return map_until(std::nullopt, f, r, chunksize);
  }
  template <class Rep, class Period, class R, class P, class Range>
  [[nodiscard]] map_result<R> map(std::chrono::duration<Rep, Period> timeout, R (*f)(P), Range&& r,
                                  std::size_t chunksize = 1) {
    return map_until(std::chrono::steady_clock::now() +
                         std::chrono::ceil<std::chrono::steady_clock::duration>(timeout),
                     f, r, chunksize);
  }

  struct impl;

private:
  using call_ptr = std::shared_ptr<detail::mpi::call>;

  template <class R, class... T>
  static std::shared_ptr<detail::mpi::remote_job<R>> make_call(std::uint32_t fn, const T&... args) {
    std::string bytes;
    detail::mpi::pack(bytes, args...);
    return std::make_shared<detail::mpi::remote_job<R>>(fn, std::move(bytes));
  }

  template <class R, class P, class Range>
  map_result<R> map_until(std::optional<std::chrono::steady_clock::time_point> deadline,
                          R (*f)(P), Range& r, std::size_t chunksize) {
    static_assert(detail::mpi::argument_type_must_be_serializable<std::decay_t<P>>::value &&
                      detail::mpi::result_type_must_be_serializable<R>::value,
                  "");
    if (chunksize == 0)
      throw std::invalid_argument("boost::stm::mpi_executor::map: chunksize must be at least 1");
    const std::uint32_t fn = lookup(reinterpret_cast<detail::mpi::fn_address>(f), typeid(std::remove_pointer_t<decltype(f)>));
    std::vector<std::shared_ptr<detail::mpi::remote_job<R>>> jobs;
    for (auto it = std::begin(r); it != std::end(r); ++it)
      jobs.push_back(make_call<R>(fn, std::decay_t<P>(*it)));
    std::vector<std::vector<call_ptr>> chunks;
    for (std::size_t i = 0; i < jobs.size(); i += chunksize)
      chunks.emplace_back(jobs.begin() + static_cast<std::ptrdiff_t>(i),
                          jobs.begin() + static_cast<std::ptrdiff_t>(std::min(i + chunksize, jobs.size())));
    std::vector<future<R>> fs;
    fs.reserve(jobs.size());
    enqueue(chunks.data(), chunks.size());
    for (auto& j : jobs) fs.emplace_back(std::move(j));
    return map_result<R>(std::move(fs), deadline);
  }

  // The registered function's index; throws std::invalid_argument.
  std::uint32_t lookup(detail::mpi::fn_address f, const std::type_info& type) const;
  // Queues the chunks in one transaction; throws as submit does.
  void enqueue(std::vector<call_ptr>* chunks, std::size_t n);

  void post(task t) override;
  std::vector<task> take_queued() override;
  void join() override;

  std::unique_ptr<impl> impl_;
};

}  // namespace stm
}  // namespace boost

#endif
