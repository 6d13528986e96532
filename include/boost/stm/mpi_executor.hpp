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

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
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
    check_types<R, P...>();
    const std::uint32_t fn = lookup(reinterpret_cast<detail::mpi::fn_address>(f),
                                    typeid(std::remove_pointer_t<decltype(f)>));
    std::string bytes;
    detail::mpi::item_writer<std::decay_t<P>...>(bytes).write(std::decay_t<P>(std::forward<A>(a))...);
    auto b = std::make_shared<detail::mpi::batch_of<R>>(fn, 1, std::move(bytes));
    future<R> result(std::shared_ptr<detail::future_state<R>>(b, &b->at(0)));
    batch_ptr queued = std::move(b);
    enqueue(&queued, 1);
    return result;
  }

  // f(x, y, ...) for the elements x of the first range, y of the second,
  // ..., one range per parameter of f, until the shortest range ends (as
  // Python's map(f, *iterables)); an optional last argument is the
  // chunksize (default 1), the number of calls that travel in one message
  // each way. Results in order (see map_result); each call has its own
  // future: an exception fails only its own call, and cancelling the range
  // (or a call) keeps calls not yet sent from running. Throws
  // std::invalid_argument if chunksize is 0. The overload with a leading
  // duration sets a deadline for reading the results, as executor::map.
  template <class R, class... P, class... A>
  [[nodiscard]] map_result<R> map(R (*f)(P...), A&&... ranges_then_chunksize) {
    return map_args(std::nullopt, f, std::forward_as_tuple(ranges_then_chunksize...));
  }
  template <class Rep, class Period, class R, class... P, class... A>
  [[nodiscard]] map_result<R> map(std::chrono::duration<Rep, Period> timeout, R (*f)(P...),
                                  A&&... ranges_then_chunksize) {
    return map_args(std::chrono::steady_clock::now() +
                        std::chrono::ceil<std::chrono::steady_clock::duration>(timeout),
                    f, std::forward_as_tuple(ranges_then_chunksize...));
  }

  struct impl;

private:
  using batch_ptr = std::shared_ptr<detail::mpi::batch>;
  using deadline_type = std::optional<std::chrono::steady_clock::time_point>;

  template <class R, class... P>
  static void check_types() {
    static_assert((detail::mpi::argument_type_must_be_serializable<std::decay_t<P>>::value && ...) &&
                      detail::mpi::result_type_must_be_serializable<R>::value,
                  "");
  }

  template <class R, class... P, class... A>
  map_result<R> map_args(deadline_type deadline, R (*f)(P...), std::tuple<A...> args) {
    constexpr std::size_t n = sizeof...(P);
    static_assert(n > 0, "mpi_executor::map(f, ...): f must take at least one argument");
    static_assert(sizeof...(A) == n || sizeof...(A) == n + 1,
                  "mpi_executor::map(f, ranges..., chunksize): pass one range per parameter of f, "
                  "then, optionally, the chunksize");
    if constexpr (sizeof...(A) == n) {
      return map_ranges(deadline, f, 1, args, std::make_index_sequence<n>());
    } else {
      using last = std::decay_t<std::tuple_element_t<n, std::tuple<A...>>>;
      static_assert(std::is_integral<last>::value,
                    "mpi_executor::map(f, ranges..., chunksize): the argument after the ranges "
                    "is the chunksize, an integer");
      const last chunksize = std::get<n>(args);
      if (chunksize < 1)
        throw std::invalid_argument("boost::stm::mpi_executor::map: chunksize must be at least 1");
      return map_ranges(deadline, f, static_cast<std::uint64_t>(chunksize), args,
                        std::make_index_sequence<n>());
    }
  }

  template <class R, class... P, class Args, std::size_t... I>
  map_result<R> map_ranges(deadline_type deadline, R (*f)(P...), std::uint64_t chunksize,
                           Args& args, std::index_sequence<I...>) {
    check_types<R, P...>();
    const std::uint32_t fn = lookup(reinterpret_cast<detail::mpi::fn_address>(f),
                                    typeid(std::remove_pointer_t<decltype(f)>));
    const std::uint32_t per_batch =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(chunksize, UINT32_MAX));
    auto its = std::make_tuple(std::begin(std::get<I>(args))...);
    const auto ends = std::make_tuple(std::end(std::get<I>(args))...);
    auto at_end = [&] { return ((std::get<I>(its) == std::get<I>(ends)) || ...); };
    std::vector<batch_ptr> batches;
    std::vector<future<R>> fs;
    while (!at_end()) {
      // One archive for the whole chunk's arguments.
      std::string bytes;
      std::uint32_t size = 0;
      {
        detail::mpi::item_writer<std::decay_t<P>...> w(bytes);
        for (; size < per_batch && !at_end(); ++size) {
          w.write(std::decay_t<P>(*std::get<I>(its))...);
          (++std::get<I>(its), ...);
        }
      }
      auto b = std::make_shared<detail::mpi::batch_of<R>>(fn, size, std::move(bytes));
      for (std::uint32_t i = 0; i < size; ++i)
        fs.emplace_back(std::shared_ptr<detail::future_state<R>>(b, &b->at(i)));
      batches.push_back(std::move(b));
    }
    enqueue(batches.data(), batches.size());
    return map_result<R>(std::move(fs), deadline);
  }

  // The registered function's index; throws std::invalid_argument.
  std::uint32_t lookup(detail::mpi::fn_address f, const std::type_info& type) const;
  // Queues the batches in one transaction; throws as submit does.
  void enqueue(const batch_ptr* batches, std::size_t n);

  void post(task t) override;
  std::vector<task> take_queued() override;
  void join() override;

  std::unique_ptr<impl> impl_;
};

}  // namespace stm
}  // namespace boost

#endif
