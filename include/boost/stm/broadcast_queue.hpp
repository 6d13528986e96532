// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_BROADCAST_QUEUE_HPP_INCLUDED
#define BOOST_STM_BROADCAST_QUEUE_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/containers/release_chain.hpp>
#include <boost/stm/tvar.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

namespace boost {
namespace stm {

template <class T>
class broadcast_endpoint;

namespace detail {

// GHC's broadcast TChan: a chain of holes, each a tvar that is empty until
// put() fills it with an item and the next hole. The queue holds the last
// (empty) hole; every endpoint holds its own cursor. Cells nobody can reach
// any more die with the last tvar value referring to them, which the engine
// frees only once no transaction can still be reading it.
template <class T>
struct bq_cell;

template <class T>
using bq_hole = tvar<std::shared_ptr<const bq_cell<T>>>;

template <class T>
struct bq_cell {
  explicit bq_cell(T&& v) : value(std::move(v)), next(std::make_shared<bq_hole<T>>()) {}
  bq_cell(const T& v, std::shared_ptr<bq_hole<T>> n) : value(v), next(std::move(n)) {}
  ~bq_cell() { release_chain(next); }
  bq_cell(const bq_cell&) = delete;
  bq_cell& operator=(const bq_cell&) = delete;

  T value;
  std::shared_ptr<bq_hole<T>> next;
};

// A position in the chain. seq counts items put before the hole, so that the
// unread items of an endpoint are the queue's seq minus its own; replace()
// steps one back.
template <class T>
struct bq_position {
  std::shared_ptr<bq_hole<T>> hole;
  std::uint64_t seq = 0;
};

// A cursor or the write end.
template <class T>
using bq_end = tvar<bq_position<T>>;

}  // namespace detail

// A multicast FIFO (python-stm's BroadcastQueue, GHC's broadcast TChan):
// every endpoint receives every item put after the endpoint was created.
// All members are transactional: inside atomically() they join the
// transaction, outside it each is a transaction of its own. The queue keeps
// no item alive by itself: items put while no endpoint exists are dropped,
// and an item is freed once every endpoint has read past it. Endpoints may
// outlive the queue.
template <class T>
class broadcast_queue {
public:
  using value_type = T;

  broadcast_queue()
      : end_(std::make_shared<detail::bq_end<T>>(
            detail::bq_position<T>{std::make_shared<detail::bq_hole<T>>(), 0})) {}
  broadcast_queue(const broadcast_queue&) = delete;
  broadcast_queue& operator=(const broadcast_queue&) = delete;

  // Appends v for every endpoint. Never blocks.
  void put(T v) {
    // Built once, outside the attempt loop: the cell is immutable, so a
    // restarted attempt reuses it (and v is moved only once).
    std::shared_ptr<const detail::bq_cell<T>> cell =
        std::make_shared<detail::bq_cell<T>>(std::move(v));
    atomically([&] {
      detail::bq_position<T> e = end_->get();
      e.hole->set(cell);
      end_->set(detail::bq_position<T>{cell->next, e.seq + 1});
    });
  }

  // A new endpoint that will see the items put from now on.
  broadcast_endpoint<T> new_endpoint() const { return broadcast_endpoint<T>(end_->get(), end_); }

private:
  std::shared_ptr<detail::bq_end<T>> end_;
};

// A reading end of a broadcast_queue: a cheap handle to a cursor. Copies of
// the handle share the cursor (an item taken through one is gone for all of
// them); duplicate() makes an independent cursor at the same place. Like a
// tvar, the cursor must outlive the transactions using it: do not destroy
// the last handle inside a transaction that used it.
template <class T>
class broadcast_endpoint {
public:
  using value_type = T;

  // Takes the next item; retries (blocks) while there is none.
  T get() {
    return atomically([&] {
      std::shared_ptr<const detail::bq_cell<T>> c = take();
      if (!c) retry();
      return c->value;
    });
  }

  std::optional<T> try_get() {
    return atomically([&]() -> std::optional<T> {
      std::shared_ptr<const detail::bq_cell<T>> c = take();
      if (!c) return std::nullopt;
      return c->value;
    });
  }

  // The next item without taking it; retries while there is none.
  T peek() const {
    return atomically([&] {
      std::shared_ptr<const detail::bq_cell<T>> c = cursor_->get().hole->get();
      if (!c) retry();
      return c->value;
    });
  }

  std::optional<T> try_peek() const {
    return atomically([&]() -> std::optional<T> {
      std::shared_ptr<const detail::bq_cell<T>> c = cursor_->get().hole->get();
      if (!c) return std::nullopt;
      return c->value;
    });
  }

  // Pushes v back in front of the unread items of this cursor (shared by
  // copies of this handle), not of any other endpoint.
  void replace(const T& v) {
    atomically([&] {
      detail::bq_position<T> p = cursor_->get();
      // A private hole, already filled, whose successor is the old front.
      std::shared_ptr<const detail::bq_cell<T>> c =
          std::make_shared<detail::bq_cell<T>>(v, std::move(p.hole));
      cursor_->set(detail::bq_position<T>{std::make_shared<detail::bq_hole<T>>(c), p.seq - 1});
    });
  }

  // The number of unread items, in O(1). It reads the queue's write end, so
  // it conflicts with concurrent put()s; empty() does not.
  std::size_t remaining() const {
    return atomically(
        [&] { return static_cast<std::size_t>(end_->get().seq - cursor_->get().seq); });
  }

  bool empty() const {
    return atomically([&] { return !cursor_->get().hole->get(); });
  }

  // A new endpoint with the same unread items and a cursor of its own.
  broadcast_endpoint duplicate() const { return broadcast_endpoint(cursor_->get(), end_); }

private:
  friend class broadcast_queue<T>;
  broadcast_endpoint(detail::bq_position<T> p, std::shared_ptr<detail::bq_end<T>> end)
      : cursor_(std::make_shared<detail::bq_end<T>>(std::move(p))), end_(std::move(end)) {}

  // Advances past the next item and returns its cell, or nullptr.
  std::shared_ptr<const detail::bq_cell<T>> take() {
    detail::bq_position<T> p = cursor_->get();
    std::shared_ptr<const detail::bq_cell<T>> c = p.hole->get();
    if (c) cursor_->set(detail::bq_position<T>{c->next, p.seq + 1});
    return c;
  }

  std::shared_ptr<detail::bq_end<T>> cursor_;
  std::shared_ptr<detail::bq_end<T>> end_;  // the queue's write end, for remaining()
};

}  // namespace stm
}  // namespace boost

#endif
