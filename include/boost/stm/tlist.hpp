#ifndef BOOST_STM_TLIST_HPP_INCLUDED
#define BOOST_STM_TLIST_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/persistent_tree.hpp>
#include <boost/stm/tvar.hpp>

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

// A transactional sequence. The middle is a persistent balanced tree (as
// python-stm keeps a finger tree in one TVar); each end keeps up to
// `buffer` elements in a short immutable list of its own tvars, so that
// pushing and popping at the ends, the way a queue is used, allocate a
// cell instead of copying a path of the tree, and a push at the back does
// not conflict with a pop at the front while both ends have elements.
// Indexing, insertion and removal anywhere are O(log n); size() is O(1);
// snapshot() is O(log n) and gives a consistent view to iterate outside any
// transaction. Every member is transactional (it joins the current
// transaction, or runs as its own).
template <class T>
class tlist {
  using tree = detail::ptree::ptr<T>;
  using list = detail::ptree::list<T>;
  using slot = detail::ptree::slot<T>;

public:
  using value_type = T;
  using size_type = std::size_t;
  using snapshot_type = detail::ptree::view<T>;

  // The most elements each end keeps outside the tree.
  static constexpr size_type buffer = 32;

  tlist() = default;
  tlist(std::initializer_list<T> init) : tree_(detail::ptree::build(init.begin(), init.size())) {}
  tlist(const tlist&) = delete;
  tlist& operator=(const tlist&) = delete;

  void push_back(T v) {
    slot s(std::move(v));
    atomically([&] { push(back_, back_n_, s, false); });
  }

  void push_front(T v) {
    slot s(std::move(v));
    atomically([&] { push(front_, front_n_, s, true); });
  }

  // Inserts v before element i (at the end if i == size()).
  // Throws std::out_of_range if i > size().
  void insert(size_type i, T v) {
    slot s(std::move(v));
    atomically([&] {
      check(i, i > count(), "insert");
      tree r = gather();
      tree_.set(detail::ptree::insert_at(r, i, s));
    });
  }

  // Throws std::out_of_range if i >= size().
  void erase(size_type i) {
    atomically([&] {
      check(i, i >= count(), "erase");
      tree r = gather();
      tree_.set(detail::ptree::erase_at(r, i));
    });
  }

  // A copy of element i. Both throw std::out_of_range if i >= size().
  T at(size_type i) const {
    return atomically([&]() -> T {
      const size_type nf = front_n_.get(), nb = back_n_.get();
      tree r = tree_.get();
      const size_type nt = detail::ptree::size(r);
      check(i, i >= nf + nt + nb, "at");
      if (i < nf) return nth(front_.get(), i);
      if (i < nf + nt) return detail::ptree::at(r, i - nf);
      return nth(back_.get(), nb - 1 - (i - nf - nt));
    });
  }
  T operator[](size_type i) const { return at(i); }

  // Throws std::out_of_range if i >= size().
  void set(size_type i, T v) {
    slot s(std::move(v));
    atomically([&] {
      check(i, i >= count(), "set");
      tree r = gather();
      tree_.set(detail::ptree::set_at(r, i, s));
    });
  }

  size_type size() const {
    return atomically([&] { return count(); });
  }
  bool empty() const {
    return atomically([&] { return front_n_.get() == 0 && !tree_.get() && back_n_.get() == 0; });
  }
  void clear() {
    atomically([&] {
      front_.set(nullptr);
      front_n_.set(0);
      tree_.set(nullptr);
      back_.set(nullptr);
      back_n_.set(0);
    });
  }

  // Remove and return the last (first) element; retry while empty.
  T pop_back() { return pop(true, true).value(); }
  T pop_front() { return pop(false, true).value(); }
  std::optional<T> try_pop_back() { return pop(true, false); }
  std::optional<T> try_pop_front() { return pop(false, false); }

  // The whole sequence at one instant; iterate it with a range for.
  snapshot_type snapshot() const {
    return atomically([&] {
      return snapshot_type(
          detail::ptree::merge(detail::ptree::merge(tree_of(front_.get(), false), tree_.get()),
                               tree_of(back_.get(), true)));
    });
  }
  std::vector<T> to_vector() const { return snapshot().to_vector(); }

private:
  // The sequence is front_ (in order), then tree_, then back_ (newest first).
  // An end's list never holds more than `buffer` cells.

