// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The seed's thread pool. thread_pool.hpp gives the design in brief; the
// comments here say why each transaction reads and writes what it does.
#include <boost/stm/broadcast_queue.hpp>
#include <boost/stm/detail/core/ebr.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/watch.hpp>

#include "threads/os_thread.hpp"

#include <algorithm>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace boost {
namespace stm {

namespace {

struct slot {
  task t;             // the task to run, if any
  bool stop = false;  // leave: the pool is shutting down
};

void report(const char* what, std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::cerr << "boost::stm::thread_pool: " << what << ": " << x.what() << std::endl;
  } catch (...) {
    std::cerr << "boost::stm::thread_pool: " << what << ": unknown exception" << std::endl;
  }
}

}  // namespace

struct thread_pool::impl {
  struct worker {
    std::size_t id = 0;
    tvar<slot> my_slot;
    tvar<bool> dead{false};  // retired, never started, or its initializer failed
    detail::os_thread os_thread;   // guarded by impl::threads_m
    std::atomic<bool> exited{false};
  };

  options opt;
  std::unique_ptr<tlist<task>> own_tasks;
  tlist<task>* tasks;

  tvar<std::size_t> live{0};
  tvar<std::size_t> dispatched{0};
  tvar<std::size_t> finished{0};
  tvar<std::size_t> failed{0};
  tvar<bool> spawn_blocked{false};  // a start failed: wait for the next schedule()
  tvar<bool> stopping{false};
  // Dead workers still sitting in the free queue: not free, and skipped by
  // the dispatcher when it reaches them. The queue holds shared_ptrs so that
  // a dead worker's entry stays valid after its thread is gone.
  tvar<std::size_t> dead_queued{0};
  broadcast_queue<std::shared_ptr<worker>> free_q;
  broadcast_endpoint<std::shared_ptr<worker>> free_ep = free_q.new_endpoint();
  // The worker that went free last, in front of the free queue: the next
  // task goes to it, the warmest thread, most likely still watching its slot
  // (a blocked transaction watches for its wake-up a moment before it
  // sleeps), instead of to the one idle longest. One submit-and-get after
  // another so keeps reusing one thread. Never a dead worker.
  tvar<std::shared_ptr<worker>> last_free;
  // Whether a worker may be free: last_free or a free queue entry (which may
  // be a dead worker the dispatcher will skip), kept so by every change of
  // either, but written only when it flips. The dispatcher reads it instead of them, so that a worker going
  // free while others are free already (every finishing worker, when the
  // producers are slower than the pool) writes nothing the dispatcher
  // reads and does not re-run it. It need not: a worker goes free only when
  // its own commit found the task list empty, and the next submit re-runs
  // the dispatcher through the list.
  tvar<bool> any_free{false};

  std::mutex threads_m;
  std::vector<std::shared_ptr<worker>> workers;
  bool joined = false;  // shutdown() joined the workers: start no more

  watch_handle spin_up, dispatcher;

  impl(tlist<task>* external, options o) : opt(std::move(o)) {
    if (opt.max_threads == 0)
      throw std::invalid_argument("boost::stm::thread_pool: max_threads must be at least 1");
#if defined(PTHREAD_STACK_MIN)
    if (opt.stack_size != 0 && opt.stack_size < std::size_t(PTHREAD_STACK_MIN))
      throw std::invalid_argument("boost::stm::thread_pool: stack_size " +
                                  std::to_string(opt.stack_size) + " is below the system's minimum " +
                                  std::to_string(std::size_t(PTHREAD_STACK_MIN)) +
                                  "; ask for more, or 0 for the default");
#endif
    detail::name_threads_by_default(opt, "stm_pool");
    if (!opt.on_worker_failure)
      opt.on_worker_failure = [](std::exception_ptr e) { report("a worker failed to start", e); };
    if (!external) own_tasks = std::make_unique<tlist<task>>();
    tasks = external ? external : own_tasks.get();
  }

  std::size_t free_count() const {
    return free_ep.remaining() - dead_queued.get() + (last_free.get() ? 1 : 0);
  }

  // Transactional: any_free follows a change of the free workers. Not
  // free_count(): that reads the free queue's write end, where every worker
  // going free writes.
  void sync_any_free() {
    bool any = last_free.get() || !free_ep.empty();
    if (any_free.get() != any) any_free.set(any);
  }

