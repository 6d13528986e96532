// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Reference synopses of the threads (task.hpp, thread.hpp, thread_options.hpp,
// thread_pool.hpp),
// checked against the library (see tutorial_synopsis_check.hpp). The program
// itself does nothing: it compiles, or the documentation is out of date.
//
//   tutorial_synopsis_threads [--quick]
#include <boost/stm/task.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_options.hpp>
#include <boost/stm/thread_pool.hpp>

#include "tutorial_synopsis_check.hpp"

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace stm = boost::stm;

namespace syn_task {
using namespace boost::stm;
//[ref_task
class task {
public:
  task() noexcept;
  template <class F>
  task(F&& f);  // implicit, from any callable taking no arguments
  explicit task(std::shared_ptr<detail::task_base> p) noexcept;  // for executor backends

  explicit operator bool() const noexcept;
  void operator()() const;
  void complete(std::exception_ptr failure) const;

  friend bool operator==(const task& a, const task& b) noexcept;
  friend bool operator!=(const task& a, const task& b) noexcept;
};
//]
}  // namespace syn_task

namespace syn_thread_state {
//[ref_thread_state
enum class thread_state { created, started, running, finished };
//]
}  // namespace syn_thread_state

namespace syn_thread {
using namespace boost::stm;
//[ref_thread
std::ostream& operator<<(std::ostream& os, thread_state s);

class thread {
public:
  explicit thread(std::function<void()> f, std::string name = {});
  ~thread();
  thread(const thread&) = delete;
  thread& operator=(const thread&) = delete;

  void start();
  thread_state state() const;
  void join();
  bool join(std::chrono::steady_clock::duration timeout);
};
//]
}  // namespace syn_thread

namespace syn_thread_options {
//[ref_thread_options
struct thread_options {
  std::string thread_name_prefix;  // empty: a prefix of the owner's own
  std::function<void()> initializer;
};

struct worker_options : thread_options {
  using duration = std::chrono::steady_clock::duration;

  explicit worker_options(duration keep_alive);

  duration keep_alive;
  std::size_t stack_size = 0;
};
//]
}  // namespace syn_thread_options

namespace syn_thread_pool {
using namespace boost::stm;
//[ref_thread_pool
class thread_pool {
public:
  using duration = std::chrono::steady_clock::duration;

  struct options : worker_options {  // thread_name_prefix empty: stm_pool<n>
    options();  // keep_alive one second
    std::size_t max_threads = default_max_threads();
    std::function<void(std::exception_ptr)> on_worker_failure;
  };

  static std::size_t default_max_threads() noexcept;

  explicit thread_pool(std::size_t max_threads = default_max_threads(),
                       duration keep_alive = std::chrono::seconds(1));
  thread_pool(tlist<task>& tasks, std::size_t max_threads,
              duration keep_alive = std::chrono::seconds(1));
  explicit thread_pool(options o);
  thread_pool(tlist<task>& tasks, options o);
  ~thread_pool();
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  void schedule(task t);
  void schedule(const std::vector<task>& ts);
  void join();
  bool join(duration timeout);

  std::size_t tasks_scheduled() const;
  std::size_t tasks_finished() const;
  std::size_t tasks_failed() const;
  std::size_t tasks_remaining() const;
  std::size_t live_threads() const;
  std::size_t free_threads() const;
  std::size_t max_threads() const noexcept;

  tlist<task>& tasks() noexcept;
};
//]
}  // namespace syn_thread_pool

// ---- checks ------------------------------------------------------------------

