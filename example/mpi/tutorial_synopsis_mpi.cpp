// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Reference synopsis of <boost/stm/mpi_executor.hpp>, checked against the
// library (see ../tutorial_synopsis_check.hpp). The program itself does
// nothing: it compiles, or the documentation is out of date.
//
//   mpirun -np N tutorial_synopsis_mpi [--quick]
#include <boost/stm/mpi_executor.hpp>

#include "../tutorial_synopsis_check.hpp"

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace stm = boost::stm;

#ifndef BOOST_STM_REMOTE
#error "the synopsis of BOOST_STM_REMOTE differs from the library"
#endif

namespace syn_mpi_executor {
using namespace boost::stm;
//[ref_mpi_executor
/*<-*/
#undef BOOST_STM_REMOTE
/*->*/
// At namespace scope, once per function, on every rank.
#define BOOST_STM_REMOTE(fn) /* registers fn under the name #fn */

template <class T, class = void>
struct is_remote_serializable;  // specialize as std::true_type

class remote_error : public std::runtime_error {
public:
  remote_error(std::string type_name, std::string message, int rank);
  const std::string& type_name() const noexcept;
  const std::string& message() const noexcept;
  int rank() const noexcept;
};

class mpi_executor final : public executor {
public:
  explicit mpi_executor(const boost::mpi::communicator& comm, int root = 0);
  ~mpi_executor();

  bool is_root() const noexcept;
  int rank() const noexcept;
  std::size_t workers() const noexcept;

  template <class R, class... P, class... A>
  future<R> submit(R (*f)(P...), A&&... a);
  // map(f, range...) or map(f, range..., chunksize): one range per
  // parameter of f, then, optionally, the chunksize (default 1).
  template <class R, class... P, class... A>
  map_result<R> map(R (*f)(P...), A&&... ranges_then_chunksize);
  template <class Rep, class Period, class R, class... P, class... A>
  map_result<R> map(std::chrono::duration<Rep, Period> timeout, R (*f)(P...),
                    A&&... ranges_then_chunksize);
  // shutdown, is_shutdown, is_broken, ...: as executor
};
//]
}  // namespace syn_mpi_executor

namespace {

using syn_e = syn_mpi_executor::remote_error;
using real_e = stm::remote_error;
static_assert(std::is_base_of<std::runtime_error, real_e>::value &&
                  std::is_constructible<real_e, std::string, std::string, int>::value,
              "remote_error");
BOOST_STM_SYNOPSIS_SAME(&syn_e::type_name, &real_e::type_name);
BOOST_STM_SYNOPSIS_SAME(&syn_e::message, &real_e::message);
BOOST_STM_SYNOPSIS_SAME(&syn_e::rank, &real_e::rank);

using syn_x = syn_mpi_executor::mpi_executor;
using real_x = stm::mpi_executor;
static_assert(std::is_base_of<stm::executor, real_x>::value && std::is_final<real_x>::value,
              "mpi_executor is a final executor");
static_assert(std::is_constructible<real_x, const boost::mpi::communicator&>::value &&
                  std::is_constructible<real_x, const boost::mpi::communicator&, int>::value &&
                  !std::is_convertible<const boost::mpi::communicator&, real_x>::value,
              "mpi_executor's constructor");
BOOST_STM_SYNOPSIS_SAME(&syn_x::is_root, &real_x::is_root);
BOOST_STM_SYNOPSIS_SAME(&syn_x::rank, &real_x::rank);
BOOST_STM_SYNOPSIS_SAME(&syn_x::workers, &real_x::workers);
BOOST_STM_SYNOPSIS_SAME((&syn_x::submit<int, int, double, int, double>),
                        (&real_x::submit<int, int, double, int, double>));
using ints = std::vector<int>;
using longs = std::vector<long>;
using ms = std::chrono::milliseconds;
BOOST_STM_SYNOPSIS_MEMBER(stm::map_result<int>(int (*)(int), ints&), syn_x, real_x, map);
BOOST_STM_SYNOPSIS_MEMBER(stm::map_result<int>(int (*)(int, long), ints&, longs&&, int&&), syn_x,
                          real_x, map);
BOOST_STM_SYNOPSIS_MEMBER(stm::map_result<int>(ms, int (*)(int), ints&, std::size_t&&), syn_x,
                          real_x, map);

}  // namespace

int main(int argc, char** argv) {
  boost::mpi::environment env{argc, argv};
  return 0;
}
