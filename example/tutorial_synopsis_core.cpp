// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Reference synopses of the core (tvar.hpp, atomically.hpp, invariant.hpp,
// errors.hpp, stats.hpp) and of the watchers (watch.hpp), checked against
// the library (see tutorial_synopsis_check.hpp). The program itself does
// nothing: it compiles, or the documentation is out of date.
//
//   tutorial_synopsis_core [--quick]
#include <boost/stm.hpp>

#include "tutorial_synopsis_check.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace stm = boost::stm;

namespace syn_tvar {
using namespace boost::stm;
//[ref_tvar
template <class T>
class tvar {
public:
  using value_type = T;

  tvar();
  explicit tvar(const T& v);
  explicit tvar(T&& v);
  template <class... A>
  explicit tvar(A&&... a);  // two or more arguments that construct a T
  tvar(const tvar&) = delete;
  tvar& operator=(const tvar&) = delete;

  T get() const;
  void set(const T& v);
  void set(T&& v);
  template <class F>
  T modify(F&& f);
  T swap(T v);
};
//]
}  // namespace syn_tvar

namespace syn_atomically {
using namespace boost::stm;
//[ref_atomically
template <class F>
auto atomically(F&& f) -> std::invoke_result_t<F&>;

[[noreturn]] void retry();

template <class F, class G, class... H>
auto or_else(F&& first, G&& second, H&&... rest)
    -> std::common_type_t<std::invoke_result_t<F&>, std::invoke_result_t<G&>,
                          std::invoke_result_t<H&>...>;

void check(bool b);

bool in_transaction() noexcept;

bool elapsed(std::chrono::steady_clock::time_point tp);
template <class Rep, class Period>
bool elapsed(std::chrono::duration<Rep, Period> d);

template <class F>
void after_commit(F&& f);

void enable_fiber_support() noexcept;
//]

//[ref_invariant
template <class F>
void invariant(F&& f);
//]
}  // namespace syn_atomically

namespace syn_errors {
//[ref_errors
class usage_error : public std::logic_error { public: using std::logic_error::logic_error; };
class watch_cascade_error : public std::logic_error { public: using std::logic_error::logic_error; };
class invariant_error : public std::logic_error { public: using std::logic_error::logic_error; };
class invalid_state_error : public std::logic_error { public: using std::logic_error::logic_error; };
class cancelled_error : public std::runtime_error { public: using std::runtime_error::runtime_error; };
class timeout_error : public std::runtime_error { public: using std::runtime_error::runtime_error; };
class shutdown_error : public std::runtime_error { public: using std::runtime_error::runtime_error; };
class broken_executor : public std::runtime_error { public: using std::runtime_error::runtime_error; };
//]
}  // namespace syn_errors

namespace syn_stats {
//[ref_stats
struct stats {
  std::uint64_t transactions = 0;     // top-level atomically() calls
  std::uint64_t attempts = 0;         // runs of a transaction body
  std::uint64_t commits = 0;
  std::uint64_t restarts = 0;         // attempts abandoned for a conflict, by cause:
  std::uint64_t restarts_read = 0;    //   a read found no consistent value
  std::uint64_t restarts_commit = 0;  //   validation failed at commit
  std::uint64_t restarts_watch = 0;   //   watchers on a written tvar changed
  std::uint64_t retries = 0;          // attempts that blocked in retry()
  std::uint64_t wakeups = 0;          // blocked attempts woken by a commit
  std::uint64_t futile_wakeups = 0;   // woken, then retried again with no commit in between
  std::uint64_t timeouts = 0;         // blocked attempts woken by their deadline
  std::uint64_t aborts = 0;           // attempts ended by an exception
  std::uint64_t serial_runs = 0;      // escalations to serial mode
  std::uint64_t watcher_runs = 0;     // watcher functions run at commit
  std::uint64_t blocked_forever = 0;  // retries refused: every tvar read was destroyed
  std::uint64_t stalls = 0;           // blocked attempts still asleep after BOOST_STM_STALL_MS
  std::uint64_t sleeps = 0;           // blocked attempts that slept (not woken while spinning)
};
//]
}  // namespace syn_stats

namespace syn_stats_functions {
using namespace boost::stm;
//[ref_stats_functions
stats statistics();
std::ostream& operator<<(std::ostream& os, const stats& s);
//]
}  // namespace syn_stats_functions

namespace syn_executor_stats {
using namespace boost::stm;
//[ref_executor_stats
struct executor_stats {
  std::uint64_t submitted = 0;     // tasks submitted (a map() counts each call)
  std::uint64_t finished = 0;      // ran and returned
  std::uint64_t failed = 0;        // ran and threw, or ended by broken_executor
  std::uint64_t cancelled = 0;     // cancelled before they ran
  std::uint64_t workers_live = 0;  // worker threads of pools and fiber executors alive now
  std::uint64_t workers_peak = 0;  // the most that were alive at once
};
//]
}  // namespace syn_executor_stats

