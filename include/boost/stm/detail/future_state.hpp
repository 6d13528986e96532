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
    return c == future_code::pending && running_.get() ? future_code::running : c;
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
  future_snapshot wait_terminal() const {
    if (!in_transaction()) {
      // Already ended (the common case when collecting results): one
      // consistent read, no transaction.
      if (std::optional<future_snapshot> s = read_ended()) return *s;
    }
    return atomically_or_wait([&] { return read_ended(); });
  }

  // pending -> cancelled. true if pending or already cancelled.
  bool cancel() {
    return atomically([&] {
      future_word w = var_.get();
      if (w.code == future_code::cancelled) return true;
      if (w.code != future_code::pending || running_.get()) return false;
      w.code = future_code::cancelled;
      publish(w);
      count_tasks_on_commit(task_outcome::cancelled, 1);
      return true;
    });
  }

  // pending -> running; false if it was cancelled (or already ended).
  // Transactional.
  bool start() {
    return atomically([&] {
      if (code() != future_code::pending) return false;
      running_.set(true);
      return true;
    });
  }

  // Inside a transaction: pending -> running (a cancelled future stays so).
  // It reads var_, so a cancel() committing meanwhile makes it restart.
  void mark_running() {
    if (var_.get().code == future_code::pending) running_.set(true);
  }

  // Outside any transaction, just before the task would run: whether it
  // may (it is running: a worker started it when it took the task), or
  // start() if nobody has.
  bool started_or_start() {
    future_code c = code();
    if (c == future_code::running) return true;
    return c == future_code::pending && start();
  }

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
  tvar<bool> running_{false};  // set once, while var_ is pending
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
