// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TSET_HPP_INCLUDED
#define BOOST_STM_TSET_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/containers/persistent_tree.hpp>
#include <boost/stm/tvar.hpp>

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

// A transactional ordered set: a persistent balanced tree in one tvar.
// Lookups, insertion and removal are O(log n), size() and snapshot() O(1).
// Every member is transactional (it joins the current transaction, or runs
// as its own). Any insertion or removal conflicts with every reader; an
// insert of a key already there, or an erase of one that is not, writes
// nothing.
template <class K, class Compare = std::less<K>>
class tset {
  using tree = detail::ptree::ptr<K>;
  struct key_of {
    const K& operator()(const K& k) const noexcept { return k; }
  };

public:
  using key_type = K;
  using value_type = K;
  using key_compare = Compare;
  using size_type = std::size_t;
  using snapshot_type = detail::ptree::view<K>;

  tset() = default;
  explicit tset(const Compare& comp) : comp_(comp) {}
  tset(const tset&) = delete;
  tset& operator=(const tset&) = delete;

  // Adds k; true if it was not there.
  bool insert(K k) {
    detail::ptree::slot<K> s(std::move(k));
    return atomically([&] {
      tree r = root_.get();
      if (detail::ptree::find(r, s.get(), comp_, key_of())) return false;
      root_.set(detail::ptree::insert_new(r, s, comp_, key_of()));
      return true;
    });
  }

  bool contains(const K& k) const {
    return atomically(
        [&] { return detail::ptree::find(root_.get(), k, comp_, key_of()) != nullptr; });
  }

  // Removes k; true if it was there.
  bool erase(const K& k) {
    return atomically([&] {
      tree r = root_.get();
      if (!detail::ptree::find(r, k, comp_, key_of())) return false;
      root_.set(detail::ptree::erase_key(r, k, comp_, key_of()));
      return true;
    });
  }

  size_type size() const {
    return atomically([&] { return detail::ptree::size(root_.get()); });
  }
  bool empty() const {
    return atomically([&] { return !root_.get(); });
  }
  void clear() { root_.set(nullptr); }

  // The keys in order at one instant; iterate it with a range for.
  snapshot_type snapshot() const { return snapshot_type(root_.get()); }
  std::vector<K> to_vector() const { return snapshot().to_vector(); }

private:
  tvar<tree> root_;
  Compare comp_;
};

}  // namespace stm
}  // namespace boost

#endif