namespace syn_executor_stats_functions {
using namespace boost::stm;
//[ref_executor_stats_functions
executor_stats executor_statistics();
std::ostream& operator<<(std::ostream& os, const executor_stats& s);
//]
}  // namespace syn_executor_stats_functions

namespace syn_conflict_site {
using namespace boost::stm;
//[ref_conflict_site
struct conflict_site {
  const void* tvar = nullptr;         // its address (it may have been destroyed since)
  std::string name;                   // "<name>" or "<name>+<offset>" if named, else empty
  std::uint64_t restarts_read = 0;    // it had changed when a read needed a newer snapshot
  std::uint64_t restarts_commit = 0;  // it had changed when the commit validated
  std::uint64_t restarts_watch = 0;   // a watcher appeared on it while a commit wrote it
  std::uint64_t restarts() const noexcept;
};

void record_conflict_sites(bool on) noexcept;
bool recording_conflict_sites() noexcept;
std::vector<conflict_site> conflict_sites(std::size_t top = 20);
void clear_conflict_sites() noexcept;
void name_conflict_sites(const void* object, std::size_t size, std::string name);
void forget_conflict_site_names(const void* object, std::size_t size) noexcept;
std::ostream& operator<<(std::ostream& os, const conflict_site& s);
//]
}  // namespace syn_conflict_site

namespace syn_watch_handle {
//[ref_watch_handle
class [[nodiscard]] watch_handle {
public:
  watch_handle() noexcept;
  watch_handle(watch_handle&& o) noexcept;
  watch_handle& operator=(watch_handle&& o) noexcept;
  ~watch_handle();

  void cancel();
  bool active() const;
  void detach() noexcept;
};
//]
}  // namespace syn_watch_handle

namespace syn_watch {
using namespace boost::stm;
//[ref_watch
template <class C, class Eq = std::equal_to<>>
/*<-*/ detail::changes_only_t<std::decay_t<C>, std::decay_t<Eq>> /*->*//* unspecified */
changes_only(C&& cb, Eq&& eq = Eq{});

template <class F, class C>
watch_handle watch(F&& f, C&& cb);

template <class F, class C>
watch_handle atomically_watch(F&& f, C&& cb);

template <class F>
bool would_block(F&& f);

template <class P, class Rep, class Period>
bool wait_until(P&& pred, std::chrono::duration<Rep, Period> timeout);

template <class F>
auto previously(F&& f) -> std::invoke_result_t<F&>;
//]
}  // namespace syn_watch

// ---- checks ------------------------------------------------------------------

namespace {

inline auto body = [] { return 1; };
inline auto alternative = [] { return 2L; };
inline auto action = [] {};
inline auto predicate = [] { return true; };
inline auto callback = [](int) {};
using B = decltype(body);
using A = decltype(alternative);
using V = decltype(action);
using P = decltype(predicate);
using C = decltype(callback);
using ms = std::chrono::milliseconds;

using syn_t = syn_tvar::tvar<int>;
using real_t = stm::tvar<int>;
static_assert(std::is_same<syn_t::value_type, real_t::value_type>::value, "");
static_assert(std::is_default_constructible<real_t>::value, "");
static_assert(std::is_constructible<real_t, const int&>::value &&
                  !std::is_convertible<const int&, real_t>::value, "explicit tvar(const T&)");
static_assert(std::is_constructible<stm::tvar<std::pair<int, int>>, int, int>::value,
              "tvar(A&&...)");
static_assert(!std::is_copy_constructible<real_t>::value && !std::is_copy_assignable<real_t>::value,
              "tvar is not copyable");
BOOST_STM_SYNOPSIS_SAME(&syn_t::get, &real_t::get);
BOOST_STM_SYNOPSIS_MEMBER(void(const int&), syn_t, real_t, set);
BOOST_STM_SYNOPSIS_MEMBER(void(int&&), syn_t, real_t, set);
BOOST_STM_SYNOPSIS_SAME(&syn_t::modify<C>, &real_t::modify<C>);
BOOST_STM_SYNOPSIS_SAME(&syn_t::swap, &real_t::swap);

BOOST_STM_SYNOPSIS_SAME(&syn_atomically::atomically<B&>, &stm::atomically<B&>);
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::atomically<B>, &stm::atomically<B>);
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::retry, &stm::retry);
BOOST_STM_SYNOPSIS_SAME((&syn_atomically::or_else<B&, A&>), (&stm::or_else<B&, A&>));
BOOST_STM_SYNOPSIS_SAME((&syn_atomically::or_else<B&, A&, B&>), (&stm::or_else<B&, A&, B&>));
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::check, &stm::check);
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::in_transaction, &stm::in_transaction);
BOOST_STM_SYNOPSIS_SAME(static_cast<bool (*)(std::chrono::steady_clock::time_point)>(&syn_atomically::elapsed),
                        static_cast<bool (*)(std::chrono::steady_clock::time_point)>(&stm::elapsed));
