// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Epoch-based reclamation (Fraser). Every thread inside a critical section
// announces the global epoch it saw. The epoch advances only when every
// announcing thread has seen the current one, so a value retired in epoch e
// can be freed once the epoch reaches e + 2: no thread that could still hold
// it is inside a critical section any more.
#include <boost/stm/detail/ebr.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace boost {
namespace stm {
namespace detail {
namespace ebr {
namespace {

// One cache line each: every transaction writes its thread's record twice,
// and neighbouring records would make otherwise independent threads share it.
struct alignas(64) record {
  std::atomic<std::uint64_t> local{0};  // 0: quiescent; else the epoch seen
  std::atomic<bool> in_use{true};
  record* next = nullptr;
};

struct retired {
  node_base* node;
  std::uint64_t epoch;
};

std::atomic<std::uint64_t> g_epoch{1};
std::atomic<record*> g_records{nullptr};

// Values retired by threads that have exited, freed by whoever reclaims next.
std::mutex g_orphans_mutex;
std::vector<retired>* g_orphans = nullptr;  // never destroyed: threads may outlive statics
std::atomic<bool> g_have_orphans{false};

record* acquire_record() {
  for (record* r = g_records.load(std::memory_order_acquire); r; r = r->next) {
    bool expected = false;
    if (!r->in_use.load(std::memory_order_relaxed) &&
        r->in_use.compare_exchange_strong(expected, true))
      return r;
  }
  record* r = new record;
  r->next = g_records.load(std::memory_order_relaxed);
  while (!g_records.compare_exchange_weak(r->next, r)) {
  }
  return r;
}

bool try_advance() {
  std::uint64_t e = g_epoch.load(std::memory_order_seq_cst);
  for (record* r = g_records.load(std::memory_order_acquire); r; r = r->next) {
    std::uint64_t l = r->local.load(std::memory_order_seq_cst);
    if (l != 0 && l != e) return false;
  }
  return g_epoch.compare_exchange_strong(e, e + 1);
}

// Frees the eligible prefix of list. A thread retires in epoch order, so
// that is all of its own eligible values; orphans merged in at the end
// (reclaim()) wait, never lost, until what precedes them is freed. A call
// that finds nothing to free costs one comparison.
void free_eligible(std::vector<retired>& list) {
  std::uint64_t e = g_epoch.load(std::memory_order_seq_cst);
  std::size_t n = 0;
  while (n < list.size() && list[n].epoch + 2 <= e) ++n;
  if (n == 0) return;
  // Deleting a value may run user destructors that retire more values into
  // this very list: take the eligible ones out first. Room for them is made
  // before the list changes, so that running out of memory changes nothing.
  std::vector<node_base*> doomed;
  doomed.reserve(n);
  for (std::size_t i = 0; i < n; ++i) doomed.push_back(list[i].node);
  list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n));
  for (node_base* p : doomed) delete p;
}

struct thread_record;
void reclaim(thread_record& t);

// Whether this thread's thread_record exists: 0 not yet, 1 alive, 2 destroyed
// (thread-local objects are destroyed in an order we do not choose).
thread_local unsigned char t_rec_state = 0;

struct thread_record {
  record* rec = nullptr;
  unsigned depth = 0;
  std::vector<retired> limbo;
  bool pending = false;  // limbo is not empty
  bool reclaiming = false;
  // Reclaim again only once limbo has doubled: while some thread stays in a
  // long critical section nothing can be freed, and scanning every thread's
  // record after every transaction would cost more than it saves.
  std::size_t threshold = BOOST_STM_RECLAIM_BATCH;

  // thread_exit() ran: freeing values (user destructors, which may run
  // transactions) is no longer safe on this thread; what is left is
  // orphaned.
  bool finished = false;

