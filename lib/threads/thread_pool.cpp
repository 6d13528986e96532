// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The thread pool: its watchers (spin-up and dispatcher), shutdown, and the
// public members. The state and books are in pool_impl.hpp, the workers in
// pool_workers.cpp.
#include "threads/pool_impl.hpp"

#include <boost/stm/detail/core/ebr.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread.hpp>

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

namespace boost {
namespace stm {

namespace detail {
void report_pool_failure(const char* what, std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::cerr << "boost::stm::thread_pool: " << what << ": " << x.what() << std::endl;
  } catch (...) {
    std::cerr << "boost::stm::thread_pool: " << what << ": unknown exception" << std::endl;
  }
}
}  // namespace detail

thread_pool::impl::impl(tlist<task>* external, options o) : opt(std::move(o)) {
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
    opt.on_worker_failure = [](std::exception_ptr e) {
      detail::report_pool_failure("a worker failed to start", e);
    };
  if (!external) own_tasks = std::make_unique<tlist<task>>();
  tasks = external ? external : own_tasks.get();
}

thread_pool::impl::~impl() {
  forget_conflict_site_names(this, sizeof(*this));
  forget_conflict_site_names(tasks, sizeof(*tasks));
}

void thread_pool::impl::name_tvars() {
  if (!recording_conflict_sites()) return;
  auto name = [](const auto& member, const char* what) {
    stm::name_conflict_sites(&member, sizeof(member), std::string("thread_pool.") + what);
  };
  name(*tasks, "tasks");
  name(live, "live");
  name(dispatched, "dispatched");
  name(finished, "finished");
  name(failed, "failed");
  name(spawn_blocked, "spawn_blocked");
  name(stopping, "stopping");
  name(dead_queued, "dead_queued");
  name(free_q, "free_queue");
  name(free_ep, "free_queue_endpoint");
  name(last_free, "last_free");
  name(warm_top, "warm_top");
  name(warm_size, "warm_size");
  name(any_free, "any_free");
}

void thread_pool::impl::start_watchers() {
  name_tvars();
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

bool thread_pool::impl::join_until(std::optional<thread_pool::duration> timeout) {
  return detail::atomically_or_wait([&]() -> std::optional<bool> {
    if (remaining() == 0) return true;
    if (timeout && elapsed(*timeout)) return false;
    return std::nullopt;  // retry
  });
}

void thread_pool::impl::shutdown(bool own_worker_ok) {
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
