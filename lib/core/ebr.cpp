// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Epoch-based reclamation (Fraser). Every thread inside a critical section
// announces the global epoch it saw. The epoch advances only when every
// announcing thread has seen the current one, so a value retired in epoch e
// can be freed once the epoch reaches e + 2: no thread that could still hold
// it is inside a critical section any more.
#include <boost/stm/detail/core/ebr.hpp>

#include "core/internal.hpp"

#include <boost/config.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
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
bool free_eligible(std::vector<retired>& list) {
  std::uint64_t e = g_epoch.load(std::memory_order_seq_cst);
  std::size_t n = 0;
  while (n < list.size() && list[n].epoch + 2 <= e) ++n;
  if (n == 0) return false;
  // Deleting a value may run user destructors that retire more values into
  // this very list: take the eligible ones out first. Room for them is made
  // before the list changes, so that running out of memory changes nothing.
  std::vector<node_base*> doomed;
  doomed.reserve(n);
  for (std::size_t i = 0; i < n; ++i) doomed.push_back(list[i].node);
  list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n));
  for (node_base* p : doomed) delete p;
  return true;
}

// Per-thread state: the record a thread announces its epoch in, and the
// values it retired. It lives on the heap, reached through a trivially
// destructible thread_local pointer, so that it can be looked at safely in
// any phase of the thread's life: a thread_local object is destroyed in an
// order we do not choose, and code may run transactions after that (the
// destructors of a static executor, container or tvar run after the main
// thread's thread-locals; a user's thread_local may be destroyed after
// ours). A thread whose thread-locals are gone ("late") gets a record for
// each outermost critical section instead, which it gives up, with what it
// retired, when it leaves (see late_flush()).
struct thread_record {
  record* rec = nullptr;
  unsigned depth = 0;
  std::vector<retired> limbo;
  bool reclaiming = false;
  bool late = false;
  // Reclaim again only once limbo has doubled: while some thread stays in a
  // long critical section nothing can be freed, and scanning every thread's
  // record after every transaction would cost more than it saves. 0 for a
  // late record: every exit() then goes to reclaim(), which flushes it.
  std::size_t threshold = BOOST_STM_RECLAIM_BATCH;

  record& get() {
    if (!rec) rec = acquire_record();
    return *rec;
  }
};

thread_local thread_record* t_rec = nullptr;
// 0: no record made yet; 1: the thread's own record (t_rec) is alive;
// 2: the thread's thread-locals are being destroyed or gone, and it is late.
thread_local unsigned char t_rec_state = 0;
// Whether this thread retired values not yet freed (pending_flag()). A plain
// bool, alive as long as the thread: transaction descriptors keep its address.
thread_local bool t_pending = false;

bool reclaim_once(thread_record& t);

// Frees now what no thread can still be reading, so that a program's last
// thread leaves nothing behind (a leak checker would report it). Two
// advances put everything retired so far two epochs back, unless another
// thread is inside a critical section; what is left then is orphaned, for
// whoever reclaims next. Again while values are freed: their destructors
// may retire more.
void drain(thread_record& t) noexcept {
  if (t.depth != 0) return;
  while (!t.limbo.empty() || g_have_orphans.load(std::memory_order_acquire)) {
    try_advance();
    try_advance();
    if (!reclaim_once(t)) return;
  }
}

// t goes: what it could not free is orphaned, its record is released.
void retire_record(thread_record* t) noexcept {
  if (!t->limbo.empty()) {
    std::lock_guard<std::mutex> g(g_orphans_mutex);
    try {
      if (!g_orphans) g_orphans = new std::vector<retired>;
      g_orphans->insert(g_orphans->end(), t->limbo.begin(), t->limbo.end());
      g_have_orphans.store(true, std::memory_order_release);
    } catch (...) {
      // Out of memory at thread exit: the values stay unfreed (never used
      // after this), rather than freed while another thread may read them.
    }
  }
  if (t->rec) {
    t->rec->local.store(0, std::memory_order_seq_cst);
    t->rec->in_use.store(false, std::memory_order_release);
  }
  delete t;
}

