// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TMAP_HPP_INCLUDED
#define BOOST_STM_TMAP_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/containers/persistent_tree.hpp>
#include <boost/stm/tvar.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

// A transactional ordered map. The key set is a persistent balanced tree in
// one tvar; each value lives in a tvar of its own. So assigning to a key
// that exists writes only that key's tvar: it neither conflicts with nor
// wakes (nor re-runs watchers of) transactions that read other keys. Only
// inserting or erasing a key writes the key set, which every lookup reads.
// Every member is transactional (it joins the current transaction, or runs
// as its own). Lookups are O(log n), size() is O(1).
template <class K, class V, class Compare = std::less<K>>
class tmap {
  struct entry {
    K key;
    // Shared, inside the tree's values: a transaction that reached this tvar
    // through a root it read keeps it alive until the attempt ends.
    std::shared_ptr<tvar<V>> value;
  };
  using tree = detail::ptree::ptr<entry>;
  struct key_of {
    const K& operator()(const entry& e) const noexcept { return e.key; }
  };

public:
  using key_type = K;
  using mapped_type = V;
  using key_compare = Compare;
  using size_type = std::size_t;

  tmap() = default;
  explicit tmap(const Compare& comp) : comp_(comp) {}
  tmap(const tmap&) = delete;
  tmap& operator=(const tmap&) = delete;

  // Sets the value of k, adding k if absent; true if k was added.
  bool insert_or_assign(const K& k, const V& v) {
    return atomically([&] {
      tree r = root_.get();
      if (const entry* e = lookup(r, k)) {
        e->value->set(v);
        return false;
      }
      add(r, k, v);
      return true;
    });
  }

  // Adds k with value v if k is absent; true if it was added.
  bool insert(const K& k, const V& v) {
    return atomically([&] {
      tree r = root_.get();
      if (lookup(r, k)) return false;
      add(r, k, v);
      return true;
    });
  }

  std::optional<V> find(const K& k) const {
    return atomically([&]() -> std::optional<V> {
      tree r = root_.get();
      if (const entry* e = lookup(r, k)) return e->value->get();
      return std::nullopt;
    });
  }

  // The value of k; retries (blocks) while k is absent.
  V get(const K& k) const {
    return atomically([&] {
      tree r = root_.get();
      const entry* e = lookup(r, k);
      if (!e) retry();
      return e->value->get();
    });
  }

  // The value of k; throws std::out_of_range if k is absent.
  V at(const K& k) const {
    return atomically([&] {
      tree r = root_.get();
      const entry* e = lookup(r, k);
      if (!e) throw std::out_of_range("stm::tmap::at: no such key");
      return e->value->get();
    });
  }

  bool contains(const K& k) const {
    return atomically([&] { return lookup(root_.get(), k) != nullptr; });
  }

  // Removes k; true if it was there.
  bool erase(const K& k) {
    return atomically([&] {
      tree r = root_.get();
      if (!lookup(r, k)) return false;
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

  // The keys, in order, at one instant. Reads only the key set.
  std::vector<K> keys() const {
    detail::ptree::view<entry> all(root_.get());
    std::vector<K> out;
    out.reserve(all.size());
    for (const entry& e : all) out.push_back(e.key);
    return out;
  }

  // The keys and values, in key order, at one instant. Reads every value.
  std::vector<std::pair<K, V>> items() const {
    return atomically([&] {
      detail::ptree::view<entry> all(root_.get());
      std::vector<std::pair<K, V>> out;
      out.reserve(all.size());
      for (const entry& e : all) out.emplace_back(e.key, e.value->get());
      return out;
    });
  }

private:
  const entry* lookup(const tree& r, const K& k) const {
    return detail::ptree::find(r, k, comp_, key_of());
  }
  void add(const tree& r, const K& k, const V& v) {
    detail::ptree::slot<entry> s(entry{k, std::make_shared<tvar<V>>(v)});
    root_.set(detail::ptree::insert_new(r, s, comp_, key_of()));
  }

  tvar<tree> root_;
  Compare comp_;
};

}  // namespace stm
}  // namespace boost

#endif
