// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_MPI_REGISTRY_HPP_INCLUDED
#define BOOST_STM_DETAIL_MPI_REGISTRY_HPP_INCLUDED

#include <boost/stm/detail/mpi/serialize.hpp>

#include <boost/core/demangle.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>

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

// What a worker sends back for a batch of calls, in three parts so that
// the results can be read with one archive: a status byte per call, the
// type name and message of each call that failed, the results of those that
// returned (as an item_writer of the result type wrote them).
struct batch_output {
  std::string status;
  std::string errors;
  std::string values;
};
constexpr char call_skipped = 0;  // cancelled before it was sent
constexpr char call_returned = 1;
constexpr char call_failed = 2;

inline void put_u32(std::string& out, std::uint32_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
inline void put_bytes(std::string& out, const std::string& s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

// Inside a catch handler: the exception's dynamic type, demangled, and
// its what().
inline std::pair<std::string, std::string> describe_current_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return {boost::core::demangle(typeid(e).name()), e.what()};
  } catch (...) {
    return {"unknown", "an exception not derived from std::exception"};
  }
}

// Inside a catch handler: the current call failed with that exception.
inline void record_failure(batch_output& out) {
  auto d = describe_current_exception();
  out.status.push_back(call_failed);
  put_bytes(out.errors, d.first);
  put_bytes(out.errors, d.second);
}

// Reads n calls' arguments from [data, data + size), as one item_writer of
// the parameter types wrote them, and calls the function with each whose
// run byte is non-zero; appends to `out`. A call that throws fails alone;
// what escapes (the arguments or a result could not be read or written)
// fails the whole batch.
using invoker = void (*)(const char* data, std::size_t size, std::uint32_t n, const char* run,
                         batch_output& out);
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
void invoke(const char* data, std::size_t size, std::uint32_t n, const char* run,
            batch_output& out) {
  using traits = fn_traits<decltype(F)>;
  using R = typename traits::result;
  typename item_reader_of<typename traits::args>::type in(data, size);
  std::conditional_t<std::is_void<R>::value, item_writer<>, item_writer<R>> results(out.values);
  (void)results;
  for (std::uint32_t i = 0; i < n; ++i) {
    typename traits::args args;
    in.read(args);
    if (!run[i]) {
      out.status.push_back(call_skipped);
      continue;
    }
    if constexpr (std::is_void<R>::value) {
      try {
        std::apply(F, std::move(args));
      } catch (...) {
        record_failure(out);
        continue;
      }
    } else {
      std::optional<R> r;
      try {
        r.emplace(std::apply(F, std::move(args)));
      } catch (...) {
        record_failure(out);
        continue;
      }
      results.write(*r);
    }
    out.status.push_back(call_returned);
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