BOOST_STM_SYNOPSIS_SAME((&syn_atomically::elapsed<ms::rep, ms::period>),
                        (&stm::elapsed<ms::rep, ms::period>));
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::after_commit<V&>, &stm::after_commit<V&>);
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::enable_fiber_support, &stm::enable_fiber_support);
BOOST_STM_SYNOPSIS_SAME(&syn_atomically::invariant<P&>, &stm::invariant<P&>);

static_assert(std::is_base_of<std::logic_error, stm::usage_error>::value &&
                  std::is_base_of<std::logic_error, stm::watch_cascade_error>::value &&
                  std::is_base_of<std::logic_error, stm::invariant_error>::value &&
                  std::is_base_of<std::logic_error, stm::invalid_state_error>::value &&
                  std::is_base_of<std::runtime_error, stm::cancelled_error>::value &&
                  std::is_base_of<std::runtime_error, stm::timeout_error>::value &&
                  std::is_base_of<std::runtime_error, stm::shutdown_error>::value &&
                  std::is_base_of<std::runtime_error, stm::broken_executor>::value,
              "the error types derive as the synopsis says");
static_assert(std::is_constructible<stm::usage_error, const char*>::value &&
                  std::is_constructible<stm::broken_executor, const std::string&>::value,
              "the error types have the standard constructors");

BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::transactions, &stm::stats::transactions);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::attempts, &stm::stats::attempts);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::commits, &stm::stats::commits);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::restarts, &stm::stats::restarts);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::restarts_read, &stm::stats::restarts_read);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::restarts_commit, &stm::stats::restarts_commit);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::restarts_watch, &stm::stats::restarts_watch);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::retries, &stm::stats::retries);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::wakeups, &stm::stats::wakeups);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::futile_wakeups, &stm::stats::futile_wakeups);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::timeouts, &stm::stats::timeouts);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::aborts, &stm::stats::aborts);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::serial_runs, &stm::stats::serial_runs);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::watcher_runs, &stm::stats::watcher_runs);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::blocked_forever, &stm::stats::blocked_forever);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::stalls, &stm::stats::stalls);
BOOST_STM_SYNOPSIS_SAME(&syn_stats::stats::sleeps, &stm::stats::sleeps);
static_assert(sizeof(syn_stats::stats) == sizeof(stm::stats), "stats has exactly these counters");
BOOST_STM_SYNOPSIS_SAME(&syn_stats_functions::statistics, &stm::statistics);
BOOST_STM_SYNOPSIS_SAME(static_cast<std::ostream& (*)(std::ostream&, const stm::stats&)>(
                            &syn_stats_functions::operator<<),
                        static_cast<std::ostream& (*)(std::ostream&, const stm::stats&)>(
                            &stm::operator<<));
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats::executor_stats::submitted, &stm::executor_stats::submitted);
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats::executor_stats::finished, &stm::executor_stats::finished);
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats::executor_stats::failed, &stm::executor_stats::failed);
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats::executor_stats::cancelled, &stm::executor_stats::cancelled);
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats::executor_stats::workers_live, &stm::executor_stats::workers_live);
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats::executor_stats::workers_peak, &stm::executor_stats::workers_peak);
static_assert(sizeof(syn_executor_stats::executor_stats) == sizeof(stm::executor_stats),
              "executor_stats has exactly these counters");
BOOST_STM_SYNOPSIS_SAME(&syn_executor_stats_functions::executor_statistics, &stm::executor_statistics);

using syn_h = syn_watch_handle::watch_handle;
using real_h = stm::watch_handle;
static_assert(std::is_nothrow_default_constructible<real_h>::value &&
                  std::is_nothrow_move_constructible<real_h>::value &&
                  std::is_nothrow_move_assignable<real_h>::value &&
                  !std::is_copy_constructible<real_h>::value,
              "watch_handle is a move-only handle");
BOOST_STM_SYNOPSIS_SAME(&syn_h::cancel, &real_h::cancel);
BOOST_STM_SYNOPSIS_SAME(&syn_h::active, &real_h::active);
BOOST_STM_SYNOPSIS_SAME(&syn_h::detach, &real_h::detach);

BOOST_STM_SYNOPSIS_SAME((&syn_watch::changes_only<C&, std::equal_to<>>),
                        (&stm::changes_only<C&, std::equal_to<>>));
BOOST_STM_SYNOPSIS_SAME((&syn_watch::watch<B&, C&>), (&stm::watch<B&, C&>));
BOOST_STM_SYNOPSIS_SAME((&syn_watch::atomically_watch<B&, C&>), (&stm::atomically_watch<B&, C&>));
BOOST_STM_SYNOPSIS_SAME(&syn_watch::would_block<V&>, &stm::would_block<V&>);
BOOST_STM_SYNOPSIS_SAME((&syn_watch::wait_until<P&, ms::rep, ms::period>),
                        (&stm::wait_until<P&, ms::rep, ms::period>));
BOOST_STM_SYNOPSIS_SAME(&syn_watch::previously<B&>, &stm::previously<B&>);

}  // namespace

int main() { return 0; }