  // Transactional: takes a free worker, the last to go free first; null if
  // none is.
  std::shared_ptr<worker> take_free() {
    std::shared_ptr<worker> got = last_free.get();
    if (got) {
      last_free.set(nullptr);
    } else {
      while (std::optional<std::shared_ptr<worker>> w = free_ep.try_get()) {
        if (!(*w)->dead.get()) {
          got = std::move(*w);
          break;
        }
        dead_queued.set(dead_queued.get() - 1);
      }
    }
    sync_any_free();
    return got;
  }

  // Transactional: w goes free; the one that went free before it moves to
  // the back of the free queue.
  void go_free(const std::shared_ptr<worker>& w) {
    if (std::shared_ptr<worker> before = last_free.get()) free_q.put(std::move(before));
    last_free.set(w);
    if (!any_free.get()) any_free.set(true);
  }

  std::size_t remaining() const { return tasks->size() + dispatched.get() - finished.get(); }

  void start_watchers() {
    // Spin-up: how many workers we are short, so that each queued task has a
    // free worker, without exceeding max. Starting a worker counts it live
    // and free in the same commit, so the value settles back at zero.
    spin_up = atomically_watch(
        [this]() -> std::size_t {
          if (spawn_blocked.get()) return 0;
          // Room first: a full pool reads neither the task list nor the
          // free queue, so submits and finishing workers (which write them)
          // neither re-run this watcher nor conflict through it.
          std::size_t l = live.get();
          if (l >= opt.max_threads) return 0;
          std::size_t queued = tasks->size(), free = free_count();
          std::size_t want = queued > free ? queued - free : 0;
          return std::min(want, opt.max_threads - l);
        },
        changes_only([this](std::size_t n) {
          for (std::size_t i = 0; i < n; ++i) spawn();
        }));
    // Dispatcher: reads only whether there is a free worker and work; hands
    // each queued task to one worker by writing that worker's slot, the only
    // tvar that worker waits on. The free workers first: while every worker
    // is busy (a backlog) it reads nothing a submit or a finishing worker
    // writes, so those commits neither re-run it nor conflict through it;
    // while workers are idle it reads any_free, which a worker going free
    // then leaves alone, and the task list, which only submits change.
    dispatcher = atomically_watch(
        [this] { return any_free.get() && !tasks->empty(); },
        [this](bool go) {
          if (go) dispatch();
        });
  }

  // Transactional: w runs t next.
  void give(worker& w, task t) {
    w.my_slot.set(slot{std::move(t), false});
    dispatched.set(dispatched.get() + 1);
  }

  void dispatch() {
    while (!tasks->empty()) {
      std::shared_ptr<worker> w = take_free();
      if (!w) return;
      give(*w, *tasks->try_pop_front());
    }
  }

  // Transactional, for schedule(): a free worker takes t at once when no
  // task is queued before it, in the scheduling commit, instead of t going
  // through the list to the dispatcher (two more transactions on the
  // scheduling thread). False, and nothing read but any_free, while no
  // worker is free.
  bool hand_to_free_worker(const task& t) {
    if (!any_free.get() || !tasks->empty()) return false;
    std::shared_ptr<worker> w = take_free();
    if (!w) return false;
    give(*w, t);
    return true;
  }

  // Inside the spin-up callback's transaction: the OS thread starts after
  // the commit, and only if it commits.
  void spawn() {
    auto w = std::make_shared<worker>();
    live.set(live.get() + 1);
    free_q.put(w);
    if (!any_free.get()) any_free.set(true);
    after_commit([this, w] { launch(w); });
  }

  void reap_locked() {
    auto done = std::stable_partition(workers.begin(), workers.end(), [](const auto& w) {
      return !w->exited.load();
    });
    for (auto it = done; it != workers.end(); ++it)
      if ((*it)->os_thread.joinable()) (*it)->os_thread.join();
    workers.erase(done, workers.end());
  }

  // The lowest index no working worker has: one whose thread has not been
  // reaped but that has retired (dead) gives its index up, so that indices,
  // and the thread names made of them, stay below max_threads. Starting a
  // worker is rare next to running tasks: a scan of the workers costs
  // nothing that matters.
  std::size_t free_id_locked() {
    std::vector<unsigned char> held(opt.max_threads, 0);
    for (const auto& x : workers)
      if (x->id < held.size() && !x->exited.load() && !x->dead.get()) held[x->id] = 1;
    std::size_t id = 0;
    while (id < held.size() && held[id]) ++id;
    return id < held.size() ? id : 0;
  }