  size_type count() const { return front_n_.get() + detail::ptree::size(tree_.get()) + back_n_.get(); }

  // The tree of an end's list; `reversed`: the list is the back (newest first).
  static tree tree_of(const list& l, bool reversed) {
    std::vector<slot> v = detail::ptree::slots_of(l);
    if (reversed) std::reverse(v.begin(), v.end());
    return detail::ptree::build_slots(v.data(), v.size());
  }

  static const T& nth(const list& l, size_type i) {
    const detail::ptree::cell<T>* c = l.get();
    while (i--) c = c->next.get();
    return c->value.get();
  }

  // Moves both ends into the tree; returns it (for an operation by index).
  tree gather() {
    tree r = tree_.get();
    if (front_n_.get()) {
      r = detail::ptree::merge(tree_of(front_.get(), false), r);
      front_.set(nullptr);
      front_n_.set(0);
    }
    if (back_n_.get()) {
      r = detail::ptree::merge(r, tree_of(back_.get(), true));
      back_.set(nullptr);
      back_n_.set(0);
    }
    return r;
  }

  // Pushes s onto an end, first moving a full end into the tree.
  void push(tvar<list>& end, tvar<size_type>& n, const slot& s, bool front) {
    size_type k = n.get();
    list l = end.get();
    if (k == buffer) {
      tree t = tree_of(l, !front);
      tree_.set(front ? detail::ptree::merge(t, tree_.get()) : detail::ptree::merge(tree_.get(), t));
      l = nullptr;
      k = 0;
    }
    end.set(detail::ptree::cons(s, std::move(l)));
    n.set(k + 1);
  }

  std::optional<T> pop(bool back, bool block) {
    return atomically([&]() -> std::optional<T> {
      tvar<list>& near = back ? back_ : front_;
      tvar<size_type>& near_n = back ? back_n_ : front_n_;
      tvar<list>& far = back ? front_ : back_;
      tvar<size_type>& far_n = back ? front_n_ : back_n_;
      if (size_type k = near_n.get()) {
        list l = near.get();
        near.set(l->next);
        near_n.set(k - 1);
        return l->value.get();  // l keeps the cell alive until here
      }
      if (tree t = tree_.get()) {
        // Refill this end with up to `buffer` elements from the tree's end.
        const size_type k = std::min(buffer, t->size);
        std::pair<tree, tree> p = detail::ptree::split_at(t, back ? t->size - k : k);
        tree_.set(back ? p.first : p.second);
        std::vector<slot> v;
        v.reserve(k);
        detail::ptree::collect_slots(back ? p.second : p.first, v);
        return take_end(v, near, near_n, back);
      }
      if (far_n.get()) {
        // The far end holds everything left: take it over.
        std::vector<slot> v = detail::ptree::slots_of(far.get());
        if (!back) std::reverse(v.begin(), v.end());  // the back list is newest first
        far.set(nullptr);
        far_n.set(0);
        return take_end(v, near, near_n, back);
      }
      if (block) retry();
      return std::nullopt;
    });
  }

  // v: elements in sequence order, to become this end; returns the one at
  // the very end (the last for the back, the first for the front) and keeps
  // the rest as this end's list.
  static std::optional<T> take_end(const std::vector<slot>& v, tvar<list>& near,
                                   tvar<size_type>& near_n, bool back) {
    list l;
    if (back)  // newest first: cons from the front of the sequence
      for (size_type i = 0; i + 1 < v.size(); ++i) l = detail::ptree::cons(v[i], std::move(l));
    else  // in order: cons from the back of the sequence
      for (size_type i = v.size() - 1; i > 0; --i) l = detail::ptree::cons(v[i], std::move(l));
    near.set(std::move(l));
    near_n.set(v.size() - 1);
    return back ? v.back().get() : v.front().get();
  }

  void check(size_type i, bool bad, const char* what) const {
    if (bad)
      throw std::out_of_range(std::string("stm::tlist::") + what + ": index " + std::to_string(i) +
                              " is out of range for size " + std::to_string(count()));
  }

  tvar<list> front_;
  tvar<size_type> front_n_{size_type(0)};
  tvar<tree> tree_;
  tvar<list> back_;
  tvar<size_type> back_n_{size_type(0)};
};

}  // namespace stm
}  // namespace boost

#endif
