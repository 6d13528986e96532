// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_JOB_HPP_INCLUDED
#define BOOST_STM_DETAIL_JOB_HPP_INCLUDED

#include <boost/stm/detail/executors/future_state.hpp>
#include <boost/stm/task.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// An executor's unit of work and its future's state in one allocation,
// run by the task protocol every backend follows (see task_base): begin(),
// inside the transaction in which a worker takes the job, claims it for
// that worker (pending -> running) unless it was cancelled or claimed by a
// waiter; run(), outside any transaction, calls fn and keeps its result
// only if that claim was made (a job whose begin() never ran, or lost to a
// cancel or a waiter, is not this worker's to run); complete(), inside the
// transaction that counts the task finished, publishes the result, so that
// both change in one commit. complete() may run more than once if that
// transaction restarts: it only reads what run() kept.
//
// A job that never reached a worker can be ended by complete() directly,
// inside a transaction: with cancel_request it ends cancelled, with any
// other exception it ends failed by it (a broken executor). run() itself
// never throws, so a non-null failure always means that.
//
// A task of the same owner that waits for the job before a worker has
// started it runs it in place instead (run_here): the job stays where it
// is queued, claimed, and the worker that takes it later finds it running
// and does nothing with it, so neither touches what the other keeps.

// Inside a transaction: ends a job taken back from a queue (or whose start()
// failed): cancelled for a cancel_request, else failed with `failure`. This
// may run in an attempt that is doomed because a worker has just popped the
// job and is running it: touch nothing but the tvars.
inline void end_unsent(future_state_base& s, std::exception_ptr failure) {
  if (s.code() != future_code::pending) return;
  try {
    std::rethrow_exception(failure);
  } catch (const cancel_request&) {
    count_tasks_on_commit(task_outcome::cancelled, 1);
    return s.finish(future_code::cancelled, nullptr);
  } catch (...) {
  }
  count_tasks_on_commit(task_outcome::failed, 1);
  s.finish(future_code::finished, std::move(failure));
}

template <class R, class Fn>
class job final : public task_base, public future_state<R> {
public:
  job(Fn fn, const void* owner) : fn_(std::in_place, std::move(fn)), owner_(owner) {}

  void begin() override { this->claim(runner::worker); }

  const void* owner() const noexcept override { return owner_; }

  void run() override {
    // Not claimed by begin(): cancelled, or claimed by a waiter.
    if (!this->claimed_by(runner::worker)) return;
    ran_ = true;
    error_ = invoke();
  }

  void complete(std::exception_ptr failure) override {
    if (!failure) {
      if (ran_) this->finish(future_code::finished, error_);
      return;  // otherwise it was cancelled or run by a waiter: already ended
    }
    end_unsent(*this, std::move(failure));  // taken back from a queue
  }

  bool run_here() override {
    if (owner_ != current_job_owner || !stack_allows_run_here()) return false;
    if (!this->claim(runner::waiter)) return false;
    std::exception_ptr error = invoke();
    atomically([&] { this->finish(future_code::finished, error); });
    return true;
  }

private:
  // Calls fn once, keeping its result; its exception, if it threw.
  std::exception_ptr invoke() noexcept {
    std::exception_ptr error;
    struct owner_scope {
      const void* saved;
      ~owner_scope() { current_job_owner = saved; }
    } scope{std::exchange(current_job_owner, owner_)};
    try {
      if constexpr (std::is_void<R>::value)
        (*fn_)();
      else if constexpr (std::is_reference<R>::value)
        this->value = std::addressof((*fn_)());
      else
        this->value.emplace((*fn_)());
    } catch (...) {
      error = std::current_exception();
    }
    fn_.reset();  // what the task captured goes before it is seen done
    count_tasks(error ? task_outcome::failed : task_outcome::finished, 1);
    return error;
  }

  std::optional<Fn> fn_;
  const void* owner_;
  std::exception_ptr error_;
  bool ran_ = false;
};

// A job for fn (called with no arguments), its task and its future.
template <class R, class Fn>
std::shared_ptr<job<R, Fn>> make_job(Fn fn, const void* owner) {
  return std::make_shared<job<R, Fn>>(std::move(fn), owner);
}

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
