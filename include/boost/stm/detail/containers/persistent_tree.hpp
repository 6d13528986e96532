// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_PERSISTENT_TREE_HPP_INCLUDED
#define BOOST_STM_DETAIL_PERSISTENT_TREE_HPP_INCLUDED

#include <boost/stm/detail/core/config.hpp>

#include <cstddef>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

// A persistent (immutable, path-copying) weight-balanced tree (Adams; the
// parameters of Straka, as in Haskell's Data.Map). Every update returns a new
// root sharing all untouched subtrees with the old one, so a whole sequence
// or map fits in one tvar and a reader holds a snapshot for free. Nodes
// carry their subtree size: positional access (tlist) and keyed access
// (tmap, tset) are both O(log n). The height is O(log n), so the recursive
// functions and destructors below stay shallow.
namespace ptree {

constexpr std::size_t delta = 3;
constexpr std::size_t ratio = 2;

// Path copying copies the values on the path: small ones whose copy cannot
// throw (an int, a shared_ptr, an stm::task: a copy is at most a reference
// count) inline, anything else behind a shared pointer so that a copy is
// cheap and cannot fail half-way through a path.
template <class V, bool Inline = std::is_nothrow_copy_constructible<V>::value &&
                                 std::is_nothrow_move_constructible<V>::value &&
                                 (sizeof(V) <= 4 * sizeof(void*))>
class slot {
public:
  explicit slot(V v) : v_(std::move(v)) {}
  const V& get() const noexcept { return v_; }

private:
  V v_;
};

template <class V>
class slot<V, false> {
public:
  explicit slot(V v) : p_(std::make_shared<const V>(std::move(v))) {}
  const V& get() const noexcept { return *p_; }

private:
  std::shared_ptr<const V> p_;
};

template <class V>
struct node;
template <class V>
using ptr = std::shared_ptr<const node<V>>;

template <class V>
struct node {
  node(slot<V> v, ptr<V> l, ptr<V> r)
      : value(std::move(v)), left(std::move(l)), right(std::move(r)),
        size(1 + (left ? left->size : 0) + (right ? right->size : 0)) {}
  slot<V> value;
  ptr<V> left, right;
  std::size_t size;
};

template <class V>
std::size_t size(const ptr<V>& t) noexcept {
  return t ? t->size : 0;
}

template <class T>
struct non_deduced {
  using type = T;
};

template <class V>
ptr<V> make(slot<V> v, typename non_deduced<ptr<V>>::type l,
            typename non_deduced<ptr<V>>::type r) {
  return std::make_shared<node<V>>(std::move(v), std::move(l), std::move(r));
}

// Restores the balance after one insertion or deletion below x.
template <class V>
ptr<V> balance(const slot<V>& x, ptr<V> l, ptr<V> r) {
  const std::size_t sl = size(l), sr = size(r);
  if (sl + sr > 1) {
    if (sr > delta * sl) {
      const node<V>& n = *r;
      if (size(n.left) < ratio * size(n.right))
        return make(n.value, make(x, std::move(l), n.left), n.right);
      const node<V>& m = *n.left;
      return make(m.value, make(x, std::move(l), m.left), make(n.value, m.right, n.right));
    }
    if (sl > delta * sr) {
      const node<V>& n = *l;
      if (size(n.right) < ratio * size(n.left))
        return make(n.value, n.left, make(x, n.right, std::move(r)));
      const node<V>& m = *n.right;
      return make(m.value, make(n.value, n.left, m.left), make(x, m.right, std::move(r)));
    }
  }
  return make(x, std::move(l), std::move(r));
}

// ---- by position --------------------------------------------------------------

template <class V>
const slot<V>& slot_at(const ptr<V>& root, std::size_t i) noexcept {
  const node<V>* t = root.get();
  for (;;) {
    std::size_t sl = size(t->left);
    if (i == sl) return t->value;
    if (i < sl) {
      t = t->left.get();
    } else {
      i -= sl + 1;
      t = t->right.get();
    }
  }
}

template <class V>
const V& at(const ptr<V>& root, std::size_t i) noexcept {
  return slot_at(root, i).get();
}

template <class V>
ptr<V> insert_at(const ptr<V>& t, std::size_t i, const slot<V>& x) {
  if (!t) return make(x, nullptr, nullptr);
  std::size_t sl = size(t->left);
  if (i <= sl) return balance(t->value, insert_at(t->left, i, x), t->right);
  return balance(t->value, t->left, insert_at(t->right, i - sl - 1, x));
}

template <class V>
ptr<V> set_at(const ptr<V>& t, std::size_t i, const slot<V>& x) {
  std::size_t sl = size(t->left);
  if (i == sl) return make(x, t->left, t->right);
  if (i < sl) return make(t->value, set_at(t->left, i, x), t->right);
  return make(t->value, t->left, set_at(t->right, i - sl - 1, x));
}

// Removes the first (or last) element of t into `out`.
template <class V>
ptr<V> erase_min(const ptr<V>& t, const slot<V>*& out) {
  if (!t->left) {
    out = &t->value;
    return t->right;
  }
  return balance(t->value, erase_min(t->left, out), t->right);
}

template <class V>
ptr<V> erase_max(const ptr<V>& t, const slot<V>*& out) {
  if (!t->right) {
    out = &t->value;
    return t->left;
  }
  return balance(t->value, t->left, erase_max(t->right, out));
}

// Joins two trees that were siblings (balanced with each other).
template <class V>
ptr<V> glue(const ptr<V>& l, const ptr<V>& r) {
  if (!l) return r;
  if (!r) return l;
  const slot<V>* m = nullptr;
  if (l->size > r->size) {
    ptr<V> rest = erase_max(l, m);
    return balance(*m, std::move(rest), r);
  }
  ptr<V> rest = erase_min(r, m);
  return balance(*m, l, std::move(rest));
}

template <class V>
ptr<V> erase_at(const ptr<V>& t, std::size_t i) {
  std::size_t sl = size(t->left);
  if (i < sl) return balance(t->value, erase_at(t->left, i), t->right);
  if (i > sl) return balance(t->value, t->left, erase_at(t->right, i - sl - 1));
  return glue(t->left, t->right);
}

// ---- joining and splitting (O(log n) new nodes each) -----------------------------------

// The tree of l, then x, then r, whatever their sizes.
template <class V>
ptr<V> link(const ptr<V>& l, const slot<V>& x, const ptr<V>& r) {
  if (!l) return insert_at(r, 0, x);
  if (!r) return insert_at(l, l->size, x);
  if (delta * l->size < r->size) return balance(r->value, link(l, x, r->left), r->right);
  if (delta * r->size < l->size) return balance(l->value, l->left, link(l->right, x, r));
  return make(x, l, r);
}

// The tree of l, then r, whatever their sizes.
template <class V>
ptr<V> merge(const ptr<V>& l, const ptr<V>& r) {
  if (!l) return r;
  if (!r) return l;
  if (delta * l->size < r->size) return balance(r->value, merge(l, r->left), r->right);
  if (delta * r->size < l->size) return balance(l->value, l->left, merge(l->right, r));
  return glue(l, r);
}

// The first i elements of t, and the rest.
template <class V>
std::pair<ptr<V>, ptr<V>> split_at(const ptr<V>& t, std::size_t i) {
  if (!t) return {nullptr, nullptr};
  const std::size_t sl = size(t->left);
  if (i <= sl) {
    std::pair<ptr<V>, ptr<V>> p = split_at(t->left, i);
    return {std::move(p.first), link(p.second, t->value, t->right)};
  }
  std::pair<ptr<V>, ptr<V>> p = split_at(t->right, i - sl - 1);
  return {link(t->left, t->value, p.first), std::move(p.second)};
}

// Appends the slots of t to out, in order (sharing the values).
template <class V>
void collect_slots(const ptr<V>& t, std::vector<slot<V>>& out) {
  if (!t) return;
  collect_slots(t->left, out);
  out.push_back(t->value);
  collect_slots(t->right, out);
}

// A perfectly balanced tree of the slots [first, first + n).
template <class V>
ptr<V> build_slots(const slot<V>* first, std::size_t n) {
  if (n == 0) return nullptr;
  const std::size_t half = n / 2;
  return make(first[half], build_slots(first, half), build_slots(first + half + 1, n - half - 1));
}

// A perfectly balanced tree of [first, first + n).
template <class It>
auto build(It first, std::size_t n) -> ptr<typename std::iterator_traits<It>::value_type> {
  using V = typename std::iterator_traits<It>::value_type;
  if (n == 0) return nullptr;
  std::size_t half = n / 2;
  ptr<V> l = build(first, half);
  std::advance(first, half);
  slot<V> x(*first);
  ++first;
  return make(std::move(x), std::move(l), build(first, n - half - 1));
}

// ---- by key (KeyOf extracts the key of a value) ------------------------------------

template <class V, class K, class Compare, class KeyOf>
const V* find(const ptr<V>& root, const K& k, const Compare& less, const KeyOf& key_of) {
  const node<V>* t = root.get();
  while (t) {
    const auto& tk = key_of(t->value.get());
    if (less(k, tk))
      t = t->left.get();
    else if (less(tk, k))
      t = t->right.get();
    else
      return &t->value.get();
  }
  return nullptr;
}

// Inserts x, whose key must not be in t yet.
template <class V, class Compare, class KeyOf>
ptr<V> insert_new(const ptr<V>& t, const slot<V>& x, const Compare& less, const KeyOf& key_of) {
  if (!t) return make(x, nullptr, nullptr);
  if (less(key_of(x.get()), key_of(t->value.get())))
    return balance(t->value, insert_new(t->left, x, less, key_of), t->right);
  return balance(t->value, t->left, insert_new(t->right, x, less, key_of));
}

// Removes the value with key k, which must be in t.
template <class V, class K, class Compare, class KeyOf>
ptr<V> erase_key(const ptr<V>& t, const K& k, const Compare& less, const KeyOf& key_of) {
  const auto& tk = key_of(t->value.get());
  if (less(k, tk)) return balance(t->value, erase_key(t->left, k, less, key_of), t->right);
  if (less(tk, k)) return balance(t->value, t->left, erase_key(t->right, k, less, key_of));
  return glue(t->left, t->right);
}

// ---- in-order traversal --------------------------------------------------------------

template <class V>
class iterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = V;
  using difference_type = std::ptrdiff_t;
  using pointer = const V*;
  using reference = const V&;

