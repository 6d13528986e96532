// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Reference synopses of the containers (tlist.hpp, tmap.hpp, tset.hpp,
// tqueue.hpp, broadcast_queue.hpp, tmvar.hpp, tsem.hpp), checked against the library (see
// tutorial_synopsis_check.hpp). The program itself does nothing: it
// compiles, or the documentation is out of date.
//
//   tutorial_synopsis_containers [--quick]
#include <boost/stm/broadcast_queue.hpp>
#include <boost/stm/tlist.hpp>
#include <boost/stm/tmap.hpp>
#include <boost/stm/tmvar.hpp>
#include <boost/stm/tqueue.hpp>
#include <boost/stm/tsem.hpp>
#include <boost/stm/tset.hpp>

#include "tutorial_synopsis_check.hpp"

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace stm = boost::stm;

namespace syn_tlist {
using namespace boost::stm;
//[ref_tlist
template <class T>
class tlist {
public:
  using value_type = T;
  using size_type = std::size_t;
  using snapshot_type = /*<-*/ detail::ptree::view<T> /*->*//* unspecified: see below */;

  tlist();
  tlist(std::initializer_list<T> init);
  tlist(const tlist&) = delete;
  tlist& operator=(const tlist&) = delete;

  void push_back(T v);
  void push_front(T v);
  void insert(size_type i, T v);
  template <class It>  // not convertible to T
  void insert(size_type i, It first, It last);
  void erase(size_type i);
  T at(size_type i) const;
  T operator[](size_type i) const;
  void set(size_type i, T v);
  size_type size() const;
  bool empty() const;
  void clear();

  T pop_back();
  T pop_front();
  std::optional<T> try_pop_back();
  std::optional<T> try_pop_front();

  snapshot_type snapshot() const;
  std::vector<T> to_vector() const;
};
//]
}  // namespace syn_tlist

namespace syn_tmap {
using namespace boost::stm;
//[ref_tmap
template <class K, class V, class Compare = std::less<K>>
class tmap {
public:
  using key_type = K;
  using mapped_type = V;
  using key_compare = Compare;
  using size_type = std::size_t;

  tmap();
  explicit tmap(const Compare& comp);
  tmap(const tmap&) = delete;
  tmap& operator=(const tmap&) = delete;

  bool insert_or_assign(const K& k, const V& v);
  bool insert(const K& k, const V& v);
  std::optional<V> find(const K& k) const;
  V get(const K& k) const;
  V at(const K& k) const;
  bool contains(const K& k) const;
  bool erase(const K& k);
  size_type size() const;
  bool empty() const;
  void clear();
  std::vector<K> keys() const;
  std::vector<std::pair<K, V>> items() const;
};
//]
}  // namespace syn_tmap

namespace syn_tset {
using namespace boost::stm;
//[ref_tset
template <class K, class Compare = std::less<K>>
class tset {
public:
  using key_type = K;
  using value_type = K;
  using key_compare = Compare;
  using size_type = std::size_t;
  using snapshot_type = /*<-*/ detail::ptree::view<K> /*->*//* unspecified: see tlist */;

  tset();
  explicit tset(const Compare& comp);
  tset(const tset&) = delete;
  tset& operator=(const tset&) = delete;

  bool insert(K k);
  bool contains(const K& k) const;
  bool erase(const K& k);
  size_type size() const;
  bool empty() const;
  void clear();

  snapshot_type snapshot() const;
  std::vector<K> to_vector() const;
};
//]
}  // namespace syn_tset

namespace syn_tqueue {
using namespace boost::stm;
//[ref_tqueue
template <class T>
class tqueue {
public:
  using value_type = T;
  using size_type = std::size_t;
  static constexpr size_type unbounded = std::numeric_limits<size_type>::max();

  tqueue();
  explicit tqueue(size_type capacity);
  tqueue(const tqueue&) = delete;
  tqueue& operator=(const tqueue&) = delete;

  void push(T v);
  bool try_push(const T& v);
  bool try_push(T&& v);
  T pop();
  std::optional<T> try_pop();
  T peek();
  std::optional<T> try_peek();

  std::vector<T> flush();
  void unget(T v);

  size_type size() const;
  bool empty() const;
  bool full() const;
  size_type capacity() const noexcept;
  void clear();
};
//]
}  // namespace syn_tqueue

