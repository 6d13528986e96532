// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_FUTURE_STATE_HPP_INCLUDED
#define BOOST_STM_DETAIL_FUTURE_STATE_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace boost {
namespace stm {
namespace detail {

// Counts n tasks toward executor_statistics() once the calling transaction
// commits (at once outside a transaction), so that an attempt that restarts
// counts nothing.
inline void count_tasks_on_commit(task_outcome what, std::uint64_t n) {
  if (in_transaction())
    after_commit([what, n] { count_tasks(what, n); });
  else
    count_tasks(what, n);
}

enum class future_code : unsigned char { pending, running, cancelled, finished };

// Who runs a job whose future is (still) pending: nobody yet, the worker
// that took it from its executor's queue, or a task of the same executor
// that waits for it and runs it in place (see future_state_base::run_here).
enum class runner : unsigned char { none, worker, waiter };

// The executor (or other owner) whose job is running on this thread, so
// that it can tell when it is asked to wait for itself, and so that a wait
// for a job of the same owner can run that job here.
inline thread_local const void* current_job_owner = nullptr;
// On a fiber executor's thread, the size of its task fibers' stacks and
// the power of two each stack is aligned to (0 elsewhere: a worker thread's
// stack is a thread's, and a job runs in place there at any depth). The
// alignment gives the stack's low end from any address on it, so a fiber
// runs a job in place only while at least half of its own stack is left;
// past that, a wait just suspends the fiber.
inline thread_local std::size_t fiber_stack_size = 0;
inline thread_local std::size_t fiber_stack_align = 0;

inline bool stack_allows_run_here() noexcept {
  if (fiber_stack_align == 0) return true;
  char probe = 0;
  auto left = reinterpret_cast<std::uintptr_t>(&probe) & (fiber_stack_align - 1);
  return left >= fiber_stack_size / 2;
}

inline bool is_terminal(future_code c) noexcept {
  return c == future_code::cancelled || c == future_code::finished;
}

// An ended future's state as read_ended(): its code and, if an exception ended it,
// that exception. The result itself is not in here: it is written once,
// before the commit that publishes `finished`, into the state object, and
// never changes after that (except by get() moving it out when no other
// handle can see it).
struct future_snapshot {
  future_code code = future_code::pending;
  // Set (transactionally) once a done callback is registered, so that the
  // completing transaction knows it must run them after its commit; futures
  // without callbacks cost no after-commit action.
  bool has_callbacks = false;
  std::exception_ptr error;
};

// What the state's main tvar holds: small enough to live in the tvar's word,
// so that a future's transitions allocate nothing. Its code is never
// `running`: that is a tvar of its own (see future_state_base), so that
// starting a job does not wake a get() that waits for it to end. The
// exception, when there is one, is in a tvar of its own too, written by the
// same commit that sets has_error and the terminal code.
struct future_word {
  future_code code = future_code::pending;
  bool has_callbacks = false;
  bool has_error = false;
};

// Asks a queued job to end as cancelled without running (see job::complete).
struct cancel_request {};

// Inside a catch handler: one line on stderr, "<what>: <e.what()>".
inline void report_failure(const char* what) noexcept {
  try {
    throw;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", what, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s a non-std exception\n", what);
  }
}

inline void report_callback_failure() noexcept {
  report_failure("boost::stm::future: a done callback threw");
}

// A done callback together with the future (or shared_future) it is called
// with. That future is made when the callback is added, so the result's
// consumers are counted from then on (see future_state_base::handles).
struct callback_base {
  virtual ~callback_base() = default;
  virtual void invoke() = 0;
};

template <class Handle, class F>
struct callback_impl final : callback_base {
  callback_impl(Handle h, F f) : h_(std::move(h)), f_(std::move(f)) {}
  void invoke() override { f_(h_); }
  Handle h_;
  F f_;
};

inline void run_callback(callback_base& cb) noexcept {
  try {
    cb.invoke();
  } catch (...) {
    report_callback_failure();
  }
}

class future_state_base {
public:
  future_state_base() = default;
  future_state_base(const future_state_base&) = delete;
  future_state_base& operator=(const future_state_base&) = delete;
  virtual ~future_state_base() = default;

  // Transactional reads inside a transaction. Outside one, separate reads
  // that are still linearizable: error_ is read after var_, and a has_error
  // seen in var_ was committed together with error_, which never changes
  // again (the state is terminal); running_ is read after var_ and only
  // ever goes from false to true, in a commit that saw var_ pending, so a
  // pending var_ and a true running_ read after it were, together, the
  // state at the moment running_ was set (or at the first read, if it was
  // set by then).
  future_code code() const {
    future_code c = var_.get().code;
    return c == future_code::pending && running_.get() != runner::none ? future_code::running
                                                                        : c;
  }

  // The state if it has ended. Reads neither running_ nor, while the state
  // is not terminal, anything but var_: a transaction that waits for the
  // end is not woken when the job merely starts.
  std::optional<future_snapshot> read_ended() const {
    future_word w = var_.get();
    if (!is_terminal(w.code)) return std::nullopt;
    return expand(w);
  }
  bool ended() const { return is_terminal(var_.get().code); }

  // Retries until the state is terminal. Inside a transaction, part of it.
  // Outside a transaction, a task of the executor this future's job belongs
  // to runs that job here if nobody has started it yet (see run_here).
  future_snapshot wait_terminal() {
    if (!in_transaction()) {
      // Already ended (the common case when collecting results): one
      // consistent read, no transaction.
      if (std::optional<future_snapshot> s = read_ended()) return *s;
      if (current_job_owner) run_here();
    }
    return atomically_or_wait([&] { return read_ended(); });
  }

