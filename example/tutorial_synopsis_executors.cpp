// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Reference synopses of the executors and futures (future.hpp, executor.hpp,
// map_result.hpp, thread_pool_executor.hpp, fiber_executor.hpp, wait.hpp),
// checked against the
// library (see tutorial_synopsis_check.hpp). The program itself does
// nothing: it compiles, or the documentation is out of date.
//
//   tutorial_synopsis_executors [--quick]
#include <boost/stm/executor.hpp>
#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/map_result.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/wait.hpp>

#include "tutorial_synopsis_check.hpp"

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace stm = boost::stm;

namespace syn_future {
using namespace boost::stm;
//[ref_future
template <class R>
class future {
public:
  future() noexcept;
  future(future&&) noexcept;
  future& operator=(future&&) noexcept;
  future(const future&) = delete;
  future& operator=(const future&) = delete;

  [[nodiscard]] R get();
  [[nodiscard]] shared_future<R> share() noexcept;
  operator std::future<R>() &&;
  operator std::shared_future<R>() &&;

  bool valid() const noexcept;
  void wait() const;
  template <class Rep, class Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period>& d) const;
  template <class Clock, class Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration>& tp) const;

  bool cancel();
  bool cancelled() const;
  bool running() const;
  bool done() const;
  std::exception_ptr exception() const;

  template <class F>
  void add_done_callback(F&& f);  // f(future<R>&)
};
//]
}  // namespace syn_future

namespace syn_future_then {
using namespace boost::stm;
//[ref_future_then
template <class R>
class future {
public:
  // ... the members above, and:
  template <class F>  // f(future<R>) -> T
  /*<-*/ boost::stm:: /*->*/future</*<-*/ typename detail::then_traits<F, R>::result /*->*//* T */> then(F&& f);
};
//]
}  // namespace syn_future_then

namespace syn_shared_future {
using namespace boost::stm;
//[ref_shared_future
template <class R>
class shared_future {
public:
  shared_future() noexcept;
  shared_future(future<R>&& f) noexcept;
  shared_future(const shared_future&) noexcept;
  shared_future(shared_future&&) noexcept;
  shared_future& operator=(const shared_future&) noexcept;
  shared_future& operator=(shared_future&&) noexcept;

  [[nodiscard]] /*<-*/ detail::shared_get_t<R> /*->*//* const R& (R& if R is a reference; void for void) */
  get() const;

  // and, as in future<R>: valid, wait, wait_for, wait_until, cancel,
  // cancelled, running, done, exception, and
  template <class F>
  void add_done_callback(F&& f);  // f(shared_future<R>&)
};
//]
}  // namespace syn_shared_future

namespace syn_executor {
using namespace boost::stm;
//[ref_executor
// The type of the future of submit(f, a...): what f, decay-copied, returns
// when called with rvalues of decay-copies of a..., without const/volatile
// unless it is a reference.
template <class F, class... A>
using submit_result_t = /*<-*/ detail::submit_result_t<F, A...> /*->*//* see above */;

// The result type of map(f, ranges...): the same, for f called with an
// element of each range, as const if it can be (else as non-const: a
// mutable lambda, copied into each call).
template <class F, class... Ranges>
using map_result_t = /*<-*/ detail::map_result_t<F, Ranges...> /*->*//* see above */;

class executor {
public:
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;

  template <class F, class... A>
  [[nodiscard]] future<submit_result_t<F, A...>> submit(F&& f, A&&... a);

  template <class F, class Range, class... Ranges>  // F not a std::chrono::duration
  [[nodiscard]] map_result<map_result_t<F, Range, Ranges...>> map(F&& f, Range&& r,
                                                                  Ranges&&... rs);
  template <class Rep, class Period, class F, class Range, class... Ranges>
  [[nodiscard]] map_result<map_result_t<F, Range, Ranges...>> map(
      std::chrono::duration<Rep, Period> timeout, F&& f, Range&& r, Ranges&&... rs);

  template <class F, class... A>
  void post(F&& f, A&&... a);
  template <class F>
  void execute(F&& f);
  void set_error_handler(std::function<void(std::exception_ptr)> handler);

  void shutdown(bool wait = true, bool cancel_futures = false);