  iterator() = default;
  explicit iterator(const node<V>* root) { descend(root); }

  reference operator*() const noexcept { return path_.back()->value.get(); }
  pointer operator->() const noexcept { return &path_.back()->value.get(); }
  iterator& operator++() {
    const node<V>* t = path_.back();
    path_.pop_back();
    descend(t->right.get());
    return *this;
  }
  iterator operator++(int) {
    iterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const iterator& a, const iterator& b) noexcept {
    if (a.path_.empty() || b.path_.empty()) return a.path_.empty() == b.path_.empty();
    return a.path_.back() == b.path_.back();
  }
  friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

private:
  void descend(const node<V>* t) {
    for (; t; t = t->left.get()) path_.push_back(t);
  }
  std::vector<const node<V>*> path_;  // the nodes still to visit, leftmost last
};

// An immutable view of a tree at one instant (tlist::snapshot(),
// tset::snapshot()): iterating it needs no transaction and sees no later
// change. It shares the container's nodes, so taking one is O(1); it keeps
// the elements it can see alive.
template <class V>
class view {
public:
  using value_type = V;
  using const_iterator = iterator<V>;
  using size_type = std::size_t;

  view() = default;
  explicit view(ptr<V> root) noexcept : root_(std::move(root)) {}

  const_iterator begin() const { return const_iterator(root_.get()); }
  const_iterator end() const noexcept { return const_iterator(); }
  size_type size() const noexcept { return ptree::size(root_); }
  bool empty() const noexcept { return !root_; }
  // Element i in O(log n); i must be below size().
  const V& operator[](size_type i) const noexcept { return ptree::at(root_, i); }
  std::vector<V> to_vector() const {
    std::vector<V> out;
    out.reserve(size());
    for (const V& v : *this) out.push_back(v);
    return out;
  }

private:
  ptr<V> root_;
};

}  // namespace ptree
}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