namespace syn_tmvar {
//[ref_tmvar
template <class T>
class tmvar {
public:
  using value_type = T;

  tmvar();
  explicit tmvar(T v);
  tmvar(const tmvar&) = delete;
  tmvar& operator=(const tmvar&) = delete;

  void put(T v);
  T take();
  T read() const;
  T swap(T v);
  bool try_put(const T& v);
  std::optional<T> try_take();
  std::optional<T> try_read() const;
  bool empty() const;
};
//]
}  // namespace syn_tmvar

namespace syn_tsem {
//[ref_tsem
class tsem {
public:
  explicit tsem(std::ptrdiff_t initial = 0);
  tsem(const tsem&) = delete;
  tsem& operator=(const tsem&) = delete;

  void wait();
  bool try_wait();
  void signal(std::ptrdiff_t n = 1);
  std::ptrdiff_t count() const;
};
//]
}  // namespace syn_tsem

namespace syn_broadcast_queue {
using namespace boost::stm;
//[ref_broadcast_queue
template <class T>
class broadcast_queue {
public:
  using value_type = T;

  broadcast_queue();
  broadcast_queue(const broadcast_queue&) = delete;
  broadcast_queue& operator=(const broadcast_queue&) = delete;

  void put(T v);
  broadcast_endpoint<T> new_endpoint() const;
};
//]
}  // namespace syn_broadcast_queue

namespace syn_broadcast_endpoint {
using namespace boost::stm;
//[ref_broadcast_endpoint
template <class T>
class broadcast_endpoint {  // copyable: copies share one cursor
public:
  using value_type = T;

  T get();
  std::optional<T> try_get();
  T peek() const;
  std::optional<T> try_peek() const;
  void replace(const T& v);
  std::size_t remaining() const;
  bool empty() const;
  broadcast_endpoint duplicate() const;
};
//]
}  // namespace syn_broadcast_endpoint

// ---- checks ------------------------------------------------------------------

