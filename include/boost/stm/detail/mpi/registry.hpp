// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_MPI_REGISTRY_HPP_INCLUDED
#define BOOST_STM_DETAIL_MPI_REGISTRY_HPP_INCLUDED

#include <boost/stm/detail/mpi/serialize.hpp>

#include <boost/core/demangle.hpp>

#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>

#if defined(_WIN32) && defined(BOOST_STM_MPI_DYN_LINK)
#  if defined(BOOST_STM_MPI_SOURCE)
#    define BOOST_STM_MPI_DECL __declspec(dllexport)
#  else
#    define BOOST_STM_MPI_DECL __declspec(dllimport)
#  endif
#else
#  define BOOST_STM_MPI_DECL
#endif

namespace boost {
namespace stm {
namespace detail {
namespace mpi {

// Deserializes the arguments from [data, data + size), calls the function,
// appends its serialized result to `result`. Throws what the function or
// the deserialization throws.
using invoker = void (*)(const char* data, std::size_t size, std::string& result);
// A registered function's address, only ever compared.
using fn_address = void (*)();

template <class F>
struct fn_traits;
template <class R, class... A>
struct fn_traits<R (*)(A...)> {
  using result = R;
  using args = std::tuple<std::decay_t<A>...>;
  static constexpr bool has_lvalue_ref_param =
      ((std::is_lvalue_reference<A>::value && !std::is_const<std::remove_reference_t<A>>::value) ||
       ...);
  static constexpr bool args_serializable =
      (argument_type_must_be_serializable<std::decay_t<A>>::value && ...);
};
template <class R, class... A>
struct fn_traits<R (*)(A...) noexcept> : fn_traits<R (*)(A...)> {};

template <auto F>
void invoke(const char* data, std::size_t size, std::string& result) {
  using traits = fn_traits<decltype(F)>;
  typename traits::args args;
  unpack(data, size, args);
  if constexpr (std::is_void<typename traits::result>::value) {
    std::apply(F, std::move(args));
  } else {
    const typename traits::result r = std::apply(F, std::move(args));
    pack(result, r);
  }
}

// Records a function under `name` for every mpi_executor constructed later.
// Never throws: a name registered twice (for another function) is reported
// by the executor's constructor, on every rank.
BOOST_STM_MPI_DECL bool register_function(const char* name, std::string signature, invoker call,
                                          fn_address address) noexcept;

template <auto F>
bool register_remote(const char* name) noexcept {
  using traits = fn_traits<decltype(F)>;
  static_assert(!traits::has_lvalue_ref_param,
                "BOOST_STM_REMOTE: a remote function cannot take a non-const lvalue reference: "
                "its arguments are copies made on another rank; take them by value or const&");
  static_assert(traits::args_serializable &&
                    result_type_must_be_serializable<typename traits::result>::value,
                "");
  static_assert(!std::is_reference<typename traits::result>::value &&
                    !std::is_pointer<typename traits::result>::value,
                "BOOST_STM_REMOTE: a remote function must return a value (or void), not a "
                "reference or a pointer: the result is copied to another rank");
  std::string signature;
  try {
    signature = boost::core::demangle(typeid(std::remove_pointer_t<decltype(F)>).name());
  } catch (...) {
  }
  return register_function(name, std::move(signature), &invoke<F>,
                           reinterpret_cast<fn_address>(F));
}

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
