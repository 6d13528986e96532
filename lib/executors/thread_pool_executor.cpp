// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#include "executors/backend.hpp"

#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace boost {
namespace stm {

struct thread_pool_executor::core {
  detail::executor_link link;
  // Ours, so that take_queued works even while the pool is being destroyed
  // (a worker's initializer can fail then).
  tlist<task> queue;
  // Declared last: it goes first, joining the workers while everything
  // above, which they may use, is still there.
  std::unique_ptr<thread_pool> pool;
};

namespace {

const char* const who = "boost::stm::thread_pool_executor";

// The shared options (worker_options) pass as they are; an initializer
// that throws breaks the executor.
thread_pool::options pool_options(thread_pool_executor::options& o,
                                  std::function<void(std::exception_ptr)> on_failure) {
  if (o.max_workers == 0)
    throw std::invalid_argument(std::string(who) + ": max_workers must be at least 1");
  thread_pool::options p;
  static_cast<worker_options&>(p) = std::move(o);
  p.max_threads = o.max_workers;
  detail::name_threads_by_default(p, "stm_ex");
  if (p.initializer)
    p.initializer = [init = std::move(p.initializer)] {
      try {
        init();
      } catch (...) {
        std::rethrow_exception(detail::broken_by_initializer(who));
      }
    };
  p.on_worker_failure = std::move(on_failure);
  return p;
}

}  // namespace

std::size_t thread_pool_executor::default_max_workers() noexcept {
  return thread_pool::default_max_threads();  // the same rule: min(32, cores + 4)
}

thread_pool_executor::thread_pool_executor(std::size_t max_workers)
    : thread_pool_executor([&] {
        options o;
        o.max_workers = max_workers;
        return o;
      }()) {}

thread_pool_executor::thread_pool_executor(options o) : core_(std::make_shared<core>()) {
  core* c = core_.get();
  c->link.attach([this](std::exception_ptr e) { break_executor(std::move(e)); });
  c->pool = std::make_unique<thread_pool>(c->queue, pool_options(o, [c](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const detail::initializer_failed&) {
      c->link.break_executor(e);
    } catch (...) {
      // A worker could not be started (out of threads?). While other
      // workers live, queued work waits for them, and the next submit tries
      // to start one again. With none left nothing would ever run it: the
      // queued tasks end failed with this error (in one commit with the
      // check, so a worker started meanwhile is seen), and the executor
      // stays usable.
      std::size_t failed = atomically([&] {
        std::size_t n = 0;
        if (c->pool && c->pool->live_threads() == 0)
          while (std::optional<task> t = c->queue.try_pop_front()) {
            t->complete(e);
            ++n;
          }
        return n;
      });
      std::fprintf(stderr,
                   "%s: could not start a worker: %s; %zu queued task(s) failed with that error\n",
                   who, detail::describe(e).c_str(), failed);
    }
  }));
}

// Destroying the pool waits for the work, then joins the workers. The
// queue it serves stays (in core_) until then: take_queued() reaches it
// while a worker's initializer can still fail and break the executor.
thread_pool_executor::~thread_pool_executor() {
  detail::tear_down(*this, who, detail::on_pool_thread(*core_->pool), core_->link, core_,
                    +[](std::shared_ptr<core>& c) { c->pool.reset(); });
}

std::size_t thread_pool_executor::max_workers() const noexcept { return core_->pool->max_threads(); }

const thread_pool& thread_pool_executor::pool() const noexcept { return *core_->pool; }

void thread_pool_executor::post(task t) { core_->pool->schedule(std::move(t)); }
void thread_pool_executor::post_all(const std::vector<task>& ts) { core_->pool->schedule(ts); }

std::vector<task> thread_pool_executor::take_queued() {
  std::vector<task> v = core_->queue.to_vector();
  if (!v.empty()) core_->queue.clear();
  return v;
}

// Only shutdown(true) joins, so the pool takes no more work: its workers
// go now, not after keep_alive (as concurrent.futures joins its threads).
void thread_pool_executor::join() { detail::stop_pool(*core_->pool); }

}  // namespace stm
}  // namespace boost
