// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_TQUEUE_HPP_INCLUDED
#define BOOST_STM_TQUEUE_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/containers/release_chain.hpp>
#include <boost/stm/tvar.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

namespace detail {

// A persistent singly linked list; len counts the nodes from here on.
template <class T>
struct tq_node {
  explicit tq_node(T&& v) : value(std::move(v)) {}
  tq_node(const T& v, std::shared_ptr<const tq_node> n)
      : value(v), next(std::move(n)), len(1 + next->len) {}
  explicit tq_node(const T& v) : value(v) {}
  ~tq_node() { release_chain(next); }
  tq_node(const tq_node&) = delete;
  tq_node& operator=(const tq_node&) = delete;

  T value;
  std::shared_ptr<const tq_node> next;
  std::size_t len = 1;
};

template <class T>
using tq_list = std::shared_ptr<const tq_node<T>>;

// One end of the queue. For a bounded queue, credit is how many pushes the
// writer may make before it must collect the slots pops have freed (held
// in the read end's credit), as GHC's TBQueue does: so that a push does not
// normally read what a pop writes.
template <class T>
struct tq_end {
  tq_list<T> items;
  std::size_t credit = 0;
};

}  // namespace detail

// A transactional FIFO queue (GHC's TQueue): pushes go onto one persistent
// list, pops come off another, and when the second runs dry the first is
// reversed into it. Each end is its own tvar, so a push and a pop normally
// neither conflict nor wake each other; both are amortised O(1). Optionally
// bounded: push() then retries while the queue is full. Every member is
// transactional (it joins the current transaction, or runs as its own).
template <class T>
class tqueue {
  using list = detail::tq_list<T>;
  using end = detail::tq_end<T>;

public:
  using value_type = T;
  using size_type = std::size_t;
  static constexpr size_type unbounded = std::numeric_limits<size_type>::max();

  tqueue() : cap_(unbounded) {}
  // A queue of at most `capacity` items. Throws std::invalid_argument if 0.
  explicit tqueue(size_type capacity) : cap_(checked(capacity)), back_(end{nullptr, capacity}) {}
  tqueue(const tqueue&) = delete;
  tqueue& operator=(const tqueue&) = delete;

  // Appends v; retries (blocks) while a bounded queue is full.
  void push(T v) {
    auto n = std::make_shared<detail::tq_node<T>>(std::move(v));
    push_node(n, true);
  }

  // Appends v unless the queue is full; false (and v untouched) if it is.
  bool try_push(const T& v) { return push_node(std::make_shared<detail::tq_node<T>>(v), false); }
  bool try_push(T&& v) {
    auto n = std::make_shared<detail::tq_node<T>>(std::move(v));
    if (push_node(n, false)) return true;
    v = std::move(n->value);  // never published: still ours
    return false;
  }

  // Removes and returns the oldest item; retries (blocks) while empty.
  T pop() {
    return atomically([&] { return take(true, true).value(); });
  }
  std::optional<T> try_pop() {
    return atomically([&] { return take(false, true); });
  }

  // The oldest item, left in place; peek() retries while empty. When the
  // read end is empty this moves the write end's items over (a write).
  T peek() {
    return atomically([&] { return take(true, false).value(); });
  }
  std::optional<T> try_peek() {
    return atomically([&] { return take(false, false); });
  }

  // Removes and returns every item, oldest first, in one step (GHC's
  // flushTQueue). Reads both ends; writes them only if there was something
  // to take, so flushing an empty queue returns {} and wakes nobody.
  std::vector<T> flush() {
    return atomically([&] {
      std::vector<T> out;
      end r = front_.get();
      end w = back_.get();
      if (!r.items && !w.items) return out;
      out.reserve(len(r.items) + len(w.items));
      for (const detail::tq_node<T>* p = r.items.get(); p; p = p->next.get())
        out.push_back(p->value);
      std::size_t mid = out.size();
      for (const detail::tq_node<T>* p = w.items.get(); p; p = p->next.get())
        out.push_back(p->value);
      std::reverse(out.begin() + static_cast<std::ptrdiff_t>(mid), out.end());
      front_.set(end{});
      back_.set(end{nullptr, bounded() ? cap_ : 0});
      return out;
    });
  }

