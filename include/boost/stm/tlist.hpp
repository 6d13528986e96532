#ifndef BOOST_STM_TLIST_HPP_INCLUDED
#define BOOST_STM_TLIST_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/persistent_tree.hpp>
#include <boost/stm/tvar.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

// A transactional sequence: a persistent balanced tree in one tvar (as
// python-stm keeps a finger tree in one TVar). Indexing, insertion and
// removal anywhere are O(log n); size() is O(1); snapshot() is O(1) and
// gives a consistent view to iterate outside any transaction. Every member
// is transactional (it joins the current transaction, or runs as its own);
// any two updates conflict, since the whole sequence is one tvar.
template <class T>
class tlist {
  using tree = detail::ptree::ptr<T>;
  using slot = detail::ptree::slot<T>;

public:
  using value_type = T;
  using size_type = std::size_t;
  using snapshot_type = detail::ptree::view<T>;

  tlist() = default;
  tlist(std::initializer_list<T> init) : root_(detail::ptree::build(init.begin(), init.size())) {}
  tlist(const tlist&) = delete;
  tlist& operator=(const tlist&) = delete;

  void push_back(T v) {
    slot s(std::move(v));
    atomically([&] {
      tree r = root_.get();
      root_.set(detail::ptree::insert_at(r, detail::ptree::size(r), s));
    });
  }

  void push_front(T v) {
    slot s(std::move(v));
    atomically([&] { root_.set(detail::ptree::insert_at(root_.get(), 0, s)); });
  }

  // Inserts v before element i (at the end if i == size()).
  // Throws std::out_of_range if i > size().
  void insert(size_type i, T v) {
    slot s(std::move(v));
    atomically([&] {
      tree r = root_.get();
      check(r, i, i > detail::ptree::size(r), "insert");
      root_.set(detail::ptree::insert_at(r, i, s));
    });
  }

  // Throws std::out_of_range if i >= size().
  void erase(size_type i) {
    atomically([&] {
      tree r = root_.get();
      check(r, i, i >= detail::ptree::size(r), "erase");
      root_.set(detail::ptree::erase_at(r, i));
    });
  }

  // A copy of element i. Both throw std::out_of_range if i >= size().
  T at(size_type i) const {
    return atomically([&] {
      tree r = root_.get();
      check(r, i, i >= detail::ptree::size(r), "at");
      return detail::ptree::at(r, i);
    });
  }
  T operator[](size_type i) const { return at(i); }

  // Throws std::out_of_range if i >= size().
  void set(size_type i, T v) {
    slot s(std::move(v));
    atomically([&] {
      tree r = root_.get();
      check(r, i, i >= detail::ptree::size(r), "set");
      root_.set(detail::ptree::set_at(r, i, s));
    });
  }

  size_type size() const {
    return atomically([&] { return detail::ptree::size(root_.get()); });
  }
  bool empty() const {
    return atomically([&] { return !root_.get(); });
  }
  void clear() { root_.set(nullptr); }

  // Remove and return the last (first) element; retry while empty.
  T pop_back() { return pop(true, true).value(); }
  T pop_front() { return pop(false, true).value(); }
  std::optional<T> try_pop_back() { return pop(true, false); }
  std::optional<T> try_pop_front() { return pop(false, false); }

  // The whole sequence at one instant; iterate it with a range for.
  snapshot_type snapshot() const { return snapshot_type(root_.get()); }
  std::vector<T> to_vector() const { return snapshot().to_vector(); }

private:
  std::optional<T> pop(bool back, bool block) {
    return atomically([&]() -> std::optional<T> {
      tree r = root_.get();
      if (!r) {
        if (block) retry();
        return std::nullopt;
      }
      const slot* out = nullptr;
      root_.set(back ? detail::ptree::erase_max(r, out) : detail::ptree::erase_min(r, out));
      return out->get();  // r keeps the removed node alive until here
    });
  }

  static void check(const tree& r, size_type i, bool bad, const char* what) {
    if (bad)
      throw std::out_of_range(std::string("stm::tlist::") + what + ": index " + std::to_string(i) +
                              " is out of range for size " +
                              std::to_string(detail::ptree::size(r)));
  }

  tvar<tree> root_;
};

}  // namespace stm
}  // namespace boost

#endif