  bool is_shutdown() const;
  bool is_broken() const;

protected:  // for backends
  executor();
  ~executor();
  virtual void post(task t) = 0;
  virtual std::vector<task> take_queued() = 0;
  virtual void join() = 0;
  void break_executor(std::exception_ptr reason);
};
//]
}  // namespace syn_executor

namespace syn_map_result {
using namespace boost::stm;
//[ref_map_result
template <class R>
class map_result {  // a single-pass range
public:
  using value_type = std::conditional_t<std::is_void<R>::value, std::monostate, R>;
  class iterator;  // an input iterator; *it is the result (R if R is a reference)

  map_result(std::vector<future<R>> fs,
             std::optional<std::chrono::steady_clock::time_point> deadline);
  map_result(map_result&&) noexcept;
  map_result(const map_result&) = delete;
  ~map_result();

  iterator begin();
  iterator end();
  std::size_t size() const noexcept;
  void cancel_rest() noexcept;
};
//]
}  // namespace syn_map_result

namespace syn_thread_pool_executor {
using namespace boost::stm;
//[ref_thread_pool_executor
class thread_pool_executor final : public executor {
public:
  using duration = std::chrono::steady_clock::duration;

  struct options : worker_options {  // thread_name_prefix empty: stm_ex<n>
    options();  // keep_alive ten seconds
    std::size_t max_workers = default_max_workers();
  };

  static std::size_t default_max_workers() noexcept;

  explicit thread_pool_executor(std::size_t max_workers = default_max_workers());
  explicit thread_pool_executor(options o);
  ~thread_pool_executor();

  std::size_t max_workers() const noexcept;
  const thread_pool& pool() const noexcept;
};
//]
}  // namespace syn_thread_pool_executor

namespace syn_fiber_executor {
using namespace boost::stm;
//[ref_fiber_executor
class fiber_executor final : public executor {
public:
  struct options : thread_options {  // thread_name_prefix empty: stm_fiber<n>
    std::size_t threads = 2;
    std::size_t stack_size = 64 * 1024;  // bytes, per task fiber
  };

  explicit fiber_executor(std::size_t threads = 2);
  explicit fiber_executor(options o);
  ~fiber_executor();

  std::size_t threads() const noexcept;
  std::size_t tasks_running() const;
};
//]
}  // namespace syn_fiber_executor

namespace syn_return_when {
//[ref_return_when
enum class return_when { first_completed, first_exception, all_completed };
//]
}  // namespace syn_return_when

namespace syn_future_refs {
//[ref_future_refs
template <class F>
class future_refs {
public:
  class iterator;  // a forward iterator; *it is an F&
  iterator begin() const;
  iterator end() const;
  std::size_t size() const noexcept;
  bool empty() const noexcept;
  F& operator[](std::size_t i) const;
  bool contains(const F& f) const noexcept;
  std::vector<F*>& pointers() noexcept;
};
//]
}  // namespace syn_future_refs

namespace syn_wait_result {
using namespace boost::stm;
//[ref_wait_result
template <class F>
struct wait_result {
  future_refs<F> done;
  future_refs<F> not_done;
};
//]
}  // namespace syn_wait_result

namespace syn_as_completed_range {
//[ref_as_completed_range
template <class F>
class as_completed_range {  // a single-pass range
public:
  class iterator;  // an input iterator; *it is an F&
  as_completed_range(std::vector<F*> fs,
                     std::optional<std::chrono::steady_clock::time_point> deadline);
  iterator begin();
  iterator end();
};
//]
}  // namespace syn_as_completed_range

namespace syn_wait {
using namespace boost::stm;
//[ref_wait
// The future type in a container of futures.
template <class Futures>
using future_element_t = /*<-*/ detail::future_element_t<Futures> /*->*//* std::remove_reference_t<decltype(*begin(fs))> */;

template <class Futures>
wait_result<future_element_t<Futures>> wait(
    Futures& fs, return_when w = return_when::all_completed);
template <class Futures, class Rep, class Period>
wait_result<future_element_t<Futures>> wait(
    Futures& fs, std::chrono::duration<Rep, Period> timeout,
    return_when w = return_when::all_completed);

template <class Futures>
as_completed_range<future_element_t<Futures>> as_completed(Futures& fs);
template <class Futures, class Rep, class Period>
as_completed_range<future_element_t<Futures>> as_completed(
    Futures& fs, std::chrono::duration<Rep, Period> timeout);
//]
}  // namespace syn_wait

