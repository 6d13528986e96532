#ifndef BOOST_STM_DETAIL_FUTURE_STATE_HPP_INCLUDED
#define BOOST_STM_DETAIL_FUTURE_STATE_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
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

enum class future_code : unsigned char { pending, running, cancelled, finished };

inline bool is_terminal(future_code c) noexcept {
  return c == future_code::cancelled || c == future_code::finished;
}

// What a future's tvar holds. The result itself is not in here: it is
// written once, before the commit that publishes `finished`, into the
// state object, and never changes after that (except by get() moving it
// out when no other handle can see it).
struct future_snapshot {
  future_code code = future_code::pending;
  // Set (transactionally) once a done callback is registered, so that the
  // completing transaction knows it must run them after its commit; futures
  // without callbacks cost no after-commit action.
  bool has_callbacks = false;
  std::exception_ptr error;
};

// Asks a queued job to end as cancelled without running (see job::complete).
struct cancel_request {};

inline void report_callback_failure() noexcept {
  try {
    throw;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boost::stm::future: a done callback threw: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "boost::stm::future: a done callback threw a non-std exception\n");
  }
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

  // Transactional read inside a transaction, one consistent read outside.
  future_snapshot read() const { return var_.get(); }

  // Retries until the state is terminal. Inside a transaction, part of it.
  future_snapshot wait_terminal() const {
    if (!in_transaction()) {
      // Already ended (the common case when collecting results): one
      // consistent read, no transaction.
      future_snapshot s = var_.get();
      if (is_terminal(s.code)) return s;
    }
    return atomically_or_wait([&]() -> std::optional<future_snapshot> {
      future_snapshot s = var_.get();
      if (!is_terminal(s.code)) return std::nullopt;  // retry
      return s;
    });
  }

  // pending -> cancelled. true if pending or already cancelled.
  bool cancel() {
    return atomically([&] {
      future_snapshot s = var_.get();
      if (s.code == future_code::cancelled) return true;
      if (s.code != future_code::pending) return false;
      s.code = future_code::cancelled;
      publish(std::move(s));
      return true;
    });
  }

  // pending -> running; false if it was cancelled (or already ended).
  bool start() {
    return atomically([&] {
      future_snapshot s = var_.get();
      if (s.code != future_code::pending) return false;
      s.code = future_code::running;
      var_.set(std::move(s));
      return true;
    });
  }

  // Inside a transaction: ends the future (finished with `error` or a value
  // already stored, or cancelled) unless it has already ended.
  void finish(future_code code, std::exception_ptr error) {
    future_snapshot s = var_.get();
    if (is_terminal(s.code)) return;
    s.code = code;
    s.error = std::move(error);
    publish(std::move(s));
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

  tvar<future_snapshot>& var() noexcept { return var_; }

private:
  // Inside a transaction: writes s and, if callbacks were registered,
  // runs them after the commit on this thread.
  void publish(future_snapshot s) {
    bool cbs = s.has_callbacks && is_terminal(s.code);
    var_.set(std::move(s));
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
        future_snapshot s = var_.get();
        if (is_terminal(s.code)) return true;
        if (!s.has_callbacks) {
          s.has_callbacks = true;
          var_.set(std::move(s));
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

  tvar<future_snapshot> var_;
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
