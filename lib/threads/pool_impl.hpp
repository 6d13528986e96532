// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The seed's thread pool, private to the compiled library: its state and
// books (who is free, what is dispatched), shared by thread_pool.cpp (the
// watchers, shutdown, the public members) and pool_workers.cpp (starting,
// running and retiring workers). thread_pool.hpp gives the design in brief;
// the comments here say why each transaction reads and writes what it does.
#ifndef BOOST_STM_LIB_POOL_IMPL_HPP_INCLUDED
#define BOOST_STM_LIB_POOL_IMPL_HPP_INCLUDED

#include <boost/stm/broadcast_queue.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/watch.hpp>

#include "threads/os_thread.hpp"

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace boost {
namespace stm {

namespace detail {
// One line on stderr: "boost::stm::thread_pool: <what>: <e's message>".
void report_pool_failure(const char* what, std::exception_ptr e) noexcept;
}  // namespace detail

struct thread_pool::impl {
  struct slot {
    task t;             // the task to run, if any
    bool stop = false;  // leave: the pool is shutting down
  };

  struct worker {
    std::size_t id = 0;
    tvar<slot> my_slot;
    tvar<bool> dead{false};  // retired, never started, or its initializer failed
    // Its place on the warm stack (see below), while it is there: the
    // worker below it is held, the one above only pointed to (no cycle).
    tvar<bool> warm{false};
    tvar<std::shared_ptr<worker>> warm_down;
    tvar<std::weak_ptr<worker>> warm_up;
    detail::os_thread os_thread;   // guarded by impl::threads_m
    std::atomic<bool> exited{false};
    ~worker() { forget_conflict_site_names(this, sizeof(*this)); }
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
  // The free queue: workers started and not given a task yet, in the order
  // they were started. Dead workers still sitting in it are not free, and
  // the dispatcher skips them when it reaches them. The queue holds
  // shared_ptrs so that a dead worker's entry stays valid after its thread
  // is gone.
  tvar<std::size_t> dead_queued{0};
  broadcast_queue<std::shared_ptr<worker>> free_q;
  broadcast_endpoint<std::shared_ptr<worker>> free_ep = free_q.new_endpoint();
  // The free workers that have run a task, the last to go free first: the
  // last one alone in last_free, the others below it on the warm stack (a
  // worker just started waits in the free queue above until its first
  // task). The next task goes to last_free, else to the top of the stack:
  // the thread most likely still spinning on its slot (a blocked attempt
  // watches for its wake-up for BOOST_STM_SPIN_US before it sleeps), or
  // else the one whose core and caches are warmest. Handing tasks out in
  // the order the workers went free (a queue) instead cycles through every
  // idle worker: under a load that kept two busy, a pool of sixteen used
  // all sixteen in turn, so none was ever idle long enough to retire, and
  // each one's turn came when it had long gone to sleep. Last in, first
  // out keeps the workers the load needs busy and leaves the others idle
  // until keep_alive retires them. last_free on its own keeps a load of
  // one task at a time (a submit and a get, again and again) to one tvar
  // written per hand-out and per return; the stack, a doubly linked list
  // through the workers' own tvars, is touched only while two or more are
  // free. Never a dead worker in either: one that dies is taken out in the
  // same commit. The links are shared_ptrs (the one up a weak_ptr), as the
  // free queue's entries: a transaction that read a link from a snapshot
  // that a worker's death has since overtaken still holds a live worker,
  // whose tvars its commit validates, and never memory a retired worker's
  // thread freed meanwhile.
  tvar<std::shared_ptr<worker>> last_free;
  tvar<std::shared_ptr<worker>> warm_top;
  tvar<std::size_t> warm_size{0};
  // Whether a worker may be free (last_free, the stack, or a free queue
  // entry, which may be a dead worker the dispatcher will skip), kept so by
  // every change of them, but written only when it flips. The dispatcher
  // reads it instead of them, so that a worker going free while others are
  // free already (every finishing worker, when the producers are slower
  // than the pool) writes nothing the dispatcher reads and does not re-run
  // it. It need not: a worker goes free only when its own commit found the
  // task list empty, and the next submit re-runs the dispatcher through
  // the list.
  tvar<bool> any_free{false};

  std::mutex threads_m;
  std::vector<std::shared_ptr<worker>> workers;
  bool joined = false;  // shutdown() joined the workers: start no more

  watch_handle spin_up, dispatcher;

  impl(tlist<task>* external, options o);
  ~impl();
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  // While conflict sites are recorded (stats.hpp): names the pool's tvars
  // and the task list it serves, "thread_pool.<member>".
  void name_tvars();

  std::size_t free_count() const {
    return free_ep.remaining() - dead_queued.get() + warm_size.get() + (last_free.get() ? 1 : 0);
  }

  // Transactional: any_free follows a change of the free workers. Not
  // free_count(): that reads the free queue's write end, where every worker
  // going free writes.
  void sync_any_free() {
    bool any = last_free.get() || warm_top.get() || !free_ep.empty();
    if (any_free.get() != any) any_free.set(any);
  }

  // Transactional: takes w off the warm stack, wherever it is on it.
  void unlink_warm(worker& w) {
    std::shared_ptr<worker> up = w.warm_up.get().lock();  // held above: never expired
    std::shared_ptr<worker> down = w.warm_down.get();
    if (up) up->warm_down.set(down); else warm_top.set(down);
    if (down) down->warm_up.set(up);
    w.warm_down.set(nullptr);
    w.warm_up.set(std::weak_ptr<worker>());
    w.warm.set(false);
    warm_size.set(warm_size.get() - 1);
  }

  // Transactional: takes a free worker, the last to go free first; null if
  // none is.
  std::shared_ptr<worker> take_free() {
    std::shared_ptr<worker> got = last_free.get();
    if (got) {
      last_free.set(nullptr);
    } else if ((got = warm_top.get())) {
      unlink_warm(*got);
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

  // Transactional: w goes free, into last_free; the one there before goes
  // on top of the warm stack.
  void go_free(const std::shared_ptr<worker>& w) {
    if (std::shared_ptr<worker> before = last_free.get()) {
      std::shared_ptr<worker> top = warm_top.get();
      before->warm_down.set(top);
      before->warm.set(true);
      if (top) top->warm_up.set(before);
      warm_top.set(std::move(before));
      warm_size.set(warm_size.get() + 1);
    }
    last_free.set(w);
    if (!any_free.get()) any_free.set(true);
  }

  // Transactional: a free worker w that dies leaves last_free or the warm
  // stack; false if it was in neither (so in the free queue).
  bool forget_free(worker& w) {
    if (last_free.get().get() == &w) {
      last_free.set(nullptr);
      return true;
    }
    if (w.warm.get()) {
      unlink_warm(w);
      return true;
    }
    return false;
  }

  std::size_t remaining() const { return tasks->size() + dispatched.get() - finished.get(); }

  void start_watchers();

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
  void spawn();

  void reap_locked();

  // The lowest index no working worker has: one whose thread has not been
  // reaped but that has retired (dead) gives its index up, so that indices,
  // and the thread names made of them, stay below max_threads. Starting a
  // worker is rare next to running tasks: a scan of the workers costs
  // nothing that matters.
  std::size_t free_id_locked();

  void launch(const std::shared_ptr<worker>& w);

  // Transactional: w leaves the books. If the dispatcher already gave it a
  // task, the task goes back to the front of the queue; if it is the last
  // to have gone free, it is taken from there; if it is still in the free
  // queue, it stays there, dead, until the dispatcher skips it.
  void mark_dead(worker& w);

  // A worker that will never run tasks. Start no other until the next
  // schedule() or finished task, or a failing start would loop.
  void worker_lost(worker& w);

  void run_worker(const std::shared_ptr<worker>& self);

  bool join_until(std::optional<duration> timeout);

  // own_worker_ok: called on one of our workers (a done callback that shuts
  // its executor down, after its task was counted), which is not joined:
  // it leaves once the callback returns, and the destructor joins it.
  void shutdown(bool own_worker_ok = false);
};

}  // namespace stm
}  // namespace boost

#endif
