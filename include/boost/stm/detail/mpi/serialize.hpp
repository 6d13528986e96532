// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_MPI_SERIALIZE_HPP_INCLUDED
#define BOOST_STM_DETAIL_MPI_SERIALIZE_HPP_INCLUDED

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/deque.hpp>
#include <boost/serialization/list.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/set.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <deque>
#include <istream>
#include <list>
#include <map>
#include <ostream>
#include <set>
#include <streambuf>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

// Says that T travels with Boost.Serialization although the check below
// cannot see it (a class whose serialize() member is private, with
// boost::serialization::access as a friend): specialize it as true_type.
template <class T, class = void>
struct is_remote_serializable;

namespace detail {
namespace mpi {

// Boost.Serialization's own fallback serialize() accepts every type, so
// whether a type can travel is decided here: arithmetic and enum types,
// std::string and the standard containers whose serialization the header
// above includes, of such types; classes with a public serialize(Archive&,
// unsigned) member, or a free serialize(Archive&, T&, unsigned) found by
// argument-dependent lookup. Pointers and references never travel.
template <class T, class = void>
struct has_member_serialize : std::false_type {};
template <class T>
struct has_member_serialize<T, std::void_t<decltype(std::declval<T&>().serialize(
                                   std::declval<boost::archive::binary_oarchive&>(), 0u))>>
    : std::true_type {};

namespace adl_probe {
template <class T, class = void>
struct has_free_serialize : std::false_type {};
template <class T>
struct has_free_serialize<T, std::void_t<decltype(serialize(
                                 std::declval<boost::archive::binary_oarchive&>(),
                                 std::declval<T&>(), 0u))>> : std::true_type {};
}  // namespace adl_probe

template <class T>
struct serializable_std : std::false_type {};
template <class C, class Tr, class A>
struct serializable_std<std::basic_string<C, Tr, A>> : std::is_arithmetic<C> {};
template <class T, class A>
struct serializable_std<std::vector<T, A>> : is_remote_serializable<T> {};
template <class T, class A>
struct serializable_std<std::list<T, A>> : is_remote_serializable<T> {};
template <class T, class A>
struct serializable_std<std::deque<T, A>> : is_remote_serializable<T> {};
template <class T, class C, class A>
struct serializable_std<std::set<T, C, A>> : is_remote_serializable<T> {};
template <class K, class V, class C, class A>
struct serializable_std<std::map<K, V, C, A>>
    : std::bool_constant<is_remote_serializable<K>::value && is_remote_serializable<V>::value> {};
template <class A, class B>
struct serializable_std<std::pair<A, B>>
    : std::bool_constant<is_remote_serializable<A>::value && is_remote_serializable<B>::value> {};

}  // namespace mpi
}  // namespace detail

template <class T, class>
struct is_remote_serializable
    : std::bool_constant<!std::is_pointer<T>::value && !std::is_reference<T>::value &&
                         (std::is_arithmetic<T>::value || std::is_enum<T>::value ||
                          detail::mpi::serializable_std<T>::value ||
                          detail::mpi::has_member_serialize<T>::value ||
                          detail::mpi::adl_probe::has_free_serialize<T>::value)> {};

namespace detail {
namespace mpi {

// Instantiated with the offending type, so that the compiler's note names it.
template <class T>
struct argument_type_must_be_serializable {
  static_assert(is_remote_serializable<T>::value,
                "boost::stm::mpi_executor: this argument type (see 'with T = ...' above) does not "
                "travel with Boost.Serialization: give it a serialize(Archive&, unsigned) member "
                "or a free serialize(Archive&, T&, unsigned), or, if it has one that this check "
                "cannot see, specialize boost::stm::is_remote_serializable<T> as std::true_type");
  static constexpr bool value = true;
};
template <class T>
struct result_type_must_be_serializable {
  static_assert(std::is_void<T>::value || is_remote_serializable<T>::value,
                "boost::stm::mpi_executor: this result type (see 'with T = ...' above) does not "
                "travel with Boost.Serialization: give it a serialize(Archive&, unsigned) member "
                "or a free serialize(Archive&, T&, unsigned), or, if it has one that this check "
                "cannot see, specialize boost::stm::is_remote_serializable<T> as std::true_type");
  static_assert(std::is_void<T>::value || std::is_default_constructible<T>::value,
                "boost::stm::mpi_executor: a remote function's result type must be default "
                "constructible (it is deserialized into a default-constructed object)");
  static constexpr bool value = true;
};

// Appends to a std::string; reads from a range of chars.
class string_sink final : public std::streambuf {
public:
  explicit string_sink(std::string& s) : s_(s) {}

protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) s_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* p, std::streamsize n) override {
    s_.append(p, static_cast<std::size_t>(n));
    return n;
  }

private:
  std::string& s_;
};

class char_source final : public std::streambuf {
public:
  char_source(const char* data, std::size_t size) {
    char* b = const_cast<char*>(data);  // never written: this buffer only reads
    setg(b, b, b + size);
  }
};

constexpr unsigned archive_flags = boost::archive::no_header | boost::archive::no_codecvt;

// Arithmetic and enum values travel as their bytes: an archive costs
// microseconds to set up, more than a tiny task itself. Both sides choose
// by the same types, so they agree.
template <class... T>
constexpr bool all_raw = ((std::is_arithmetic<T>::value || std::is_enum<T>::value) && ...);

// Appends the values to out, in order.
template <class... T>
void pack(std::string& out, const T&... v) {
  if constexpr (sizeof...(T) > 0 && all_raw<T...>) {
    (out.append(reinterpret_cast<const char*>(&v), sizeof(T)), ...);
  } else if constexpr (sizeof...(T) > 0) {
    string_sink sink(out);
    std::ostream os(&sink);
    boost::archive::binary_oarchive oa(os, archive_flags);
    (oa << ... << v);
  }
}

// Reads what pack() wrote into the elements of t.
template <class... T>
void unpack(const char* data, std::size_t size, std::tuple<T...>& t) {
  if constexpr (sizeof...(T) > 0 && all_raw<T...>) {
    if (size != (sizeof(T) + ...))
      throw std::length_error("boost::stm::mpi_executor: " + std::to_string(size) +
                              " bytes received where " + std::to_string((sizeof(T) + ...)) +
                              " were expected");
    std::apply([&](T&... v) { ((std::memcpy(&v, data, sizeof(T)), data += sizeof(T)), ...); }, t);
  } else if constexpr (sizeof...(T) > 0) {
    char_source src(data, size);
    std::istream is(&src);
    boost::archive::binary_iarchive ia(is, archive_flags);
    std::apply([&](T&... v) { (ia >> ... >> v); }, t);
  } else {
    (void)data, (void)size, (void)t;
  }
}

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
