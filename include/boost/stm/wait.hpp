// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_WAIT_HPP_INCLUDED
#define BOOST_STM_WAIT_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/future.hpp>

#include <chrono>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

enum class return_when { first_completed, first_exception, all_completed };

// References to some elements of the caller's container of futures, in the
// container's order. Futures are move-only, so wait() and as_completed()
// hand out the caller's own futures; the container must outlive the result
// and must not be resized meanwhile.
template <class F>
class future_refs {
  using base_iterator = typename std::vector<F*>::const_iterator;

public:
  class iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = F;
    using difference_type = std::ptrdiff_t;
    using pointer = F*;
    using reference = F&;

    iterator() = default;
    explicit iterator(base_iterator it) : it_(it) {}
    F& operator*() const { return **it_; }
    F* operator->() const { return *it_; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++it_;
      return t;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.it_ == b.it_; }
    friend bool operator!=(const iterator& a, const iterator& b) { return a.it_ != b.it_; }

  private:
    base_iterator it_;
  };

  iterator begin() const { return iterator(p_.begin()); }
  iterator end() const { return iterator(p_.end()); }
  std::size_t size() const noexcept { return p_.size(); }
  bool empty() const noexcept { return p_.empty(); }
  F& operator[](std::size_t i) const { return *p_[i]; }
  // Whether f (an element of the container, by address) is in here.
  bool contains(const F& f) const noexcept {
    for (F* p : p_)
      if (p == &f) return true;
    return false;
  }

  std::vector<F*>& pointers() noexcept { return p_; }

private:
  std::vector<F*> p_;
};

template <class F>
struct wait_result {
  future_refs<F> done;
  future_refs<F> not_done;
};

namespace detail {

template <class Futures>
using future_element_t = std::remove_reference_t<decltype(*std::begin(std::declval<Futures&>()))>;

enum class seen : unsigned char { unknown, done, failed };

// Reads one future's state in the current transaction. A future without a
// state (get() already called, or moved from) counts as done. Terminal
// states never change, so what was seen terminal is not read again.
template <class F>
seen look(const F& f, seen known) {
  if (known != seen::unknown) return known;
  future_state_base* s = future_access::state(f);
  if (!s) return seen::done;
  std::optional<future_snapshot> snap = s->read_ended();
  if (!snap) return seen::unknown;
  return snap->code == future_code::finished && snap->error ? seen::failed : seen::done;
}

// Called by a wait without a deadline, outside any transaction: on a task's
// thread (or fiber), runs here the queued jobs of that task's executor it
// waits for (see future_state_base::run_here), so that waiting from a task
// never needs another worker. Until `w` holds: all of them, the first one
// for first_completed, one after another until one fails for
// first_exception. Jobs already running elsewhere are left to their workers.
template <class F>
void run_waited_here(const std::vector<F*>& fs, return_when w) {
  if (!current_job_owner || in_transaction()) return;
  auto holds = [&] {
    if (w == return_when::all_completed) return false;
    for (F* f : fs) {
      seen s = look(*f, seen::unknown);
      if (s == seen::failed || (s == seen::done && w == return_when::first_completed))
        return true;
    }
    return false;
  };
  if (holds()) return;
  for (F* f : fs) {
    future_state_base* s = future_access::state(*f);
    if (s && s->run_here() && holds()) return;
  }
}

template <class Futures>
wait_result<future_element_t<Futures>> wait_impl(
    Futures& fs, std::optional<std::chrono::steady_clock::time_point> deadline, return_when w) {
  using F = future_element_t<Futures>;
  std::vector<F*> all;
  for (auto& f : fs) all.push_back(&f);
  if (!deadline) run_waited_here(all, w);
  std::vector<seen> known(all.size(), seen::unknown);
  atomically([&] {
    std::size_t done = 0;
    bool failed = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      seen s = look(*all[i], known[i]);
      if (s == seen::unknown) continue;
      known[i] = s;
      ++done;
      failed = failed || s == seen::failed;
    }
    bool enough = done == all.size() || (w == return_when::first_completed && done > 0) ||
                  (w == return_when::first_exception && failed);
    if (enough || (deadline && elapsed(*deadline))) return;
    retry();
  });
  wait_result<F> r;
  for (std::size_t i = 0; i < all.size(); ++i)
    (known[i] == seen::unknown ? r.not_done : r.done).pointers().push_back(all[i]);
  return r;
}

}  // namespace detail

