// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#include "executors/background.hpp"

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
  // The executor, to break when an initializer fails; null once it is gone
  // while its workers live on (see the destructor).
  std::mutex owner_m;
  thread_pool_executor* owner = nullptr;
  // Ours, so that take_queued works even while the pool is being destroyed
  // (a worker's initializer can fail then).
  tlist<task> queue;
  // Declared last: it goes first, joining the workers while everything
  // above, which they may use, is still there.
  std::unique_ptr<thread_pool> pool;
};

namespace {

// The core whose worker this thread is (set by every worker first thing).
thread_local const thread_pool_executor::core* t_worker_of = nullptr;

// The user's initializer failed: carries the original as a nested exception.
struct initializer_failed : broken_executor, std::nested_exception {
  using broken_executor::broken_executor;
};

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "a non-std exception";
  }
}

thread_pool::options pool_options(thread_pool_executor::options& o, const thread_pool_executor::core* c,
                                  std::function<void(std::exception_ptr)> on_failure) {
  if (o.max_workers == 0)
    throw std::invalid_argument(
        "boost::stm::thread_pool_executor: max_workers must be at least 1");
  thread_pool::options p;
  p.max_threads = o.max_workers;
  p.keep_alive = o.keep_alive;
  p.stack_size = o.stack_size;
  p.thread_name_prefix = o.thread_name_prefix.empty()
                             ? "stm_ex" + std::to_string(detail::next_pool_number())
                             : std::move(o.thread_name_prefix);
  p.initializer = [init = std::move(o.initializer), c] {
    t_worker_of = c;
    if (init) {
      try {
        init();
      } catch (...) {
        // Thrown inside this catch block, so it nests the user's exception.
        throw initializer_failed(
            "boost::stm::thread_pool_executor: a worker's initializer threw (" +
            describe(std::current_exception()) +
            "), so the executor is broken and accepts no more work; fix the initializer and "
            "use a new executor");
      }
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
  c->owner = this;
  c->pool = std::make_unique<thread_pool>(c->queue, pool_options(o, c, [c](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const initializer_failed&) {
      std::lock_guard<std::mutex> g(c->owner_m);
      if (c->owner) c->owner->break_executor(e);
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
                   "boost::stm::thread_pool_executor: could not start a worker: %s; %zu queued "
                   "task(s) failed with that error\n",
                   describe(e).c_str(), failed);
    }
  }));
}

thread_pool_executor::~thread_pool_executor() {
  if (t_worker_of == core_.get()) {
    // Destroyed by a task or a done callback on one of our workers: waiting
    // for the work to end would wait for this very thread, and the pool
    // cannot join it. So stop taking work, let what was submitted run, and
    // leave the rest to another thread: it destroys the pool (which waits
    // for every task, this one included, then joins the workers) once this
    // worker has finished, and the program joins that thread at the latest
    // at exit. The pool and queue outlive *this in core_; a failing
    // initializer must no longer reach *this.
    try {
      shutdown(false);
    } catch (...) {
      // Only allocation can fail here: submit() is refused anyway once the
      // executor is gone, and the work submitted still runs.
    }
    {
      std::lock_guard<std::mutex> g(core_->owner_m);
      core_->owner = nullptr;
    }
    // Destroying the pool waits for the work, then joins the workers.
    detail::release_in_background(std::move(core_), "boost::stm::thread_pool_executor");
    return;
  }
  try {
    shutdown(true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boost::stm::thread_pool_executor: shutdown in the destructor: %s\n",
                 e.what());
  }
  // The pool goes now, joining the workers, while *this can still be broken
  // (a worker's initializer may fail until it is joined): take_queued()
  // reaches the queue through core_, so core_ stays set until the pool is
  // gone. (No worker is being started by then: shutdown(true) left no work.)
  core_->pool.reset();
  core_.reset();
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