  void launch(const std::shared_ptr<worker>& w) {
    try {
      std::lock_guard<std::mutex> g(threads_m);
      reap_locked();
      if (joined) {
        // Counted in after shutdown() stopped it (it was free): never run.
        w->exited.store(true);
        return;
      }
      w->id = free_id_locked();
      workers.push_back(w);
      try {
        w->os_thread = detail::os_thread(opt.stack_size, [this, w] { run_worker(w); });
      } catch (...) {
        workers.pop_back();
        throw;
      }
    } catch (...) {
      std::exception_ptr e = std::current_exception();
      worker_lost(*w);
      opt.on_worker_failure(e);
    }
  }

  // Transactional: w leaves the books. If the dispatcher already gave it a
  // task, the task goes back to the front of the queue; if it is the last
  // to have gone free, it is taken from there; if it is still in the free
  // queue, it stays there, dead, until the dispatcher skips it.
  void mark_dead(worker& w) {
    w.dead.set(true);
    live.set(live.get() - 1);
    slot s = w.my_slot.get();
    if (s.t) {
      w.my_slot.set(slot{});
      dispatched.set(dispatched.get() - 1);
      tasks->push_front(s.t);
    } else if (!s.stop) {
      if (last_free.get().get() == &w)
        last_free.set(nullptr);
      else
        dead_queued.set(dead_queued.get() + 1);
      sync_any_free();  // a dead entry in the queue counts: the dispatcher skips it
    }
  }

  // A worker that will never run tasks. Start no other until the next
  // schedule() or finished task, or a failing start would loop.
  void worker_lost(worker& w) {
    atomically([&] {
      mark_dead(w);
      spawn_blocked.set(true);
    });
  }

  void run_worker(const std::shared_ptr<worker>& self) {
    detail::worker_count_scope counted;
    worker& w = *self;
    detail::set_thread_owner(this);
    detail::set_thread_name(opt.thread_name_prefix + "_" + std::to_string(w.id));
    if (opt.initializer) {
      try {
        opt.initializer();
      } catch (...) {
        std::exception_ptr e = std::current_exception();
        worker_lost(w);
        opt.on_worker_failure(e);
        w.exited.store(true);
        return;
      }
    }
    // Waits on our own slot only (and the keep-alive deadline).
    auto wait_for_work = [&] {
      return detail::atomically_or_wait([&]() -> std::optional<slot> {
        slot cur = w.my_slot.get();
        if (cur.t || cur.stop) {
          w.my_slot.set(slot{});
          if (cur.t) cur.t.begin();
          return cur;
        }
        if (!elapsed(opt.keep_alive)) return std::nullopt;  // retry
        // Idle for keep_alive: retire. Reading nothing shared here matters:
        // idle workers waiting on the free queue would all wake at every pop.
        mark_dead(w);
        return slot{task{}, true};
      });
    };
    slot s = wait_for_work();
    while (!s.stop) {  // a stop means retired or stopped: live was counted down
      std::exception_ptr failure;
      try {
        s.t();
      } catch (...) {
        failure = std::current_exception();
      }
      if (failure) report("a task threw", failure);
      // Count the task finished, then take the next queued task at once (a
      // busy pool needs no dispatcher and no wake-up), or go back to the
      // free queue and wait there.
      s = atomically([&] {
        s.t.complete(failure);
        finished.set(finished.get() + 1);
        if (failure) failed.set(failed.get() + 1);
        if (spawn_blocked.get()) spawn_blocked.set(false);  // a worker works again
        // Shutdown may have begun while this task ran (a served list can
        // receive work until the watchers are cancelled): leave instead.
        if (stopping.get()) {
          live.set(live.get() - 1);
          return slot{task{}, true};
        }
        if (std::optional<task> next = tasks->try_pop_front()) {
          next->begin();
          dispatched.set(dispatched.get() + 1);
          return slot{std::move(*next), false};
        }
        go_free(self);
        return slot{};
      });
      if (!s.t && !s.stop) s = wait_for_work();
    }
    w.exited.store(true);
  }

  bool join_until(std::optional<duration> timeout) {
    return detail::atomically_or_wait([&]() -> std::optional<bool> {
      if (remaining() == 0) return true;
      if (timeout && elapsed(*timeout)) return false;
      return std::nullopt;  // retry
    });
  }