// Blocks until the condition `w` holds for the futures in `fs` (first
// completed; first finished by an exception, else all; all completed), or
// until `timeout` has passed. Returns the futures done at that point and the
// others, as references into `fs`; a timeout is not an error (look at
// not_done). One STM transaction over the futures' states: it sleeps until
// one of them changes. Inside a transaction it is part of it.
template <class Futures>
wait_result<detail::future_element_t<Futures>> wait(
    Futures& fs, return_when w = return_when::all_completed) {
  return detail::wait_impl(fs, std::nullopt, w);
}

template <class Futures, class Rep, class Period>
wait_result<detail::future_element_t<Futures>> wait(
    Futures& fs, std::chrono::duration<Rep, Period> timeout,
    return_when w = return_when::all_completed) {
  return detail::wait_impl(
      fs,
      std::chrono::steady_clock::now() +
          std::chrono::ceil<std::chrono::steady_clock::duration>(timeout),
      w);
}

// A single-pass range over the futures of a container, each yielded once as
// it becomes done: those already done first, then the others as they
// complete. Advancing past the last done one blocks (one transaction over
// the remaining futures' states); if the deadline passes first it throws
// timeout_error saying how many are unfinished.
template <class F>
class as_completed_range {
public:
  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = F;
    using difference_type = std::ptrdiff_t;
    using pointer = F*;
    using reference = F&;

    iterator() = default;
    explicit iterator(as_completed_range* r) : r_(r) {}
    F& operator*() const { return *r_->current_; }
    F* operator->() const { return r_->current_; }
    iterator& operator++() {
      r_->advance();
      return *this;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.at_end() == b.at_end(); }
    friend bool operator!=(const iterator& a, const iterator& b) { return !(a == b); }

  private:
    bool at_end() const { return !r_ || !r_->current_; }
    as_completed_range* r_ = nullptr;
  };

  as_completed_range(std::vector<F*> fs, std::optional<std::chrono::steady_clock::time_point> d)
      : pending_(std::move(fs)), total_(pending_.size()), deadline_(d) {}

  iterator begin() {
    if (!started_) {
      started_ = true;
      advance();
    }
    return iterator(this);
  }
  iterator end() { return iterator(); }

private:
  void advance() {
    if (next_ready_ == ready_.size()) {
      ready_.clear();
      next_ready_ = 0;
      if (!pending_.empty()) collect();
    }
    current_ = next_ready_ < ready_.size() ? ready_[next_ready_++] : nullptr;
  }

  // Moves the done ones from pending_ to ready_, waiting for at least one.
  void collect() {
    if (!deadline_) detail::run_waited_here(pending_, return_when::first_completed);
    std::vector<char> done(pending_.size(), 0);
    atomically([&] {
      bool any = false;
      for (std::size_t i = 0; i < pending_.size(); ++i) {
        if (!done[i]) done[i] = detail::look(*pending_[i], detail::seen::unknown) != detail::seen::unknown;
        any = any || done[i];
      }
      if (any) return;
      if (deadline_ && elapsed(*deadline_))
        throw timeout_error("boost::stm::as_completed: " + std::to_string(pending_.size()) +
                            " (of " + std::to_string(total_) +
                            ") futures unfinished when the timeout passed; give a longer "
                            "timeout, or use wait() to collect what is done so far");
      retry();
    });
    std::vector<F*> still;
    for (std::size_t i = 0; i < pending_.size(); ++i)
      (done[i] ? ready_ : still).push_back(pending_[i]);
    pending_.swap(still);
  }

  std::vector<F*> pending_;
  std::vector<F*> ready_;
  std::size_t next_ready_ = 0;
  std::size_t total_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  F* current_ = nullptr;
  bool started_ = false;
};

// Yields each future of `fs` (by reference into it) once, as it becomes
// done; see as_completed_range. The timeout counts from this call.
template <class Futures>
as_completed_range<detail::future_element_t<Futures>> as_completed(Futures& fs) {
  std::vector<detail::future_element_t<Futures>*> v;
  for (auto& f : fs) v.push_back(&f);
  return {std::move(v), std::nullopt};
}

template <class Futures, class Rep, class Period>
as_completed_range<detail::future_element_t<Futures>> as_completed(
    Futures& fs, std::chrono::duration<Rep, Period> timeout) {
  std::vector<detail::future_element_t<Futures>*> v;
  for (auto& f : fs) v.push_back(&f);
  return {std::move(v), std::chrono::steady_clock::now() +
                            std::chrono::ceil<std::chrono::steady_clock::duration>(timeout)};
}

}  // namespace stm
}  // namespace boost

#endif