namespace {

using syn_k = syn_task::task;
using real_k = stm::task;
inline auto work = [] {};
using W = decltype(work);
static_assert(std::is_nothrow_default_constructible<real_k>::value &&
                  std::is_convertible<W, real_k>::value &&
                  std::is_nothrow_constructible<real_k, std::shared_ptr<stm::detail::task_base>>::value &&
                  !std::is_convertible<std::shared_ptr<stm::detail::task_base>, real_k>::value &&
                  std::is_copy_constructible<real_k>::value,
              "task's constructors");
BOOST_STM_SYNOPSIS_SAME(&syn_k::operator bool, &real_k::operator bool);
BOOST_STM_SYNOPSIS_SAME(&syn_k::operator(), &real_k::operator());
BOOST_STM_SYNOPSIS_SAME(&syn_k::complete, &real_k::complete);
static_assert(noexcept(std::declval<const real_k&>() == std::declval<const real_k&>()) &&
                  noexcept(std::declval<const real_k&>() != std::declval<const real_k&>()),
              "task compares by identity");

static_assert(static_cast<int>(stm::thread_state::created) ==
                      static_cast<int>(syn_thread_state::thread_state::created) &&
                  static_cast<int>(stm::thread_state::started) ==
                      static_cast<int>(syn_thread_state::thread_state::started) &&
                  static_cast<int>(stm::thread_state::running) ==
                      static_cast<int>(syn_thread_state::thread_state::running) &&
                  static_cast<int>(stm::thread_state::finished) ==
                      static_cast<int>(syn_thread_state::thread_state::finished),
              "thread_state has these enumerators");
BOOST_STM_SYNOPSIS_SAME(static_cast<std::ostream& (*)(std::ostream&, stm::thread_state)>(
                            &syn_thread::operator<<),
                        static_cast<std::ostream& (*)(std::ostream&, stm::thread_state)>(
                            &stm::operator<<));

using syn_th = syn_thread::thread;
using real_th = stm::thread;
static_assert(std::is_constructible<real_th, std::function<void()>>::value &&
                  std::is_constructible<real_th, std::function<void()>, std::string>::value &&
                  !std::is_convertible<std::function<void()>, real_th>::value &&
                  !std::is_copy_constructible<real_th>::value,
              "thread's constructors");
BOOST_STM_SYNOPSIS_SAME(&syn_th::start, &real_th::start);
BOOST_STM_SYNOPSIS_SAME(&syn_th::state, &real_th::state);
BOOST_STM_SYNOPSIS_MEMBER(void(), syn_th, real_th, join);
BOOST_STM_SYNOPSIS_MEMBER(bool(std::chrono::steady_clock::duration), syn_th, real_th, join);

using syn_to = syn_thread_options::thread_options;
using real_to = stm::thread_options;
BOOST_STM_SYNOPSIS_SAME(&syn_to::thread_name_prefix, &real_to::thread_name_prefix);
BOOST_STM_SYNOPSIS_SAME(&syn_to::initializer, &real_to::initializer);
static_assert(sizeof(syn_to) == sizeof(real_to), "thread_options has exactly these members");
using syn_wo = syn_thread_options::worker_options;
using real_wo = stm::worker_options;
static_assert(std::is_base_of<real_to, real_wo>::value, "worker_options is thread_options");
static_assert(std::is_same<syn_wo::duration, real_wo::duration>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_wo::keep_alive, &real_wo::keep_alive);
BOOST_STM_SYNOPSIS_SAME(&syn_wo::stack_size, &real_wo::stack_size);
static_assert(sizeof(syn_wo) == sizeof(real_wo), "worker_options has exactly these members");
static_assert(std::is_constructible<real_wo, real_wo::duration>::value &&
                  !std::is_convertible<real_wo::duration, real_wo>::value &&
                  !std::is_default_constructible<real_wo>::value,
              "worker_options' constructor");

using syn_p = syn_thread_pool::thread_pool;
using real_p = stm::thread_pool;
static_assert(std::is_same<syn_p::duration, real_p::duration>::value, "");
BOOST_STM_SYNOPSIS_SAME(&syn_p::options::max_threads, &real_p::options::max_threads);
BOOST_STM_SYNOPSIS_SAME(&syn_p::options::keep_alive, &real_p::options::keep_alive);
BOOST_STM_SYNOPSIS_SAME(&syn_p::options::thread_name_prefix, &real_p::options::thread_name_prefix);
BOOST_STM_SYNOPSIS_SAME(&syn_p::options::initializer, &real_p::options::initializer);
BOOST_STM_SYNOPSIS_SAME(&syn_p::options::on_worker_failure, &real_p::options::on_worker_failure);
BOOST_STM_SYNOPSIS_SAME(&syn_p::options::stack_size, &real_p::options::stack_size);
static_assert(std::is_base_of<real_wo, real_p::options>::value &&
                  sizeof(syn_p::options) == sizeof(real_p::options),
              "thread_pool::options is worker_options and exactly these members");
BOOST_STM_SYNOPSIS_SAME(&syn_p::default_max_threads, &real_p::default_max_threads);
static_assert(std::is_default_constructible<real_p>::value &&
                  std::is_constructible<real_p, std::size_t, real_p::duration>::value &&
                  std::is_constructible<real_p, stm::tlist<stm::task>&, std::size_t>::value &&
                  std::is_constructible<real_p, stm::tlist<stm::task>&, std::size_t,
                                        real_p::duration>::value &&
                  std::is_constructible<real_p, real_p::options>::value &&
                  std::is_constructible<real_p, stm::tlist<stm::task>&, real_p::options>::value &&
                  !std::is_convertible<std::size_t, real_p>::value &&
                  !std::is_convertible<real_p::options, real_p>::value &&
                  !std::is_copy_constructible<real_p>::value,
              "thread_pool's constructors");
BOOST_STM_SYNOPSIS_MEMBER(void(stm::task), syn_p, real_p, schedule);
BOOST_STM_SYNOPSIS_MEMBER(void(const std::vector<stm::task>&), syn_p, real_p, schedule);
BOOST_STM_SYNOPSIS_MEMBER(void(), syn_p, real_p, join);
BOOST_STM_SYNOPSIS_MEMBER(bool(real_p::duration), syn_p, real_p, join);
BOOST_STM_SYNOPSIS_SAME(&syn_p::tasks_scheduled, &real_p::tasks_scheduled);
BOOST_STM_SYNOPSIS_SAME(&syn_p::tasks_finished, &real_p::tasks_finished);
BOOST_STM_SYNOPSIS_SAME(&syn_p::tasks_failed, &real_p::tasks_failed);
BOOST_STM_SYNOPSIS_SAME(&syn_p::tasks_remaining, &real_p::tasks_remaining);
BOOST_STM_SYNOPSIS_SAME(&syn_p::live_threads, &real_p::live_threads);
BOOST_STM_SYNOPSIS_SAME(&syn_p::free_threads, &real_p::free_threads);
BOOST_STM_SYNOPSIS_SAME(&syn_p::max_threads, &real_p::max_threads);
BOOST_STM_SYNOPSIS_SAME(&syn_p::tasks, &real_p::tasks);

}  // namespace

int main() { return 0; }
