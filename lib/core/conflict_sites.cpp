// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Conflict sites (stats.hpp): restarts counted per tvar, for finding the
// tvars a workload's transactions fight over. A fixed open-addressing
// table of atomics: a restart finds its tvar's entry (or claims a free one
// with a compare-exchange) and adds one, with no lock, from any thread,
// including threads that are exiting. Names are ranges of addresses under
// a mutex, looked up only when the sites are read.
#include "core/internal.hpp"

#include <boost/stm/stats.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

std::atomic<int> g_conflict_sites{-1};

namespace {

constexpr std::size_t table_bits = 12;
constexpr std::size_t table_size = std::size_t(1) << table_bits;  // 4,096 tvars
constexpr std::size_t max_probes = 64;

struct site_entry {
  std::atomic<const void*> key{nullptr};
  std::atomic<std::uint64_t> n[3] = {};  // by restart_cause
};

// Static storage with trivial destructors: counting stays valid during
// static destruction and on threads that outlive main.
site_entry g_table[table_size];
site_entry g_overflow;  // restarts on tvars beyond the table's room

bool env_on() noexcept {
  const char* env = std::getenv("BOOST_STM_CONFLICT_SITES");
  return env && *env && std::strcmp(env, "0") != 0;
}

int state() noexcept {
  int s = g_conflict_sites.load(std::memory_order_relaxed);
  if (s < 0) {
    int want = env_on() ? 1 : 0;
    // The first call decides, unless record_conflict_sites() did already.
    if (g_conflict_sites.compare_exchange_strong(s, want, std::memory_order_relaxed)) s = want;
  }
  return s;
}

struct named_range {
  const char* first;
  std::size_t size;
  std::string name;
};

struct names {
  std::mutex m;
  std::vector<named_range> ranges;
  std::atomic<std::size_t> count{0};  // ranges.size(), for a lock-free "none" check
};

// Reachable through a pointer for the life of the process (pools are
// destroyed at exit, in any order with this translation unit's statics).
names& the_names() {
  static names* n = new names;
  return *n;
}

std::string name_of(const void* p, const std::vector<named_range>& ranges) {
  const named_range* best = nullptr;
  const char* c = static_cast<const char*>(p);
  for (const named_range& r : ranges)
    if (std::less_equal<const char*>()(r.first, c) && std::less<const char*>()(c, r.first + r.size) &&
        (!best || r.size < best->size))
      best = &r;
  if (!best) return std::string();
  std::size_t off = std::size_t(c - best->first);
  return off ? best->name + "+" + std::to_string(off) : best->name;
}

conflict_site read_entry_of(const site_entry& e) {
  conflict_site s;
  s.tvar = e.key.load(std::memory_order_acquire);
  s.restarts_read = e.n[unsigned(restart_cause::read)].load(std::memory_order_relaxed);
  s.restarts_commit = e.n[unsigned(restart_cause::commit)].load(std::memory_order_relaxed);
  s.restarts_watch = e.n[unsigned(restart_cause::watch)].load(std::memory_order_relaxed);
  return s;
}

}  // namespace

void note_conflict_site(const tvar_base* v, restart_cause c) noexcept {
  if (state() == 0) return;
  const void* key = v;
  std::size_t h = std::size_t((reinterpret_cast<std::uintptr_t>(v) >> 4) *
                              std::uint64_t(0x9E3779B97F4A7C15ull) >> (64 - table_bits));
  for (std::size_t i = 0; i < max_probes; ++i, h = (h + 1) & (table_size - 1)) {
    site_entry& e = g_table[h];
    const void* k = e.key.load(std::memory_order_acquire);
    if (k == nullptr && e.key.compare_exchange_strong(k, key, std::memory_order_acq_rel))
      k = key;
    if (k == key) {
      e.n[unsigned(c)].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  g_overflow.n[unsigned(c)].fetch_add(1, std::memory_order_relaxed);
}

void print_conflict_sites_at_exit() {
  if (!env_on()) return;
  std::vector<conflict_site> sites = conflict_sites(20);
  std::cerr << "stm: conflict sites (the tvars whose changes made attempts restart), most first:\n";
  if (sites.empty()) std::cerr << "  none\n";
  for (const conflict_site& s : sites) std::cerr << "  " << s << '\n';
}

}  // namespace detail

void record_conflict_sites(bool on) noexcept {
  detail::g_conflict_sites.store(on ? 1 : 0, std::memory_order_relaxed);
}

bool recording_conflict_sites() noexcept { return detail::state() == 1; }

std::vector<conflict_site> conflict_sites(std::size_t top) {
  std::vector<conflict_site> out;
  for (const detail::site_entry& e : detail::g_table) {
    conflict_site s = detail::read_entry_of(e);
    if (s.tvar && s.restarts()) out.push_back(std::move(s));
  }
  conflict_site other = detail::read_entry_of(detail::g_overflow);
  if (other.restarts()) {
    other.name = "(other tvars: the table is full)";
    out.push_back(std::move(other));
  }
  std::sort(out.begin(), out.end(), [](const conflict_site& a, const conflict_site& b) {
    return a.restarts() > b.restarts();
  });
  if (out.size() > top) out.resize(top);
  detail::names& n = detail::the_names();
  std::lock_guard<std::mutex> g(n.m);
  for (conflict_site& s : out)
    if (s.tvar) s.name = detail::name_of(s.tvar, n.ranges);
  return out;
}

void clear_conflict_sites() noexcept {
  for (detail::site_entry& e : detail::g_table) {
    for (auto& c : e.n) c.store(0, std::memory_order_relaxed);
    e.key.store(nullptr, std::memory_order_release);
  }
  for (auto& c : detail::g_overflow.n) c.store(0, std::memory_order_relaxed);
}

void name_conflict_sites(const void* object, std::size_t size, std::string name) {
  detail::names& n = detail::the_names();
  std::lock_guard<std::mutex> g(n.m);
  n.ranges.push_back({static_cast<const char*>(object), size, std::move(name)});
  n.count.store(n.ranges.size(), std::memory_order_relaxed);
}

void forget_conflict_site_names(const void* object, std::size_t size) noexcept {
  detail::names& n = detail::the_names();
  if (n.count.load(std::memory_order_relaxed) == 0) return;
  const char* lo = static_cast<const char*>(object);
  const char* hi = lo + size;
  std::lock_guard<std::mutex> g(n.m);
  n.ranges.erase(std::remove_if(n.ranges.begin(), n.ranges.end(),
                                [&](const detail::named_range& r) {
                                  return std::less_equal<const char*>()(lo, r.first) &&
                                         std::less_equal<const char*>()(r.first + r.size, hi);
                                }),
                 n.ranges.end());
  n.count.store(n.ranges.size(), std::memory_order_relaxed);
}

std::ostream& operator<<(std::ostream& os, const conflict_site& s) {
  os << (s.name.empty() ? std::string("(unnamed)") : s.name) << " at " << s.tvar << ": "
     << s.restarts() << " restarts (read " << s.restarts_read << ", commit " << s.restarts_commit
     << ", watch " << s.restarts_watch << ")";
  return os;
}

}  // namespace stm
}  // namespace boost