  // Called outside any transaction by a wait on a task's thread (or fiber):
  // if this is a job of that task's executor and nobody has started it,
  // claims it (pending -> running, in one commit against cancel() and the
  // worker's take, so exactly one of them wins) and runs it here, on a
  // worker that is already counted, then ends the future. true if it ran
  // it here. A job already running elsewhere is left to its worker.
  virtual bool run_here() { return false; }

  // pending -> cancelled. true if pending or already cancelled.
  bool cancel() {
    return atomically([&] {
      future_word w = var_.get();
      if (w.code == future_code::cancelled) return true;
      if (w.code != future_code::pending || running_.get() != runner::none) return false;
      w.code = future_code::cancelled;
      publish(w);
      count_tasks_on_commit(task_outcome::cancelled, 1);
      return true;
    });
  }

  // pending -> running, run by `who`, if nobody has claimed it yet: true
  // if this call claimed it, false if it was cancelled, already ended or
  // claimed by someone else. Transactional: inside a transaction (a
  // worker's take, see task_base::begin), part of it, so a cancel() or
  // another claim committing meanwhile makes it restart; outside one, a
  // transaction of its own. The one way into running.
  bool claim(runner who) {
    auto take = [&] {
      if (code() != future_code::pending) return false;
      running_.set(who);
      return true;
    };
    // Inside a transaction (a worker's take, on every task) directly: it
    // throws nothing, so it needs no nested scope to undo.
    return in_transaction() ? take() : atomically(take);
  }

  // Whether `who` claimed the job: read by the worker that took it, which
  // runs it only if so. running_ is set once, so a read outside any
  // transaction is final once true.
  bool claimed_by(runner who) const { return running_.get() == who; }

  // Inside a transaction: ends the future (finished with `error` or a value
  // already stored, or cancelled) unless it has already ended.
  void finish(future_code code, std::exception_ptr error) {
    future_word w = var_.get();
    if (is_terminal(w.code)) return;
    w.code = code;
    if (error) {
      w.has_error = true;
      error_.set(std::move(error));
    }
    publish(w);
  }

  void add_callback(std::shared_ptr<callback_base> cb) {
    if (in_transaction()) {
      // Registered when (and only if) the transaction commits; the
      // callback's handle keeps this state alive until then.
      after_commit([this, cb] { add_callback_now(cb); });
      return;
    }
    add_callback_now(std::move(cb));
  }

  // Consumers of the result: future and shared_future objects, including
  // the ones held by callbacks not yet run. get() moves the value out only
  // when it is the sole consumer.
  std::atomic<unsigned> handles{0};
  // A shared_future exists (or existed): nobody may move the value out.
  std::atomic<bool> shared{false};
  // A move-only value was moved out.
  std::atomic<bool> taken{false};

private:
  future_snapshot expand(future_word w) const {
    return future_snapshot{w.code, w.has_callbacks, w.has_error ? error_.get() : nullptr};
  }

  // Inside a transaction: writes w and, if callbacks were registered,
  // runs them after the commit on this thread.
  void publish(future_word w) {
    bool cbs = w.has_callbacks && is_terminal(w.code);
    var_.set(w);
    if (cbs) after_commit([this] { fire(); });
  }

  void add_callback_now(std::shared_ptr<callback_base> cb) {
    callback_base* const mine = cb.get();
    {
      std::lock_guard<std::mutex> g(m_);
      if (!fired_) {
        callbacks_.push_back(std::move(cb));
      }
    }
    if (cb) return run_callback(*cb);  // already fired: at once, here
    // Either the completing transaction sees has_callbacks and fires after
    // its commit, or this one sees it ended and fires here.
    bool ended;
    try {
      ended = atomically([&] {
        future_word w = var_.get();
        if (is_terminal(w.code)) return true;
        if (!w.has_callbacks) {
          w.has_callbacks = true;
          var_.set(w);
        }
        return false;
      });
    } catch (...) {
      // Out of memory, say. The caller must be able to rely on "threw:
      // never runs", so take the callback back, unless a fire() (after the
      // completion of a future whose has_callbacks an earlier callback set)
      // has already taken it: then it runs, and this call succeeded.
      std::lock_guard<std::mutex> g(m_);
      if (fired_) return;
      for (auto it = callbacks_.begin(); it != callbacks_.end(); ++it)
        if (it->get() == mine) {
          callbacks_.erase(it);
          break;
        }
      throw;
    }
    if (ended) fire();
  }

  // Runs every callback registered so far, once, in order; later ones run
  // at once in add_callback_now. Idempotent.
  void fire() {
    std::vector<std::shared_ptr<callback_base>> cbs;
    {
      std::lock_guard<std::mutex> g(m_);
      if (fired_) return;
      fired_ = true;
      cbs.swap(callbacks_);
    }
    for (auto& cb : cbs) {
      run_callback(*cb);
      cb.reset();  // release its handle before the next one runs
    }
  }

  tvar<future_word> var_;
  tvar<runner> running_{runner::none};  // set once, while var_ is pending
  tvar<std::exception_ptr> error_;  // empty (no allocation) until an exception ends it
  std::mutex m_;
  std::vector<std::shared_ptr<callback_base>> callbacks_;
  bool fired_ = false;
};

// Where the result lives: a T, a T* for future<T&>, nothing for void.
template <class R>
struct result_slot {
  std::optional<R> value;
};
template <class R>
struct result_slot<R&> {
  R* value = nullptr;
};
template <>
struct result_slot<void> {};

template <class R>
class future_state : public future_state_base, public result_slot<R> {};

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