namespace {

using syn_l = syn_tlist::tlist<int>;
using real_l = stm::tlist<int>;
static_assert(std::is_same<syn_l::value_type, real_l::value_type>::value &&
                  std::is_same<syn_l::size_type, real_l::size_type>::value &&
                  std::is_same<syn_l::snapshot_type, real_l::snapshot_type>::value, "");
static_assert(std::is_default_constructible<real_l>::value &&
                  std::is_constructible<real_l, std::initializer_list<int>>::value &&
                  !std::is_copy_constructible<real_l>::value && !std::is_copy_assignable<real_l>::value,
              "");
BOOST_STM_SYNOPSIS_SAME(&syn_l::push_back, &real_l::push_back);
BOOST_STM_SYNOPSIS_SAME(&syn_l::push_front, &real_l::push_front);
BOOST_STM_SYNOPSIS_MEMBER(void(std::size_t, int), syn_l, real_l, insert);
static_assert(std::is_same<decltype(std::declval<real_l&>().insert(0, (int*)nullptr, (int*)nullptr)),
                           void>::value,
              "the synopsis of tlist::insert(i, first, last) differs from the library");
BOOST_STM_SYNOPSIS_SAME(&syn_l::erase, &real_l::erase);
BOOST_STM_SYNOPSIS_SAME(&syn_l::at, &real_l::at);
BOOST_STM_SYNOPSIS_SAME(&syn_l::operator[], &real_l::operator[]);
BOOST_STM_SYNOPSIS_SAME(&syn_l::set, &real_l::set);
BOOST_STM_SYNOPSIS_SAME(&syn_l::size, &real_l::size);
BOOST_STM_SYNOPSIS_SAME(&syn_l::empty, &real_l::empty);
BOOST_STM_SYNOPSIS_SAME(&syn_l::clear, &real_l::clear);
BOOST_STM_SYNOPSIS_SAME(&syn_l::pop_back, &real_l::pop_back);
BOOST_STM_SYNOPSIS_SAME(&syn_l::pop_front, &real_l::pop_front);
BOOST_STM_SYNOPSIS_SAME(&syn_l::try_pop_back, &real_l::try_pop_back);
BOOST_STM_SYNOPSIS_SAME(&syn_l::try_pop_front, &real_l::try_pop_front);
BOOST_STM_SYNOPSIS_SAME(&syn_l::snapshot, &real_l::snapshot);
BOOST_STM_SYNOPSIS_SAME(&syn_l::to_vector, &real_l::to_vector);

using syn_m = syn_tmap::tmap<std::string, int>;
using real_m = stm::tmap<std::string, int>;
static_assert(std::is_same<syn_m::key_type, real_m::key_type>::value &&
                  std::is_same<syn_m::mapped_type, real_m::mapped_type>::value &&
                  std::is_same<syn_m::key_compare, real_m::key_compare>::value &&
                  std::is_same<syn_m::size_type, real_m::size_type>::value, "");
static_assert(std::is_default_constructible<real_m>::value &&
                  std::is_constructible<real_m, const std::less<std::string>&>::value &&
                  !std::is_convertible<const std::less<std::string>&, real_m>::value &&
                  !std::is_copy_constructible<real_m>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_m::insert_or_assign, &real_m::insert_or_assign);
BOOST_STM_SYNOPSIS_SAME(&syn_m::insert, &real_m::insert);
BOOST_STM_SYNOPSIS_SAME(&syn_m::find, &real_m::find);
BOOST_STM_SYNOPSIS_SAME(&syn_m::get, &real_m::get);
BOOST_STM_SYNOPSIS_SAME(&syn_m::at, &real_m::at);
BOOST_STM_SYNOPSIS_SAME(&syn_m::contains, &real_m::contains);
BOOST_STM_SYNOPSIS_SAME(&syn_m::erase, &real_m::erase);
BOOST_STM_SYNOPSIS_SAME(&syn_m::size, &real_m::size);
BOOST_STM_SYNOPSIS_SAME(&syn_m::empty, &real_m::empty);
BOOST_STM_SYNOPSIS_SAME(&syn_m::clear, &real_m::clear);
BOOST_STM_SYNOPSIS_SAME(&syn_m::keys, &real_m::keys);
BOOST_STM_SYNOPSIS_SAME(&syn_m::items, &real_m::items);

using syn_s = syn_tset::tset<int>;
using real_s = stm::tset<int>;
static_assert(std::is_same<syn_s::key_type, real_s::key_type>::value &&
                  std::is_same<syn_s::value_type, real_s::value_type>::value &&
                  std::is_same<syn_s::key_compare, real_s::key_compare>::value &&
                  std::is_same<syn_s::size_type, real_s::size_type>::value &&
                  std::is_same<syn_s::snapshot_type, real_s::snapshot_type>::value, "");
static_assert(std::is_constructible<real_s, const std::less<int>&>::value &&
                  !std::is_copy_constructible<real_s>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_s::insert, &real_s::insert);
BOOST_STM_SYNOPSIS_SAME(&syn_s::contains, &real_s::contains);
BOOST_STM_SYNOPSIS_SAME(&syn_s::erase, &real_s::erase);
BOOST_STM_SYNOPSIS_SAME(&syn_s::size, &real_s::size);
BOOST_STM_SYNOPSIS_SAME(&syn_s::empty, &real_s::empty);
BOOST_STM_SYNOPSIS_SAME(&syn_s::clear, &real_s::clear);
BOOST_STM_SYNOPSIS_SAME(&syn_s::snapshot, &real_s::snapshot);
BOOST_STM_SYNOPSIS_SAME(&syn_s::to_vector, &real_s::to_vector);

using syn_q = syn_tqueue::tqueue<int>;
using real_q = stm::tqueue<int>;
static_assert(std::is_same<syn_q::value_type, real_q::value_type>::value &&
                  std::is_same<syn_q::size_type, real_q::size_type>::value &&
                  real_q::unbounded == syn_q::unbounded, "");
static_assert(std::is_default_constructible<real_q>::value &&
                  std::is_constructible<real_q, std::size_t>::value &&
                  !std::is_convertible<std::size_t, real_q>::value &&
                  !std::is_copy_constructible<real_q>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_q::push, &real_q::push);
BOOST_STM_SYNOPSIS_MEMBER(bool(const int&), syn_q, real_q, try_push);
BOOST_STM_SYNOPSIS_MEMBER(bool(int&&), syn_q, real_q, try_push);
BOOST_STM_SYNOPSIS_SAME(&syn_q::pop, &real_q::pop);
BOOST_STM_SYNOPSIS_SAME(&syn_q::try_pop, &real_q::try_pop);
BOOST_STM_SYNOPSIS_SAME(&syn_q::peek, &real_q::peek);
BOOST_STM_SYNOPSIS_SAME(&syn_q::try_peek, &real_q::try_peek);
BOOST_STM_SYNOPSIS_SAME(&syn_q::size, &real_q::size);
BOOST_STM_SYNOPSIS_SAME(&syn_q::empty, &real_q::empty);
BOOST_STM_SYNOPSIS_SAME(&syn_q::capacity, &real_q::capacity);
BOOST_STM_SYNOPSIS_SAME(&syn_q::clear, &real_q::clear);
BOOST_STM_SYNOPSIS_SAME(&syn_q::flush, &real_q::flush);
BOOST_STM_SYNOPSIS_SAME(&syn_q::unget, &real_q::unget);
BOOST_STM_SYNOPSIS_SAME(&syn_q::full, &real_q::full);

using syn_mv = syn_tmvar::tmvar<int>;
using real_mv = stm::tmvar<int>;
static_assert(std::is_same<syn_mv::value_type, real_mv::value_type>::value &&
                  std::is_default_constructible<real_mv>::value &&
                  std::is_constructible<real_mv, int>::value &&
                  !std::is_convertible<int, real_mv>::value &&
                  !std::is_copy_constructible<real_mv>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_mv::put, &real_mv::put);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::take, &real_mv::take);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::read, &real_mv::read);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::swap, &real_mv::swap);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::try_put, &real_mv::try_put);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::try_take, &real_mv::try_take);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::try_read, &real_mv::try_read);
