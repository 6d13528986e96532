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
#include <optional>
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

// Appends items (each one value of every T, in order) to one buffer: their
// bytes if all_raw, else through one binary archive for the whole buffer,
// so that a map chunk pays for one archive, not one per item.
template <class... T>
class item_writer {
public:
  explicit item_writer(std::string& out) : out_(out) {
    if constexpr (!raw) {
      sink_.emplace(out);
      os_.emplace(&*sink_);
      oa_.emplace(*os_, archive_flags);
    }
  }
  item_writer(const item_writer&) = delete;
  item_writer& operator=(const item_writer&) = delete;

  void write(const T&... v) {
    if constexpr (raw)
      (out_.append(reinterpret_cast<const char*>(&v), sizeof(T)), ...);
    else
      (*oa_ << ... << v);
  }

private:
  static constexpr bool raw = all_raw<T...>;
  std::string& out_;
  std::optional<string_sink> sink_;
  std::optional<std::ostream> os_;
  std::optional<boost::archive::binary_oarchive> oa_;
};

// Reads, item by item, what an item_writer<T...> wrote. Throws if the
// buffer ends early or does not hold what the types say.
template <class... T>
class item_reader {
public:
  item_reader(const char* data, std::size_t size) : p_(data), end_(data + size) {
    if constexpr (!raw) {
      src_.emplace(data, size);
      is_.emplace(&*src_);
      ia_.emplace(*is_, archive_flags);
    }
  }
  item_reader(const item_reader&) = delete;
  item_reader& operator=(const item_reader&) = delete;

  void read(std::tuple<T...>& t) {
    if constexpr (raw) {
      constexpr std::size_t need = (std::size_t{0} + ... + sizeof(T));
      if (static_cast<std::size_t>(end_ - p_) < need)
        throw std::length_error("boost::stm::mpi_executor: a message ends " +
                                std::to_string(need - static_cast<std::size_t>(end_ - p_)) +
                                " bytes short of its values");
      std::apply([&](T&... v) { ((std::memcpy(&v, p_, sizeof(T)), p_ += sizeof(T)), ...); }, t);
    } else {
      std::apply([&](T&... v) { (*ia_ >> ... >> v); }, t);
    }
  }

private:
  static constexpr bool raw = all_raw<T...>;
  const char* p_;
  const char* end_;
  std::optional<char_source> src_;
  std::optional<std::istream> is_;
  std::optional<boost::archive::binary_iarchive> ia_;
};

// item_reader for the element types of a tuple.
template <class Tuple>
struct item_reader_of;
template <class... T>
struct item_reader_of<std::tuple<T...>> {
  using type = item_reader<T...>;
};

}  // namespace mpi
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
