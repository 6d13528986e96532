// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The thread pool's workers: started after the commit that counts them,
// each running tasks from its own slot (or straight from the list while
// there is a backlog), and leaving the books when it retires or fails.
#include "threads/pool_impl.hpp"

#include <boost/stm/stats.hpp>
#include <boost/stm/thread.hpp>

#include <algorithm>
#include <string>

namespace boost {
namespace stm {

void thread_pool::impl::spawn() {
  auto w = std::make_shared<worker>();
  live.set(live.get() + 1);
  free_q.put(w);
  if (!any_free.get()) any_free.set(true);
  after_commit([this, w] { launch(w); });
}

void thread_pool::impl::reap_locked() {
  auto done = std::stable_partition(workers.begin(), workers.end(), [](const auto& w) {
    return !w->exited.load();
  });
  for (auto it = done; it != workers.end(); ++it)
    if ((*it)->os_thread.joinable()) (*it)->os_thread.join();
  workers.erase(done, workers.end());
}

std::size_t thread_pool::impl::free_id_locked() {
  std::vector<unsigned char> held(opt.max_threads, 0);
  for (const auto& x : workers)
    if (x->id < held.size() && !x->exited.load() && !x->dead.get()) held[x->id] = 1;
  std::size_t id = 0;
  while (id < held.size() && held[id]) ++id;
  return id < held.size() ? id : 0;
}

void thread_pool::impl::launch(const std::shared_ptr<thread_pool::impl::worker>& w) {
  try {
    std::lock_guard<std::mutex> g(threads_m);
    reap_locked();
    if (joined) {
      // Counted in after shutdown() stopped it (it was free): never run.
      w->exited.store(true);
      return;
    }
    w->id = free_id_locked();
    if (recording_conflict_sites())
      name_conflict_sites(w.get(), sizeof(*w), "thread_pool.worker_" + std::to_string(w->id));
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

void thread_pool::impl::mark_dead(thread_pool::impl::worker& w) {
  w.dead.set(true);
  live.set(live.get() - 1);
  slot s = w.my_slot.get();
  if (s.t) {
    w.my_slot.set(slot{});
    dispatched.set(dispatched.get() - 1);
    tasks->push_front(s.t);
  } else if (!s.stop) {
    if (!forget_free(w)) dead_queued.set(dead_queued.get() + 1);
    sync_any_free();  // a dead entry in the queue counts: the dispatcher skips it
  }
}

void thread_pool::impl::worker_lost(thread_pool::impl::worker& w) {
  atomically([&] {
    mark_dead(w);
    spawn_blocked.set(true);
  });
}

void thread_pool::impl::run_worker(const std::shared_ptr<thread_pool::impl::worker>& self) {
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
    if (failure) detail::report_pool_failure("a task threw", failure);
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

}  // namespace stm
}  // namespace boost
