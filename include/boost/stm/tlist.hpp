// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TLIST_HPP_INCLUDED
#define BOOST_STM_TLIST_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/containers/persistent_tree.hpp>
#include <boost/stm/detail/containers/tlist_ends.hpp>
#include <boost/stm/tvar.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
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
// `buffer` elements in a chunk of its own, a small append-only array that
// the end's versions share, so that pushing and popping at the ends, the way
// a queue is used, writes one word and allocates once per `buffer`
// elements, and a push at the back does not conflict with a pop at the
// front while both ends have elements. Indexing, insertion and removal
// anywhere are O(log n); size() is O(1); snapshot() is O(log n) and gives a
// consistent view to iterate outside any transaction. Every member is
// transactional (it joins the current transaction, or runs as its own).
// A popped element is destroyed once the rest of its end's chunk (at most
// `buffer` elements) or view (a piece of a long list, at most 1,024) has
// gone.
template <class T>
class tlist {
  using tree = detail::ptree::ptr<T>;
  using slot = detail::ptree::slot<T>;
  using chunk = detail::tl::chunk<T>;
  using chunk_ptr = std::shared_ptr<chunk>;
  using span = detail::tl::end_span;

public:
  using value_type = T;
  using size_type = std::size_t;
  using snapshot_type = detail::ptree::view<T>;

  // The most elements each end keeps outside the tree.
  static constexpr size_type buffer = chunk::cap;

  tlist() = default;
  tlist(std::initializer_list<T> init) : tree_(detail::ptree::build(init.begin(), init.size())) {}
  tlist(const tlist&) = delete;
  tlist& operator=(const tlist&) = delete;

  void push_back(T v) {
    slot s(std::move(v));
    atomically([&] { push(back_, front_, s, true); });
  }