  thread_record() { t_rec_state = 1; }
  record& get() {
    if (!rec) rec = acquire_record();
    return *rec;
  }
  // Free now what no thread can still be reading, so that a program's last
  // thread leaves nothing behind (a leak checker would report it). Two
  // advances put everything retired so far two epochs back, unless another
  // thread is inside a critical section; what is left then is orphaned, for
  // whoever reclaims next.
  void final_reclaim() {
    if (depth == 0 && (!limbo.empty() || g_have_orphans.load(std::memory_order_acquire))) {
      try_advance();
      try_advance();
      reclaim(*this);
    }
  }
  ~thread_record() {
    if (!finished) final_reclaim();
    if (!limbo.empty()) {
      std::lock_guard<std::mutex> g(g_orphans_mutex);
      if (!g_orphans) g_orphans = new std::vector<retired>;
      g_orphans->insert(g_orphans->end(), limbo.begin(), limbo.end());
      g_have_orphans.store(true, std::memory_order_release);
    }
    if (rec) {
      rec->local.store(0, std::memory_order_seq_cst);
      rec->in_use.store(false, std::memory_order_release);
    }
    t_rec_state = 2;
  }
};

thread_local thread_record t_rec;

void reclaim(thread_record& t) {
  if (t.reclaiming) return;
  t.reclaiming = true;
  // Called from exit(), which is noexcept: out of memory, reclaiming waits
  // for the next time, and nothing retired is lost meanwhile.
  try {
    try_advance();
    if (g_have_orphans.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> g(g_orphans_mutex);
      if (g_orphans) {
        t.limbo.reserve(t.limbo.size() + g_orphans->size());  // the only step that may fail
        t.limbo.insert(t.limbo.end(), g_orphans->begin(), g_orphans->end());
        g_orphans->clear();
      }
      g_have_orphans.store(false, std::memory_order_relaxed);
    }
    free_eligible(t.limbo);
  } catch (...) {
  }
  t.threshold = t.limbo.size() * 2 > BOOST_STM_RECLAIM_BATCH ? t.limbo.size() * 2
                                                              : BOOST_STM_RECLAIM_BATCH;
  t.pending = !t.limbo.empty();
  t.reclaiming = false;
}

}  // namespace

void prepare() { t_rec.get(); }

void enter() {
  thread_record& t = t_rec;
  if (t.depth != 0) {
    ++t.depth;
    return;
  }
  record& r = t.get();  // may throw, before anything changed
  ++t.depth;
  // Announce, then check the epoch did not move meanwhile: otherwise it could
  // have advanced twice past what we announce and free what we then read.
  for (;;) {
    std::uint64_t e = g_epoch.load(std::memory_order_seq_cst);
    r.local.store(e, std::memory_order_seq_cst);
    if (g_epoch.load(std::memory_order_seq_cst) == e) break;
  }
}

void exit() noexcept {
  thread_record& t = t_rec;
  if (--t.depth != 0) return;
  // Release is enough: an advancing thread that reads this 0 (seq_cst, so
  // acquire) sees every read of ours done before it frees anything.
  t.rec->local.store(0, std::memory_order_release);
  if (t.limbo.size() >= t.threshold) reclaim(t);
}

void reserve(std::size_t n) {
  std::vector<retired>& l = t_rec.limbo;
  if (l.capacity() - l.size() < n) l.reserve(std::max(2 * l.capacity(), l.size() + n));
}

void retire(node_base* n) {
  if (!n) return;
  thread_record& t = t_rec;
  t.limbo.push_back({n, g_epoch.load(std::memory_order_seq_cst)});
  t.pending = true;
  if (t.depth == 0 && t.limbo.size() >= t.threshold) reclaim(t);
}

const bool* pending_flag() noexcept { return &t_rec.pending; }

void thread_exit() noexcept {
  if (t_rec_state != 1) return;
  t_rec.final_reclaim();
  t_rec.finished = true;
}

void poll() noexcept {
  thread_record& t = t_rec;
  if (t.depth == 0 && !t.limbo.empty()) reclaim(t);
}

}  // namespace ebr
}  // namespace detail
}  // namespace stm
}  // namespace boost