  // Puts v back at the front, so that it is the next item popped (GHC's
  // unGetTQueue). A bounded queue that is full retries (blocks), as
  // unGetTBQueue does.
  void unget(T v) {
    atomically([&] {
      end r = front_.get();
      if (bounded()) {
        if (r.credit > 0) {
          --r.credit;
        } else {
          end w = back_.get();
          if (w.credit == 0) retry();
          --w.credit;
          back_.set(std::move(w));
        }
      }
      auto n = r.items ? std::make_shared<detail::tq_node<T>>(v, std::move(r.items))
                       : std::make_shared<detail::tq_node<T>>(v);
      r.items = std::move(n);
      front_.set(std::move(r));
    });
  }

  // true only for a bounded queue holding capacity() items (GHC's
  // isFullTBQueue); an unbounded queue is never full and reads nothing.
  bool full() const {
    if (!bounded()) return false;
    return atomically([&] { return front_.get().credit + back_.get().credit == 0; });
  }

  // O(1). Reads both ends, so it conflicts with pushes and pops alike.
  size_type size() const {
    return atomically([&] { return len(front_.get().items) + len(back_.get().items); });
  }
  bool empty() const {
    return atomically([&] { return !front_.get().items && !back_.get().items; });
  }
  size_type capacity() const noexcept { return cap_; }

  void clear() {
    atomically([&] {
      front_.set(end{});
      back_.set(end{nullptr, cap_ == unbounded ? 0 : cap_});
    });
  }

private:
  static size_type checked(size_type capacity) {
    if (capacity == 0) throw std::invalid_argument("stm::tqueue: a capacity must be at least 1");
    return capacity;
  }
  static size_type len(const list& l) noexcept { return l ? l->len : 0; }
  bool bounded() const noexcept { return cap_ != unbounded; }

  // n is not shared with anyone until a commit publishes it: an aborted
  // attempt's writes are never seen and are freed before the next attempt,
  // so each attempt may relink n in place.
  bool push_node(const std::shared_ptr<detail::tq_node<T>>& n, bool block) {
    return atomically([&] {
      end w = back_.get();
      if (bounded() && w.credit == 0) {
        end r = front_.get();
        if (r.credit == 0) {
          if (block) retry();
          return false;
        }
        w.credit = r.credit;
        r.credit = 0;
        front_.set(std::move(r));
      }
      if (bounded()) --w.credit;
      n->next = std::move(w.items);
      n->len = 1 + len(n->next);
      w.items = n;
      back_.set(std::move(w));
      return true;
    });
  }

  // The oldest item, removed if `remove`; nullopt (or retry if `block`)
  // when empty. Must run inside a transaction.
  std::optional<T> take(bool block, bool remove) {
    end r = front_.get();
    if (!r.items) {
      end w = back_.get();
      if (!w.items) {
        if (block) retry();
        return std::nullopt;
      }
      if (!w.items->next) {
        // A single item: taken straight from the back, the front stays empty.
        if (!remove) return w.items->value;
        T v = w.items->value;
        w.items = nullptr;
        back_.set(std::move(w));
        if (bounded()) {
          ++r.credit;
          front_.set(std::move(r));
        }
        return v;
      }
      r.items = reversed(w.items);
      w.items = nullptr;
      back_.set(std::move(w));
      if (!remove) {
        T v = r.items->value;
        front_.set(std::move(r));
        return v;
      }
    } else if (!remove) {
      return r.items->value;
    }
    T v = r.items->value;
    r.items = r.items->next;
    if (bounded()) ++r.credit;
    front_.set(std::move(r));
    return v;
  }

  static list reversed(const list& l) {
    list out;
    for (const detail::tq_node<T>* p = l.get(); p; p = p->next.get())
      out = out ? std::make_shared<detail::tq_node<T>>(p->value, std::move(out))
                : std::make_shared<detail::tq_node<T>>(p->value);
    return out;
  }

  size_type cap_;
  tvar<end> front_;  // the read end: oldest item first
  tvar<end> back_;   // the write end: newest item first
};

}  // namespace stm
}  // namespace boost

#endif