  void push_front(T v) {
    slot s(std::move(v));
    atomically([&] { push(front_, back_, s, false); });
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

  // Inserts the elements of [first, last) before element i, in order, in
  // O(k + log n) for k elements. Throws std::out_of_range if i > size().
  template <class It, class = std::enable_if_t<!std::is_convertible<It, T>::value>>
  void insert(size_type i, It first, It last) {
    std::vector<slot> v;
    for (; first != last; ++first) v.emplace_back(T(*first));
    const tree t = detail::ptree::build_slots(v.data(), v.size());
    atomically([&] {
      check(i, i > count(), "insert");
      if (!t) return;
      std::pair<tree, tree> p = detail::ptree::split_at(gather(), i);
      tree_.set(detail::ptree::merge(detail::ptree::merge(p.first, t), p.second));
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
      const size_type nf = front_.range.get().size(), nb = back_.range.get().size();
      tree r = tree_.get();
      const size_type nt = detail::ptree::size(r);
      check(i, i >= nf + nt + nb, "at");
      if (i < nf) return front_.load().outer(i).get();
      if (i < nf + nt) return detail::ptree::at(r, i - nf);
      return back_.load().outer(nb - 1 - (i - nf - nt)).get();
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
    return atomically(
        [&] { return front_.range.get().size() == 0 && !tree_.get() && back_.range.get().size() == 0; });
  }
  void clear() {
    atomically([&] {
      front_.reset();
      tree_.set(nullptr);
      back_.reset();
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
      return snapshot_type(detail::ptree::merge(
          detail::ptree::merge(front_.as_tree(false), tree_.get()), back_.as_tree(true)));
    });
  }
  std::vector<T> to_vector() const { return snapshot().to_vector(); }

private:
  // The sequence is the front (outer element first), then tree_, then the
  // back (outer element last). An end's elements are [lo, hi) of its chunk,
  // or of a tree taken whole from the middle (a view, so that a long queue
  // drains `view_max` elements per split of the middle tree, not `buffer`);
  // its outer element is at hi - 1, or at lo.
  static constexpr size_type view_max = 1024;

  struct end {
    tvar<chunk_ptr> items;  // the chunk, if the elements are in one
    tvar<tree> view;        // the tree, if they are a view
    tvar<span> range;

    // What the end holds, read once: the range, and its chunk or tree.
    struct state {
      span r;
      chunk_ptr c;
      tree t;
      // The i-th element counting from the outer one.
      const slot& outer(size_type i) const noexcept {
        const size_type k = r.outer_at_hi ? r.hi - 1 - i : r.lo + i;
        return r.view ? detail::ptree::slot_at(t, k) : c->at(k);
      }
    };
    state load() const {
      state st{range.get(), nullptr, nullptr};
      if (st.r.size()) {
        if (st.r.view)
          st.t = view.get();
        else
          st.c = items.get();
      }
      return st;
    }

    // The elements, outer one first.
    std::vector<slot> slots() const {
      const state st = load();
      std::vector<slot> v;
      v.reserve(st.r.size());
      for (size_type i = 0; i < st.r.size(); ++i) v.push_back(st.outer(i));
      return v;
    }

    // The end as a tree, in sequence order (`back`: the outer one last).
    tree as_tree(bool back) const {
      const state st = load();
      if (st.r.view) {  // [lo, hi) of its tree, in O(log n)
        if (st.r.lo == 0 && st.r.hi == detail::ptree::size(st.t)) return st.t;
        return detail::ptree::split_at(detail::ptree::split_at(st.t, st.r.hi).first, st.r.lo)
            .second;
      }
      std::vector<slot> v = slots();
      if (back) std::reverse(v.begin(), v.end());
      return detail::ptree::build_slots(v.data(), v.size());
    }

    // A new chunk of its own holding v (outer element last), then x.
    void refill(const std::vector<slot>& v, const slot* x) {
      chunk_ptr c = std::make_shared<chunk>();
      size_type n = 0;
      for (const slot& y : v) c->append(n++, y);
      if (x) c->append(n++, *x);
      if (range.get().view) view.set(nullptr);
      items.set(std::move(c));
      range.set(span{0, static_cast<std::uint16_t>(n), true, false});
    }

    // All of t (at most view_max elements), as a view.
    void take_view(tree t, bool back) {
      const std::uint16_t n = static_cast<std::uint16_t>(detail::ptree::size(t));
      items.set(nullptr);
      view.set(std::move(t));
      range.set(span{0, n, back, true});
    }

    void reset() {
      const span r = range.get();
      if (r.size() == 0 && !r.view && !items.get()) return;
      items.set(nullptr);
      view.set(nullptr);
      range.set(span{});
    }
  };

  size_type count() const {
    return front_.range.get().size() + detail::ptree::size(tree_.get()) +
           back_.range.get().size();
  }

  // Moves both ends into the tree; returns it (for an operation by index).
  tree gather() {
    tree r = tree_.get();
    if (front_.range.get().size()) r = detail::ptree::merge(front_.as_tree(false), r);
    if (back_.range.get().size()) r = detail::ptree::merge(r, back_.as_tree(true));
    front_.reset();
    back_.reset();
    return r;
  }

  // Pushes s onto e's outer side. The common case appends to e's chunk and
  // writes e.range alone. Otherwise (a full, shared or viewed end, or a pop
  // at this end since: that index is taken) e moves to a new chunk: with
  // its elements copied if there is room, else after they move aside, to
  // the other end if that and the tree are empty, or into the tree.
  void push(end& e, end& other, const slot& s, bool back) {
    span r = e.range.get();
    if (r.outer_at_hi && !r.view) {
      chunk_ptr c = e.items.get();
      if (c && c->append(r.hi, s)) {
        ++r.hi;
        e.range.set(r);
        return;
      }
    }
    std::vector<slot> v;
    if (r.size() < buffer) {
      v = e.slots();
      std::reverse(v.begin(), v.end());  // outer element last
    } else if (other.range.get().size() == 0 && !tree_.get()) {
      take_over(other, e);
    } else {
      tree t = e.as_tree(back);
      tree_.set(back ? detail::ptree::merge(tree_.get(), t) : detail::ptree::merge(t, tree_.get()));
    }
    e.refill(v, &s);
  }

  // `to` (empty) takes all of `from`'s elements, sharing its chunk or tree:
  // the outer element of one end is the inner one of the other, so the side
  // flips. If `from` could append to its chunk, it still can, past them.
  void take_over(end& to, end& from) {
    const span f = from.range.get();
    if (f.view) {
      to.items.set(nullptr);
      to.view.set(from.view.get());
    } else {
      to.items.set(from.items.get());
      to.view.set(nullptr);
    }
    to.range.set(span{f.lo, f.hi, !f.outer_at_hi, f.view});
    if (f.outer_at_hi && !f.view)
      from.range.set(span{f.hi, f.hi, true, false});
    else
      from.reset();
  }

  std::optional<T> pop(bool back, bool block) {
    return atomically([&]() -> std::optional<T> {
      end& e = back ? back_ : front_;
      end& other = back ? front_ : back_;
      if (e.range.get().size() == 0) {
        if (tree t = tree_.get()) {
          if (t->size <= buffer) {
            // A few: into a chunk of this end's own.
            std::vector<slot> v;
            v.reserve(t->size);
            detail::ptree::collect_slots(t, v);
            if (!back) std::reverse(v.begin(), v.end());  // outer element last
            tree_.set(nullptr);
            e.refill(v, nullptr);
          } else {
            // Many: up to view_max of them from this side, as a view.
            const size_type k = std::min(view_max, t->size);
            std::pair<tree, tree> p = detail::ptree::split_at(t, back ? t->size - k : k);
            tree_.set(back ? std::move(p.first) : std::move(p.second));
            e.take_view(back ? std::move(p.second) : std::move(p.first), back);
          }
        } else if (other.range.get().size()) {
          take_over(e, other);
        } else {
          if (block) retry();
          return std::nullopt;
        }
      }
      const typename end::state st = e.load();
      std::optional<T> v(st.outer(0).get());
      span r = st.r;
      if (r.outer_at_hi)
        --r.hi;
      else
        ++r.lo;
      if (r.size() == 0)
        e.reset();  // let the chunk or tree (and what it still holds) go
      else
        e.range.set(r);
      return v;
    });
  }

  void check(size_type i, bool bad, const char* what) const {
    if (bad)
      throw std::out_of_range(std::string("stm::tlist::") + what + ": index " + std::to_string(i) +
                              " is out of range for size " + std::to_string(count()));
  }

  end front_;
  tvar<tree> tree_;
  end back_;
};

}  // namespace stm
}  // namespace boost

#endif
