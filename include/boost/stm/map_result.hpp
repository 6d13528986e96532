// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_MAP_RESULT_HPP_INCLUDED
#define BOOST_STM_MAP_RESULT_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/future.hpp>

#include <chrono>
#include <cstddef>
#include <future>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace boost {
namespace stm {

// What executor::map returns: a single-pass range over the results, in the
// order of the arguments. Dereferencing waits for that result and returns
// it, rethrows that task's exception, or throws timeout_error if map's
// deadline passed first. Destroying the range cancels every task whose
// result was not reached (those not yet started never run). A void task
// yields std::monostate.
template <class R>
class map_result {
public:
  using value_type = std::conditional_t<std::is_void<R>::value, std::monostate, R>;

  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = map_result::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = std::add_pointer_t<value_type>;
    using reference = std::conditional_t<std::is_reference<R>::value, R, value_type&>;

    iterator() = default;
    explicit iterator(map_result* r) : r_(r) {}
    reference operator*() const { return r_->current(); }
    iterator& operator++() {
      r_->advance();
      return *this;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.at_end() == b.at_end(); }
    friend bool operator!=(const iterator& a, const iterator& b) { return !(a == b); }

  private:
    bool at_end() const { return !r_ || r_->next_ == r_->futures_.size(); }
    map_result* r_ = nullptr;
  };

  map_result(std::vector<future<R>> fs,
             std::optional<std::chrono::steady_clock::time_point> deadline)
      : futures_(std::move(fs)), deadline_(deadline) {}
  map_result(map_result&&) noexcept = default;
  map_result& operator=(map_result&&) = delete;
  map_result(const map_result&) = delete;
  map_result& operator=(const map_result&) = delete;
  ~map_result() { cancel_rest(); }

  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }
  // Number of tasks submitted (results, consumed or not).
  std::size_t size() const noexcept { return futures_.size(); }

  // Cancels every task whose result was not reached yet, in one transaction
  // (so no worker starts one of them in between).
  void cancel_rest() noexcept {
    if (next_ >= futures_.size()) return;
    try {
      atomically([&] {
        for (std::size_t i = next_; i < futures_.size(); ++i)
          if (futures_[i].valid()) futures_[i].cancel();
      });
    } catch (...) {
      // Only allocation can fail here; the tasks then simply run.
    }
  }

private:
  using slot = std::conditional_t<std::is_reference<R>::value,
                                  std::add_pointer_t<std::remove_reference_t<R>>, value_type>;

  typename iterator::reference current() {
    if (!current_) {
      future<R>& f = futures_[next_];
      if (deadline_ && f.wait_until(*deadline_) == std::future_status::timeout)
        throw timeout_error("boost::stm::executor::map: result " + std::to_string(next_) +
                            " (of " + std::to_string(futures_.size()) +
                            ") was not ready within the timeout; give map() a longer "
                            "timeout, or none");
      if constexpr (std::is_void<R>::value) {
        f.get();
        current_.emplace();
      } else if constexpr (std::is_reference<R>::value) {
        current_.emplace(std::addressof(f.get()));
      } else {
        current_.emplace(f.get());
      }
    }
    if constexpr (std::is_reference<R>::value)
      return **current_;
    else
      return *current_;
  }

  void advance() {
    current_.reset();
    ++next_;
  }

  std::vector<future<R>> futures_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::size_t next_ = 0;
  std::optional<slot> current_;
};

}  // namespace stm
}  // namespace boost

#endif