BOOST_STM_SYNOPSIS_SAME(&syn_mv::empty, &real_mv::empty);

static_assert(std::is_default_constructible<stm::tsem>::value &&
                  std::is_constructible<stm::tsem, std::ptrdiff_t>::value &&
                  !std::is_convertible<std::ptrdiff_t, stm::tsem>::value &&
                  !std::is_copy_constructible<stm::tsem>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_tsem::tsem::wait, &stm::tsem::wait);
BOOST_STM_SYNOPSIS_SAME(&syn_tsem::tsem::try_wait, &stm::tsem::try_wait);
BOOST_STM_SYNOPSIS_SAME(&syn_tsem::tsem::signal, &stm::tsem::signal);
BOOST_STM_SYNOPSIS_SAME(&syn_tsem::tsem::count, &stm::tsem::count);

using syn_bq = syn_broadcast_queue::broadcast_queue<int>;
using real_bq = stm::broadcast_queue<int>;
static_assert(std::is_same<syn_bq::value_type, real_bq::value_type>::value &&
                  std::is_default_constructible<real_bq>::value &&
                  !std::is_copy_constructible<real_bq>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_bq::put, &real_bq::put);
BOOST_STM_SYNOPSIS_SAME(&syn_bq::new_endpoint, &real_bq::new_endpoint);

using syn_be = syn_broadcast_endpoint::broadcast_endpoint<int>;
using real_be = stm::broadcast_endpoint<int>;
static_assert(std::is_same<syn_be::value_type, real_be::value_type>::value &&
                  std::is_copy_constructible<real_be>::value &&
                  !std::is_default_constructible<real_be>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_be::get, &real_be::get);
BOOST_STM_SYNOPSIS_SAME(&syn_be::try_get, &real_be::try_get);
BOOST_STM_SYNOPSIS_SAME(&syn_be::peek, &real_be::peek);
BOOST_STM_SYNOPSIS_SAME(&syn_be::try_peek, &real_be::try_peek);
BOOST_STM_SYNOPSIS_SAME(&syn_be::replace, &real_be::replace);
BOOST_STM_SYNOPSIS_SAME(&syn_be::remaining, &real_be::remaining);
BOOST_STM_SYNOPSIS_SAME(&syn_be::empty, &real_be::empty);
static_assert(std::is_same<decltype(std::declval<const real_be&>().duplicate()), real_be>::value,
              "duplicate() returns an endpoint");

}  // namespace

int main() { return 0; }
