// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#include "executors/backend.hpp"
#include "threads/os_thread.hpp"

#include <boost/stm/detail/core/ebr.hpp>

#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/tlist.hpp>

#include <boost/fiber/fiber.hpp>
#include <boost/context/stack_context.hpp>
#include <boost/fiber/operations.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace boost {
namespace stm {

// Scheduler choice: each thread keeps Boost.Fiber's default round_robin, so
// a task fiber never leaves the thread that started it. bench/fiber_schedulers
// measured the alternatives on 2 threads (doc/fibers.qbk, "Scheduler
// choice"): none was clearly faster for tiny tasks or wake-up bursts, and
// each has a cost the executor cannot accept:
// - work_stealing (Boost 1.74) sizes a static scheduler array once per
//   process and waits on a static barrier: one group of threads, ever, so
//   not a second executor, nor a new one after the first is destroyed;
// - shared_work has one ready queue per process: two executors would run
//   each other's fibers on their threads;
// - either one, unless its idle threads spin (a core each, for as long as
//   the executor lives, even with every task blocked), moves work only to a
//   thread that happens to be awake, so it does not even out a load.
// Moving is not what stops them: a transaction parks in retry() only after
// it has ended its attempt (no current transaction, out of the reclamation
// epoch, serial mode released), and the next attempt begins on whatever
// thread the fiber resumes on (under shared_work the benchmark had about a
// third of 10,000 parked transactions resume on the other thread, all
// correct). What would break
// is thread-bound state held across a suspension: the STM's per-thread
// statistics counters (on_retry() counts the wake-up on the parking
// thread's counters, which only their owner may write), the job owner kept
// for shutdown() (below), and a task's own thread_locals, std::mutex locks
// or per-thread initializer state.
namespace {

const char* const who = "boost::stm::fiber_executor";

// A task fiber's stack, aligned to the power of two at or above its size,
// so that the low end of the stack (how much is left) follows from any
// address on it: see detail::stack_allows_run_here.
struct aligned_stack {
  std::size_t size;

  static std::size_t alignment(std::size_t n) noexcept {
    std::size_t a = 4096;
    while (a < n) a *= 2;
    return a;
  }
  boost::context::stack_context allocate() {
    void* p = nullptr;
    if (posix_memalign(&p, alignment(size), size) != 0) throw std::bad_alloc();
    boost::context::stack_context sc;
    sc.size = size;
    sc.sp = static_cast<char*>(p) + size;
    return sc;
  }
  void deallocate(boost::context::stack_context& sc) noexcept {
    std::free(static_cast<char*>(sc.sp) - sc.size);
  }
};

}  // namespace

struct fiber_executor::impl {
  options opt;
  // One queue per thread, filled in turn: each pump waits on its own queue
  // only, so a task wakes one pump, however many threads there are.
  std::vector<std::unique_ptr<tlist<task>>> queues;
  std::atomic<std::size_t> next_queue{0};
  tvar<std::size_t> running{0};
  tvar<bool> stopping{false};
  std::vector<detail::os_thread> threads;
  std::mutex join_m;
  detail::executor_link link;

  // Lets the pumps end once their queues are empty, then waits for every
  // thread (each waits for its task fibers first).
  // Any number of times, from several threads at once.
  void stop_and_join() {
    stopping.set(true);
    std::lock_guard<std::mutex> g(join_m);
    for (auto& t : threads)
      if (t.joinable()) t.join();
    // What the threads retired and could not free as they ended: this may
    // be the last library code the process runs (a static at exit).
    detail::ebr::collect();
  }

  // One OS thread: a pump fiber feeds task fibers until the executor stops;
  // the main context then waits for this thread's task fibers to end, so
  // the scheduler is never torn down under a running fiber.
  void thread_main(fiber_executor& ex, std::size_t index) {
    detail::worker_count_scope counted;
    detail::set_thread_owner(this);
    detail::mark_fiber_thread();
    // Every fiber of this thread is one of ex's tasks (or its pump). A job
    // saves and restores the running job's owner around its task, which is
    // only right if nothing else changes it meanwhile: here, fibers that
    // block interleave, so one task's restore would clear the owner under
    // another that is still running (whose shutdown(true) would then wait
    // for itself instead of throwing). Set for the whole thread, it is
    // always ex, whatever the order.
    detail::current_job_owner = static_cast<const executor*>(&ex);
    // A wait for a queued task of ex runs it in place, nested on the
    // waiting fiber's stack, while half of that stack is left (see
    // aligned_stack); deeper, the fiber suspends and a fiber of its own
    // runs it.
    detail::fiber_stack_size = opt.stack_size;
    detail::fiber_stack_align = aligned_stack::alignment(opt.stack_size);
    detail::set_thread_name(opt.thread_name_prefix + "_" + std::to_string(index));
    if (opt.initializer) {
      try {
        opt.initializer();
      } catch (...) {
        link.break_executor(detail::broken_by_initializer(who));
        return;
      }
    }
    tvar<std::size_t> mine{0};  // task fibers of this thread still running
    boost::fibers::fiber pump(boost::fibers::launch::post,
                              [&] { pump_loop(*queues[index], mine); });
    pump.join();
    atomically([&] { if (mine.get() != 0) retry(); });
  }

