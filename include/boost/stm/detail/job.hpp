#ifndef BOOST_STM_DETAIL_JOB_HPP_INCLUDED
#define BOOST_STM_DETAIL_JOB_HPP_INCLUDED

#include <boost/stm/detail/future_state.hpp>
#include <boost/stm/task.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost {
namespace stm {
namespace detail {

// The executor (or other owner) whose job is running on this thread, so
// that it can tell when it is asked to wait for itself.
inline thread_local const void* current_job_owner = nullptr;

// An executor's unit of work and its future's state in one allocation.
// begin() (inside the transaction in which a worker takes the job) moves
// the future from pending to running; run() (outside any transaction) does
// so itself if no begin() did (a backend that does not call it), does
// nothing if the future was cancelled, and otherwise calls fn and keeps its
// result;
// complete() (inside the transaction that counts the task finished)
// publishes it, so that both change in one commit. complete() may run more
// than once if that transaction restarts: it only reads what run() kept.
//
// A job that never reached a worker can be ended by complete() directly,
// inside a transaction: with cancel_request it ends cancelled, with any
// other exception it ends failed by it (a broken executor). run() itself
// never throws, so a non-null failure always means that.
// Inside a transaction: ends a job taken back from a queue (or whose start()
// failed): cancelled for a cancel_request, else failed with `failure`. This
// may run in an attempt that is doomed because a worker has just popped the
// job and is running it: touch nothing but the tvars.
inline void end_unsent(future_state_base& s, std::exception_ptr failure) {
  if (s.code() != future_code::pending) return;
  try {
    std::rethrow_exception(failure);
  } catch (const cancel_request&) {
    return s.finish(future_code::cancelled, nullptr);
  } catch (...) {
  }
  s.finish(future_code::finished, std::move(failure));
}

template <class R, class Fn>
class job final : public task_base, public future_state<R> {
public:
  job(Fn fn, const void* owner) : fn_(std::in_place, std::move(fn)), owner_(owner) {}

  void begin() override { this->mark_running(); }

  void run() override {
    if (!this->started_or_start()) return;  // cancelled: it never runs
    ran_ = true;
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
      error_ = std::current_exception();
    }
    fn_.reset();  // what the task captured goes before it is seen done
  }

  void complete(std::exception_ptr failure) override {
    if (!failure) {
      if (ran_) this->finish(future_code::finished, error_);
      return;  // otherwise it was cancelled: already ended
    }
    end_unsent(*this, std::move(failure));
  }

private:
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
