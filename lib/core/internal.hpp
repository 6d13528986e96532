// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Private to the compiled library: the transaction descriptor, per-thread
// state, waiter/watcher lists of a tvar, and the parker a blocked transaction
// sleeps on.
#ifndef BOOST_STM_LIB_INTERNAL_HPP_INCLUDED
#define BOOST_STM_LIB_INTERNAL_HPP_INCLUDED

#include <boost/stm/detail/core/transaction.hpp>
#include <boost/stm/detail/core/tvar_base.hpp>
#include <boost/stm/detail/core/watcher_base.hpp>

#include <boost/config.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

// For variables defined inline in a private header (shared by several
// files of the library): not exported from a shared build, so reached as
// directly as a file's own.
#if defined(__GNUC__) && !defined(_WIN32)
#  define BOOST_STM_LOCAL __attribute__((visibility("hidden")))
#else
#  define BOOST_STM_LOCAL
#endif

namespace boost {
namespace stm {
namespace detail {

using clock_type = std::chrono::steady_clock;

// ---- blocking -------------------------------------------------------------

// One blocked attempt. Registered (reference-counted) on the waiter list of
// every tvar the attempt read; the first commit to one of them signals it.
// Entries of a parker that already woke stay on the other lists until those
// are next touched (done_ tells committers to skip them), so a woken
// transaction never has to touch tvars that may since have been destroyed.
class parker {
public:
  explicit parker(bool fiber);
  ~parker();
  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  void signal();
  // true: signalled; false: the deadline passed first.
  bool wait(const std::optional<clock_type::time_point>& deadline);
  // Whether a wait() went past spinning, to sleep in the kernel (or to
  // block its fiber): the costly kind of wait, and of wake-up.
  bool slept() const noexcept { return slept_; }
  std::atomic<bool> done_{false};

private:
  std::atomic<int> refs_{1};
  std::mutex m_;
  std::condition_variable cv_;
  std::unique_ptr<class fiber_cv> fcv_;
  bool signalled_ = false;
  bool slept_ = false;  // the waiting thread's own
  // signalled_, readable without the mutex: what wait() watches before it
  // sleeps (see spin()).
  std::atomic<bool> signalled_flag_{false};
  bool spin(const std::optional<clock_type::time_point>& deadline) noexcept;
  void signal_fiber();
};

bool fiber_wait_wanted() noexcept;

// Blocking a fiber (a Boost.Fiber condition variable) lives in
// lib/core/fiber_parker.cpp and is reached only through these hooks, installed by
// enable_fiber_support() or mark_fiber_thread(), which are defined there too.
// So a program that never uses fibers does not need Boost.Fiber at link
// time: from a static libboost_stm.a, fiber_parker.o is not even linked in.
class fiber_cv {
public:
  virtual ~fiber_cv() = default;
  virtual void notify_one() noexcept = 0;
  // Suspends the calling fiber on lk until *signalled (read under lk) or the
  // deadline: true if signalled.
  virtual bool wait(std::unique_lock<std::mutex>& lk, const bool& signalled,
                    const std::optional<clock_type::time_point>& deadline) = 0;
};
struct fiber_hooks {
  bool (*in_fiber)() noexcept;  // the caller is a fiber, not a thread's main context
  std::unique_ptr<fiber_cv> (*make_cv)();
  // The thread's Boost.Fiber context exists and may be used: false once
  // it was destroyed with the thread's thread-locals (a static's destructor
  // at exit), when nothing of Boost.Fiber may be touched on this thread.
  bool (*context_alive)() noexcept;
};
void install_fiber_hooks(const fiber_hooks& hooks) noexcept;
void set_fiber_thread() noexcept;  // this thread blocks through Boost.Fiber from now on

struct tvar_meta {
  std::mutex lock;
  std::vector<parker*> waiters;
  std::vector<watcher_base*> watchers;
  // Bumped (under the tvar's commit lock) whenever a watcher is added; a
  // commit that wrote the tvar restarts if it changed since it looked.
  std::atomic<std::uint64_t> watch_version{0};
};

tvar_meta& meta_of(tvar_base& v);

// Takes watcher w off v's list, if it is there, and drops the reference
// the list held (never the last: the caller holds one).
void unwatch(tvar_base& v, watcher_base* w);
inline std::uint64_t watch_version_of(const tvar_base& v) noexcept {
  tvar_meta* m = v.meta_.load(std::memory_order_acquire);
  return m ? m->watch_version.load(std::memory_order_acquire) : 0;
}

// ---- statistics -------------------------------------------------------------

enum counter : unsigned {
  c_transactions, c_attempts, c_commits, c_restarts_read, c_restarts_commit,
  c_restarts_watch, c_retries, c_wakeups, c_futile_wakeups, c_timeouts,
  c_aborts, c_serial_runs, c_watcher_runs, c_blocked_forever, c_stalls, c_sleeps,
  c_tasks_submitted, c_tasks_finished, c_tasks_failed, c_tasks_cancelled, c_count
};

struct counters {
  // Written only by the owning thread (load + store, no locked RMW); read by
  // statistics() from any thread.
  std::atomic<std::uint64_t> c[c_count] = {};
  void inc(counter i) noexcept {
    c[i].store(c[i].load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

// ---- transactions -----------------------------------------------------------

// An append-only log of trivially copyable entries: std::vector's interface
// as far as the engine uses it, with an append that always inlines (GCC
// left std::vector::emplace_back out of line, a call per read and write).
// Memory comes from operator new, like everything else the engine takes.
template <class T>
class tx_log {
  static_assert(std::is_trivially_copyable<T>::value, "tx_log moves entries with memcpy");

public:
  tx_log() = default;
  tx_log(const tx_log&) = delete;
  tx_log& operator=(const tx_log&) = delete;
  ~tx_log() { ::operator delete(begin_); }

  template <class... A>
  T& emplace_back(A&&... a) {
    if (BOOST_UNLIKELY(end_ == cap_)) grow();
    T* p = ::new (static_cast<void*>(end_)) T(std::forward<A>(a)...);
    ++end_;
    return *p;
  }
  // emplace_back() where the caller has seen !full(): no growth path, so a
  // fast path that appends needs no call and saves no registers for one.
  template <class... A>
  T& emplace_back_in_room(A&&... a) noexcept {
    T* p = ::new (static_cast<void*>(end_)) T(std::forward<A>(a)...);
    ++end_;
    return *p;
  }
  void reserve(std::size_t n) {
    while (capacity() < n) grow();
  }
  void pop_back() noexcept { --end_; }
  T& back() noexcept { return end_[-1]; }
  T& operator[](std::size_t i) noexcept { return begin_[i]; }
  const T& operator[](std::size_t i) const noexcept { return begin_[i]; }
  T* begin() noexcept { return begin_; }
  T* end() noexcept { return end_; }
  const T* begin() const noexcept { return begin_; }
  const T* end() const noexcept { return end_; }
  std::size_t size() const noexcept { return std::size_t(end_ - begin_); }
  std::size_t capacity() const noexcept { return std::size_t(cap_ - begin_); }
  bool full() const noexcept { return end_ == cap_; }
  bool empty() const noexcept { return end_ == begin_; }
  void clear() noexcept { end_ = begin_; }
  void erase(T* first, T* last) noexcept {  // only a tail: last == end()
    (void)last;
    end_ = first;
  }

private:
  BOOST_NOINLINE void grow() {
    std::size_t n = size(), c = capacity() ? 2 * capacity() : 16;
    T* fresh = static_cast<T*>(::operator new(c * sizeof(T)));
    if (n) std::memcpy(static_cast<void*>(fresh), begin_, n * sizeof(T));
    ::operator delete(begin_);
    begin_ = fresh;
    end_ = fresh + n;
    cap_ = fresh + c;
  }
  T* begin_ = nullptr;
  T* end_ = nullptr;
  T* cap_ = nullptr;
};

// The log entries have constructors, and are appended with emplace_back:
// push_back(entry{...}) had GCC build a temporary on the stack with narrow
// stores and copy it with one wide load, a failed store-to-load forwarding
// that cost more than the rest of a read.
struct read_entry {
  read_entry(tvar_base* v, std::uint64_t ver) noexcept : var(v), version(ver) {}
  tvar_base* var;
  std::uint64_t version;  // the vlock_ word seen (even)
};

struct write_entry {
  write_entry(tvar_base* v, word w, std::uint64_t f, bool b) noexcept
      : var(v), value(w), frame(f), watch_version(0), dirty(true), scanned(false), wake(false), boxed(b) {}
  tvar_base* var;
  word value;                   // owned node if var->boxed_
  std::uint64_t frame;          // nested frame that last wrote it
  std::uint64_t watch_version;  // seen when its watchers were looked up
  bool dirty;                   // written since its watchers were looked up
  bool scanned;
  bool wake;  // set at commit: had waiters when looked at under the lock
  // var->boxed_, kept here: freeing one value of the write set may destroy
  // the tvars of others (a container's cells), so discard_attempt() must not
  // look at var.
  bool boxed;
};

struct undo_entry {
  undo_entry(std::size_t i, word w, std::uint64_t f, bool d, bool b) noexcept
      : index(i), value(w), frame(f), dirty(d), boxed(b) {}
  std::size_t index;
  word value;  // owned node if boxed
  std::uint64_t frame;
  bool dirty;  // the entry's flag before the write, restored with value
  bool boxed;
};

struct rerun {
  watcher_base* w;  // holds a reference
  std::vector<tvar_base*> reads;  // sorted, unique
};

// A tvar a commit locks (written, or watched by a re-run watcher): its
// address with the written flag in the low bit (a tvar_base is
// word-aligned). Word keys sort without copying structs that were just
// written field by field (see read_entry).
namespace lock_key {
constexpr std::uintptr_t written = 1;
inline std::uintptr_t make(tvar_base* v, std::uintptr_t flags) noexcept {
  return reinterpret_cast<std::uintptr_t>(v) | flags;
}
inline tvar_base* var(std::uintptr_t k) noexcept {
  return reinterpret_cast<tvar_base*>(k & ~written);
}
static_assert(alignof(tvar_base) >= 2, "lock keys keep a flag in a tvar address's low bit");
}  // namespace lock_key

enum class restart_cause { read, commit, watch };

// Conflict sites (stats.hpp): -1 until the environment is read, then 0 or
// 1. Checked on the restart paths only.
extern std::atomic<int> g_conflict_sites;
void note_conflict_site(const tvar_base* v, restart_cause c) noexcept;
inline void on_conflict_site(const tvar_base* v, restart_cause c) noexcept {
  if (g_conflict_sites.load(std::memory_order_relaxed) != 0) note_conflict_site(v, c);
}
// What BOOST_STM_CONFLICT_SITES=1 prints at exit.
void print_conflict_sites_at_exit();

class transaction {
public:
  std::uint64_t rv = 0;
  counters* stats = nullptr;  // this thread's
  // Made for one transaction of a thread whose thread-locals are gone (see
  // acquire_transaction()), and freed after it.
  bool late = false;
  // Inside an epoch (ebr.hpp): entered at the first read of a boxed tvar,
  // left when the attempt ends. Attempts that read only unboxed tvars pay
  // for no epoch at all.
  bool in_epoch = false;
  // This thread's ebr::pending_flag(), and a countdown to the next
  // ebr::poll() by an attempt that left no epoch.
  const bool* ebr_pending = nullptr;
  unsigned poll_countdown = 1;
  // When the top-level transaction was first attempted (elapsed(d) counts
  // from there, however long the body worked before asking).
  top_level::start_clock* start = nullptr;
  std::optional<clock_type::time_point> now;  // fixed at first use per attempt
  std::optional<clock_type::time_point> deadline;
  tx_log<read_entry> reads;
  tx_log<write_entry> writes;
  std::unordered_map<tvar_base*, std::size_t> windex;
  tx_log<undo_entry> undo;
  // A boxed value was logged (in writes or undo) this attempt: ending it
  // must look for nodes to free.
  bool boxed_logged = false;
  std::vector<node_base*> garbage;  // rolled-back nodes, freed when the attempt ends
  std::uint64_t frame = 0;  // the innermost open frame's id (see nested_scope)
  std::uint64_t next_frame = 1;
  // A Bloom filter of the written tvars: a read or write of a tvar whose bit
  // is clear need not search the write set.
  std::uint64_t written_filter = 0;
  static std::uint64_t filter_bit(const tvar_base* v) noexcept {
    auto a = reinterpret_cast<std::uintptr_t>(v);
    return std::uint64_t(1) << ((a >> 5 ^ a >> 11) & 63);
  }
  std::vector<std::function<void()>> actions;
  std::vector<watcher_base*> proposals;  // hold references
  std::vector<rerun> reruns;
  // Cancelled watchers whose active_ this attempt read (hold references):
  // the read set points into them until the attempt ends.
  std::vector<watcher_base*> pinned;
  // Invariants run in this commit and whether their last run held.
  std::vector<std::pair<watcher_base*, bool>> verdicts;
  std::vector<tvar_base*>* collector = nullptr;
  int committed_view = 0;
  bool doomed = false;
  // retry() was called and no or_else/would_block took it: if the body
  // swallowed it and returned, the attempt must still wait, not commit.
  bool retry_pending = false;
  // tvars this attempt read that were destroyed before it ended (their
  // read entries are gone: see forget_destroyed()).
  std::size_t destroyed_reads = 0;
  restart_cause cause = restart_cause::read;

  // commit scratch, kept for its capacity
  tx_log<std::uintptr_t> locks;  // lock_key, sorted by tvar address
  tx_log<std::uint64_t> lock_versions;  // each lock's vlock_ word before we took it
  std::vector<watcher_base*> triggered;
  std::vector<watcher_base*> batch;
  std::vector<std::vector<parker*>> wake_lists;  // waiters a commit wakes
  std::vector<std::vector<tvar_base*>> spare_reads;  // emptied watcher read sets

  std::size_t find_write(const tvar_base* v) const noexcept;
  void reset_attempt() noexcept {
    frame = next_frame++;
    written_filter = 0;
    doomed = false;
    retry_pending = false;
    destroyed_reads = 0;
    now.reset();
    deadline.reset();
    collector = nullptr;
    committed_view = 0;
  }
  // Frees everything the attempt owns. Inline for the attempt that logged
  // only reads and unboxed writes (most of them); the rest out of line.
  void discard_attempt() noexcept {
    reads.clear();
    if (BOOST_UNLIKELY(boxed_logged || !actions.empty() || !windex.empty() || !garbage.empty() ||
                       !proposals.empty() || !reruns.empty() || !pinned.empty())) {
      discard_rest();
      return;
    }
    writes.clear();
    undo.clear();
  }

private:
  void discard_rest() noexcept;  // discard_attempt() but the read log
};

struct thread_state;
// Null once the thread's thread-locals are being destroyed (see thread_state.cpp).
thread_state* this_thread_state();
// Whether that has begun.
bool thread_ending() noexcept;
transaction* acquire_transaction();
void release_transaction(transaction* tx) noexcept;
void set_current(transaction* tx) noexcept;
// v is being destroyed: drop it from the read set of the transaction running
// on this thread, if any (its body's local tvars die while a retry unwinds,
// before the attempt waits on what it read).
void forget_destroyed(tvar_base& v) noexcept;

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