// ---- checks ------------------------------------------------------------------

namespace {

using ms = std::chrono::milliseconds;
using steady = std::chrono::steady_clock;
inline auto on_done = [](stm::future<int>&) {};
inline auto on_shared_done = [](stm::shared_future<int>&) {};
inline auto add = [](int a, int b) { return a + b; };
using D = decltype(on_done);
using SD = decltype(on_shared_done);
using Add = decltype(add);
using vec = std::vector<int>;
using futures = std::vector<stm::future<int>>;

using syn_f = syn_future::future<int>;
using real_f = stm::future<int>;
static_assert(std::is_nothrow_default_constructible<real_f>::value &&
                  std::is_nothrow_move_constructible<real_f>::value &&
                  std::is_nothrow_move_assignable<real_f>::value &&
                  !std::is_copy_constructible<real_f>::value,
              "future is move-only");
BOOST_STM_SYNOPSIS_SAME(&syn_f::get, &real_f::get);
BOOST_STM_SYNOPSIS_SAME(&syn_f::share, &real_f::share);
BOOST_STM_SYNOPSIS_SAME(&syn_f::operator std::future<int>, &real_f::operator std::future<int>);
BOOST_STM_SYNOPSIS_SAME(&syn_f::operator std::shared_future<int>,
                        &real_f::operator std::shared_future<int>);
BOOST_STM_SYNOPSIS_SAME(&syn_f::valid, &real_f::valid);
BOOST_STM_SYNOPSIS_SAME(&syn_f::wait, &real_f::wait);
BOOST_STM_SYNOPSIS_SAME((&syn_f::wait_for<ms::rep, ms::period>), (&real_f::wait_for<ms::rep, ms::period>));
BOOST_STM_SYNOPSIS_SAME((&syn_f::wait_until<steady, steady::duration>),
                        (&real_f::wait_until<steady, steady::duration>));
BOOST_STM_SYNOPSIS_SAME(&syn_f::cancel, &real_f::cancel);
BOOST_STM_SYNOPSIS_SAME(&syn_f::cancelled, &real_f::cancelled);
BOOST_STM_SYNOPSIS_SAME(&syn_f::running, &real_f::running);
BOOST_STM_SYNOPSIS_SAME(&syn_f::done, &real_f::done);
BOOST_STM_SYNOPSIS_SAME(&syn_f::exception, &real_f::exception);
BOOST_STM_SYNOPSIS_SAME(&syn_f::add_done_callback<D&>, &real_f::add_done_callback<D&>);

using syn_sf = syn_shared_future::shared_future<int>;
using real_sf = stm::shared_future<int>;
static_assert(std::is_nothrow_default_constructible<real_sf>::value &&
                  std::is_nothrow_copy_constructible<real_sf>::value &&
                  std::is_nothrow_move_constructible<real_sf>::value &&
                  std::is_nothrow_copy_assignable<real_sf>::value &&
                  std::is_nothrow_move_assignable<real_sf>::value &&
                  std::is_nothrow_constructible<real_sf, real_f&&>::value &&
                  std::is_convertible<real_f&&, real_sf>::value,
              "shared_future's constructors");
BOOST_STM_SYNOPSIS_SAME(&syn_sf::get, &real_sf::get);
BOOST_STM_SYNOPSIS_SAME(&syn_sf::add_done_callback<SD&>, &real_sf::add_done_callback<SD&>);
static_assert(std::is_same<decltype(std::declval<stm::shared_future<int&>&>().get()), int&>::value &&
                  std::is_same<decltype(std::declval<stm::shared_future<void>&>().get()), void>::value,
              "shared_future::get for references and void");

using syn_e = syn_executor::executor;
using real_e = stm::executor;
static_assert(std::is_same<syn_executor::submit_result_t<Add, int, int>, int>::value, "");
BOOST_STM_SYNOPSIS_SAME((&syn_e::submit<Add&, int, int>), (&real_e::submit<Add&, int, int>));
BOOST_STM_SYNOPSIS_SAME((&syn_e::submit<Add, int&, const int&>), (&real_e::submit<Add, int&, const int&>));
BOOST_STM_SYNOPSIS_SAME((&syn_e::map<Add&, vec&, vec&>), (&real_e::map<Add&, vec&, vec&>));
BOOST_STM_SYNOPSIS_SAME((&syn_e::map<Add, vec, vec>), (&real_e::map<Add, vec, vec>));
BOOST_STM_SYNOPSIS_SAME((&syn_e::map<ms::rep, ms::period, Add&, vec&, vec&>),
                        (&real_e::map<ms::rep, ms::period, Add&, vec&, vec&>));
BOOST_STM_SYNOPSIS_SAME((&syn_e::post<Add&, int, int>), (&real_e::post<Add&, int, int>));
BOOST_STM_SYNOPSIS_SAME(&syn_e::execute<Add&>, &real_e::execute<Add&>);
BOOST_STM_SYNOPSIS_SAME(&syn_e::set_error_handler, &real_e::set_error_handler);
BOOST_STM_SYNOPSIS_SAME(&syn_e::shutdown, &real_e::shutdown);
BOOST_STM_SYNOPSIS_SAME(&syn_e::is_shutdown, &real_e::is_shutdown);
BOOST_STM_SYNOPSIS_SAME(&syn_e::is_broken, &real_e::is_broken);
static_assert(!std::is_copy_constructible<real_e>::value && std::is_abstract<real_e>::value &&
                  !std::is_constructible<real_e>::value,
              "executor is an abstract base for backends");

using syn_mr = syn_map_result::map_result<int>;
using real_mr = stm::map_result<int>;
static_assert(std::is_same<syn_mr::value_type, real_mr::value_type>::value &&
                  std::is_same<stm::map_result<void>::value_type, std::monostate>::value, "");
static_assert(std::is_nothrow_move_constructible<real_mr>::value &&
                  !std::is_copy_constructible<real_mr>::value &&
                  std::is_constructible<real_mr, std::vector<real_f>,
                                        std::optional<steady::time_point>>::value,
              "map_result's constructors");
BOOST_STM_SYNOPSIS_SAME(&syn_mr::size, &real_mr::size);
BOOST_STM_SYNOPSIS_SAME(&syn_mr::cancel_rest, &real_mr::cancel_rest);
static_assert(std::is_same<decltype(*std::declval<real_mr&>().begin()), int&>::value,
              "map_result yields the results");

using syn_x = syn_thread_pool_executor::thread_pool_executor;
using real_x = stm::thread_pool_executor;
static_assert(std::is_base_of<stm::executor, real_x>::value &&
                  std::is_same<syn_x::duration, real_x::duration>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_x::options::max_workers, &real_x::options::max_workers);
BOOST_STM_SYNOPSIS_SAME(&syn_x::options::thread_name_prefix, &real_x::options::thread_name_prefix);
BOOST_STM_SYNOPSIS_SAME(&syn_x::options::initializer, &real_x::options::initializer);
BOOST_STM_SYNOPSIS_SAME(&syn_x::options::keep_alive, &real_x::options::keep_alive);
BOOST_STM_SYNOPSIS_SAME(&syn_x::options::stack_size, &real_x::options::stack_size);
static_assert(sizeof(syn_x::options) == sizeof(real_x::options) &&
                  std::is_base_of<stm::worker_options, real_x::options>::value,
              "options is worker_options and exactly these members");
BOOST_STM_SYNOPSIS_SAME(&syn_x::default_max_workers, &real_x::default_max_workers);
static_assert(std::is_default_constructible<real_x>::value &&
                  std::is_constructible<real_x, std::size_t>::value &&
                  !std::is_convertible<std::size_t, real_x>::value &&
                  std::is_constructible<real_x, real_x::options>::value &&
                  !std::is_convertible<real_x::options, real_x>::value,
              "thread_pool_executor's constructors");
BOOST_STM_SYNOPSIS_SAME(&syn_x::max_workers, &real_x::max_workers);
BOOST_STM_SYNOPSIS_SAME(&syn_x::pool, &real_x::pool);

using syn_fx = syn_fiber_executor::fiber_executor;
using real_fx = stm::fiber_executor;
static_assert(std::is_base_of<stm::executor, real_fx>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_fx::options::threads, &real_fx::options::threads);
BOOST_STM_SYNOPSIS_SAME(&syn_fx::options::stack_size, &real_fx::options::stack_size);
BOOST_STM_SYNOPSIS_SAME(&syn_fx::options::thread_name_prefix, &real_fx::options::thread_name_prefix);
BOOST_STM_SYNOPSIS_SAME(&syn_fx::options::initializer, &real_fx::options::initializer);
static_assert(sizeof(syn_fx::options) == sizeof(real_fx::options) &&
                  std::is_base_of<stm::thread_options, real_fx::options>::value,
              "options is thread_options and exactly these members");
static_assert(std::is_default_constructible<real_fx>::value &&
                  std::is_constructible<real_fx, std::size_t>::value &&
                  !std::is_convertible<std::size_t, real_fx>::value &&
                  std::is_constructible<real_fx, real_fx::options>::value &&
                  !std::is_convertible<real_fx::options, real_fx>::value,
              "fiber_executor's constructors");
BOOST_STM_SYNOPSIS_SAME(&syn_fx::threads, &real_fx::threads);
BOOST_STM_SYNOPSIS_SAME(&syn_fx::tasks_running, &real_fx::tasks_running);

static_assert(static_cast<int>(stm::return_when::first_completed) ==
                      static_cast<int>(syn_return_when::return_when::first_completed) &&
                  static_cast<int>(stm::return_when::first_exception) ==
                      static_cast<int>(syn_return_when::return_when::first_exception) &&
                  static_cast<int>(stm::return_when::all_completed) ==
                      static_cast<int>(syn_return_when::return_when::all_completed),
              "return_when has these enumerators");

using syn_fr = syn_future_refs::future_refs<real_f>;
using real_fr = stm::future_refs<real_f>;
BOOST_STM_SYNOPSIS_SAME(&syn_fr::size, &real_fr::size);
BOOST_STM_SYNOPSIS_SAME(&syn_fr::empty, &real_fr::empty);
BOOST_STM_SYNOPSIS_SAME(&syn_fr::operator[], &real_fr::operator[]);
BOOST_STM_SYNOPSIS_SAME(&syn_fr::contains, &real_fr::contains);
BOOST_STM_SYNOPSIS_SAME(&syn_fr::pointers, &real_fr::pointers);
static_assert(std::is_same<decltype(*std::declval<const real_fr&>().begin()), real_f&>::value, "");

BOOST_STM_SYNOPSIS_SAME(&syn_wait_result::wait_result<real_f>::done, &stm::wait_result<real_f>::done);
BOOST_STM_SYNOPSIS_SAME(&syn_wait_result::wait_result<real_f>::not_done,
                        &stm::wait_result<real_f>::not_done);

using real_acr = stm::as_completed_range<real_f>;
static_assert(std::is_constructible<real_acr, std::vector<real_f*>,
                                    std::optional<steady::time_point>>::value &&
                  std::is_same<decltype(*std::declval<real_acr&>().begin()), real_f&>::value,
              "as_completed_range");

BOOST_STM_SYNOPSIS_SAME(&syn_wait::wait<futures>, &stm::wait<futures>);
BOOST_STM_SYNOPSIS_SAME((&syn_wait::wait<futures, ms::rep, ms::period>),
                        (&stm::wait<futures, ms::rep, ms::period>));
BOOST_STM_SYNOPSIS_SAME(&syn_wait::as_completed<futures>, &stm::as_completed<futures>);
BOOST_STM_SYNOPSIS_SAME((&syn_wait::as_completed<futures, ms::rep, ms::period>),
                        (&stm::as_completed<futures, ms::rep, ms::period>));

inline auto continuation = [](stm::future<int> done) { return done.get() * 0.5; };
using Cont = decltype(continuation);
BOOST_STM_SYNOPSIS_SAME(&syn_future_then::future<int>::then<Cont&>, &real_f::then<Cont&>);
static_assert(std::is_same<decltype(std::declval<real_f&>().then(continuation)),
                           stm::future<double>>::value,
              "then() returns a future of the continuation's result");

}  // namespace

int main() { return 0; }