  void pump_loop(tlist<task>& queue, tvar<std::size_t>& mine) {
    for (;;) {
      task t = atomically([&] {
        if (std::optional<task> x = queue.try_pop_front()) {
          x->begin();  // claimed in the commit that takes it, as on a pool
          running.set(running.get() + 1);
          mine.set(mine.get() + 1);
          return *x;
        }
        if (stopping.get()) return task{};
        retry();  // suspends only this fiber
      });
      if (!t) return;
      boost::fibers::fiber(std::allocator_arg, aligned_stack{opt.stack_size},
                           [this, t, &mine] { run_one(t, mine); })
          .detach();
      // Let the new fiber (and the other pumps) have a turn, so that a burst
      // of tasks spreads over the threads instead of piling on this one.
      boost::this_fiber::yield();
    }
  }

  void run_one(const task& t, tvar<std::size_t>& mine) {
    std::exception_ptr failure;
    try {
      t();
    } catch (...) {
      failure = std::current_exception();
    }
    atomically([&] {
      t.complete(failure);
      running.set(running.get() - 1);
      mine.set(mine.get() - 1);
    });
  }
};

namespace {
fiber_executor::options with_threads(std::size_t n) {
  fiber_executor::options o;
  o.threads = n;
  return o;
}
}  // namespace

fiber_executor::fiber_executor(std::size_t threads) : fiber_executor(with_threads(threads)) {}

fiber_executor::fiber_executor(options o) : impl_(std::make_unique<impl>()) {
  if (o.threads == 0)
    throw std::invalid_argument(std::string(who) + ": threads must be at least 1");
  if (o.stack_size < 16 * 1024)
    throw std::invalid_argument(std::string(who) + ": stack_size below 16 KiB");
  enable_fiber_support();
  detail::name_threads_by_default(o, "stm_fiber");
  impl_->opt = std::move(o);
  impl_->link.attach([this](std::exception_ptr e) { break_executor(std::move(e)); });
  for (std::size_t i = 0; i < impl_->opt.threads; ++i)
    impl_->queues.push_back(std::make_unique<tlist<task>>());
  try {
    for (std::size_t i = 0; i < impl_->opt.threads; ++i)
      impl_->threads.emplace_back(0, [this, p = impl_.get(), i] { p->thread_main(*this, i); });
  } catch (...) {
    impl_->stop_and_join();
    throw;
  }
}

fiber_executor::~fiber_executor() {
  detail::tear_down(*this, who, detail::thread_owner() == impl_.get(), impl_->link, impl_,
                    +[](std::unique_ptr<impl>& p) { p->stop_and_join(); });
}

std::size_t fiber_executor::threads() const noexcept { return impl_->opt.threads; }
std::size_t fiber_executor::tasks_running() const { return impl_->running.get(); }

void fiber_executor::post(task t) {
  // Which queue need not be transactional: any one will do.
  std::size_t i = impl_->next_queue.fetch_add(1, std::memory_order_relaxed) % impl_->queues.size();
  impl_->queues[i]->push_back(std::move(t));
}

std::vector<task> fiber_executor::take_queued() {
  std::vector<task> all;
  for (auto& q : impl_->queues) {
    std::vector<task> v = q->to_vector();
    if (v.empty()) continue;
    q->clear();
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

// Only shutdown(true) joins: once the work is done, the threads go too.
void fiber_executor::join() {
  atomically([&] {
    for (auto& q : impl_->queues)
      if (!q->empty()) retry();
    if (impl_->running.get() != 0) retry();
  });
  impl_->stop_and_join();
}

}  // namespace stm
}  // namespace boost