// A late thread left its outermost critical section: free what can be
// freed, orphan the rest, give the record up.
void late_flush(thread_record& t) noexcept {
  if (t.depth != 0 || t.reclaiming) return;
  drain(t);
  if (t.depth != 0 || t_rec != &t) return;
  t_rec = nullptr;
  t_pending = false;
  retire_record(&t);
}

// Destroys the thread's own record at thread exit.
struct record_owner {
  record_owner() = default;
  record_owner(const record_owner&) = delete;
  record_owner& operator=(const record_owner&) = delete;
  ~record_owner() {
    t_rec_state = 2;  // from here on, a new record is a late one
    thread_record* t = t_rec;
    if (!t) return;
    drain(*t);  // may run transactions, on this same record
    t_rec = nullptr;
    t_pending = false;
    retire_record(t);
  }
};

BOOST_NOINLINE thread_record& make_record() {
  auto t = std::make_unique<thread_record>();
  // Late also if the thread's first record is asked for while its
  // thread-locals are being destroyed: an owner made then might never run.
  if (t_rec_state == 2 || thread_ending()) {
    t->late = true;
    t->threshold = 0;
  } else {
    // A thread_local with a destructor, constructed (and so destroyed) once
    // per thread.
    thread_local record_owner owner;
    (void)owner;
    t_rec_state = 1;
  }
  t_rec = t.release();
  return *t_rec;
}

inline thread_record& this_record() {
  thread_record* t = t_rec;
  if (BOOST_LIKELY(t != nullptr)) return *t;
  return make_record();
}

// Whether anything was freed.
bool reclaim_once(thread_record& t) {
  if (t.reclaiming) return false;
  t.reclaiming = true;
  bool freed = false;
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
    freed = free_eligible(t.limbo);
  } catch (...) {
  }
  if (!t.late)
    t.threshold = t.limbo.size() * 2 > BOOST_STM_RECLAIM_BATCH ? t.limbo.size() * 2
                                                                : BOOST_STM_RECLAIM_BATCH;
  t_pending = !t.limbo.empty();
  t.reclaiming = false;
  return freed;
}

void reclaim(thread_record& t) {
  if (BOOST_UNLIKELY(t.late))
    late_flush(t);
  else
    reclaim_once(t);
}

}  // namespace

void prepare() {
  // A late thread makes its record when it needs it (enter(), reserve()),
  // and gives it up when it leaves its critical section.
  if (t_rec_state != 2) this_record().get();
}

void enter() {
  thread_record& t = this_record();  // may throw, before anything changed
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
  thread_record& t = *t_rec;  // enter() made it
  if (--t.depth != 0) return;
  // Release is enough: an advancing thread that reads this 0 (seq_cst, so
  // acquire) sees every read of ours done before it frees anything.
  t.rec->local.store(0, std::memory_order_release);
  if (t.limbo.size() >= t.threshold) reclaim(t);
}

void reserve(std::size_t n) {
  std::vector<retired>& l = this_record().limbo;
  if (l.capacity() - l.size() < n) l.reserve(std::max(2 * l.capacity(), l.size() + n));
}

void retire(node_base* n) {
  if (!n) return;
  thread_record& t = this_record();
  t.limbo.push_back({n, g_epoch.load(std::memory_order_seq_cst)});
  t_pending = true;
  if (t.depth == 0 && t.limbo.size() >= t.threshold) reclaim(t);
}

const bool* pending_flag() noexcept { return &t_pending; }

void poll() noexcept {
  thread_record* t = t_rec;
  if (t && t->depth == 0 && !t->limbo.empty()) reclaim(*t);
}

void collect() noexcept {
  if (!g_have_orphans.load(std::memory_order_acquire)) return;
  try {
    thread_record& t = this_record();
    if (t.late)
      late_flush(t);
    else
      drain(t);
  } catch (...) {
    // No record could be made: whoever reclaims next frees the orphans.
  }
}

}  // namespace ebr
}  // namespace detail
}  // namespace stm
}  // namespace boost