  // own_worker_ok: called on one of our workers (a done callback that shuts
  // its executor down, after its task was counted), which is not joined:
  // it leaves once the callback returns, and the destructor joins it.
  void shutdown(bool own_worker_ok = false) {
    if (detail::thread_owner() == this && !own_worker_ok)
      throw invalid_state_error(
          "boost::stm::thread_pool: destroyed from one of its own tasks; destroy it from "
          "another thread");
    join_until(std::nullopt);
    spin_up.cancel();
    dispatcher.cancel();
    // With the watchers gone nothing new is dispatched. Stop every free
    // worker; busy ones see `stopping` when they finish and leave.
    atomically([&] {
      stopping.set(true);
      while (std::shared_ptr<worker> w = take_free()) {
        w->my_slot.set(slot{task{}, true});
        live.set(live.get() - 1);
      }
    });
    std::lock_guard<std::mutex> g(threads_m);
    auto self = std::partition(workers.begin(), workers.end(), [](const auto& w) {
      return !w->os_thread.is_current();
    });
    for (auto it = workers.begin(); it != self; ++it)
      if ((*it)->os_thread.joinable()) (*it)->os_thread.join();
    workers.erase(workers.begin(), self);
    joined = true;
    // What the workers retired and could not free as they ended: this may
    // be the last library code the process runs (a static at exit).
    detail::ebr::collect();
  }
};

namespace detail {
void stop_pool(thread_pool& pool) { pool.impl_->shutdown(true); }
bool on_pool_thread(const thread_pool& pool) noexcept {
  return detail::thread_owner() == pool.impl_.get();
}
}  // namespace detail

namespace {
thread_pool::options make_options(std::size_t max_threads, thread_pool::duration keep_alive) {
  thread_pool::options o;
  o.max_threads = max_threads;
  o.keep_alive = keep_alive;
  return o;
}
}  // namespace

std::size_t thread_pool::default_max_threads() noexcept {
  unsigned n = std::thread::hardware_concurrency();
  return std::min<std::size_t>(32, (n ? n : 1) + 4);
}

thread_pool::thread_pool(std::size_t max_threads, duration keep_alive)
    : thread_pool(make_options(max_threads, keep_alive)) {}

thread_pool::thread_pool(tlist<task>& tasks, std::size_t max_threads, duration keep_alive)
    : thread_pool(tasks, make_options(max_threads, keep_alive)) {}

thread_pool::thread_pool(options o) : impl_(std::make_shared<impl>(nullptr, std::move(o))) {
  impl_->start_watchers();
}

thread_pool::thread_pool(tlist<task>& tasks, options o)
    : impl_(std::make_shared<impl>(&tasks, std::move(o))) {
  impl_->start_watchers();
}

thread_pool::~thread_pool() {
  try {
    impl_->shutdown();
  } catch (const std::exception& e) {
    // Joining from one of its own workers would deadlock: say so and stop.
    std::cerr << e.what() << std::endl;
    std::terminate();
  }
}

void thread_pool::schedule(task t) {
  if (!t) throw std::invalid_argument("boost::stm::thread_pool::schedule: empty task");
  atomically([&] {
    if (impl_->spawn_blocked.get()) impl_->spawn_blocked.set(false);  // try starting again
    if (!impl_->hand_to_free_worker(t)) impl_->tasks->push_back(t);
  });
}

void thread_pool::schedule(const std::vector<task>& ts) {
  for (const task& t : ts)
    if (!t) throw std::invalid_argument("boost::stm::thread_pool::schedule: empty task");
  if (ts.empty()) return;
  atomically([&] {
    if (impl_->spawn_blocked.get()) impl_->spawn_blocked.set(false);  // try starting again
    impl_->tasks->insert(impl_->tasks->size(), ts.begin(), ts.end());
  });
}

void thread_pool::join() { impl_->join_until(std::nullopt); }
bool thread_pool::join(duration timeout) { return impl_->join_until(timeout); }

std::size_t thread_pool::tasks_scheduled() const {
  return atomically([&] { return impl_->tasks->size() + impl_->dispatched.get(); });
}
std::size_t thread_pool::tasks_finished() const { return impl_->finished.get(); }
std::size_t thread_pool::tasks_failed() const { return impl_->failed.get(); }
std::size_t thread_pool::tasks_remaining() const {
  return atomically([&] { return impl_->remaining(); });
}
std::size_t thread_pool::live_threads() const { return impl_->live.get(); }
std::size_t thread_pool::free_threads() const {
  return atomically([&] { return impl_->free_count(); });
}
std::size_t thread_pool::max_threads() const noexcept { return impl_->opt.max_threads; }
tlist<task>& thread_pool::tasks() noexcept { return *impl_->tasks; }

}  // namespace stm
}  // namespace boost
