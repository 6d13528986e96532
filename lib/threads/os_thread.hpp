// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Every OS thread the library starts (stm::thread, a pool's worker, a fiber
// executor's thread) is one of these: a thread whose stack size can be
// chosen, which std::thread cannot do (options::stack_size), and that fails
// to start while a test injects that failure (one place for the hook, see
// detail::inject_thread_start_failure). Like std::thread otherwise: it must
// be joined or detached before it is destroyed or assigned to.
#ifndef BOOST_STM_LIB_OS_THREAD_HPP_INCLUDED
#define BOOST_STM_LIB_OS_THREAD_HPP_INCLUDED

#include <boost/stm/thread.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <system_error>
#include <utility>

#if defined(_WIN32)
#include <thread>
#else
#include <limits.h>  // PTHREAD_STACK_MIN
#include <pthread.h>
#include <unistd.h>
#endif

namespace boost {
namespace stm {
namespace detail {

class os_thread {
public:
  os_thread() noexcept = default;

  // Starts f on a new thread with a stack of stack_size bytes (0: the
  // system's default). Throws std::system_error if it cannot.
  os_thread(std::size_t stack_size, std::function<void()> f) {
    if (thread_start_failure_injected())
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                              "boost::stm: injected thread start failure");
#if defined(_WIN32)
    (void)stack_size;  // std::thread takes none; the default applies
    t_ = std::thread(std::move(f));
#else
    pthread_attr_t attr;
    if (int e = pthread_attr_init(&attr)) throw std::system_error(e, std::generic_category(), "pthread_attr_init");
    struct attr_guard {
      pthread_attr_t* a;
      ~attr_guard() { pthread_attr_destroy(a); }
    } guard{&attr};
    if (stack_size) {
      // Whole pages, at least what was asked (glibc would round down).
      const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
      stack_size = (stack_size + page - 1) / page * page;
    }
    if (stack_size)
      if (int e = pthread_attr_setstacksize(&attr, stack_size))
        throw std::system_error(e, std::generic_category(), "pthread_attr_setstacksize");
    auto fn = std::make_unique<std::function<void()>>(std::move(f));
    if (int e = pthread_create(&t_, &attr, &trampoline, fn.get()))
      throw std::system_error(e, std::generic_category(), "pthread_create");
    fn.release();  // the thread owns it now
    joinable_ = true;
#endif
  }

  os_thread(os_thread&& o) noexcept { swap(o); }
  os_thread& operator=(os_thread&& o) noexcept {
    if (joinable()) std::terminate();  // as std::thread
    swap(o);
    return *this;
  }
  os_thread(const os_thread&) = delete;
  os_thread& operator=(const os_thread&) = delete;
  ~os_thread() {
    if (joinable()) std::terminate();  // as std::thread
  }

#if defined(_WIN32)
  bool joinable() const noexcept { return t_.joinable(); }
  bool is_current() const noexcept { return t_.get_id() == std::this_thread::get_id(); }
  void join() { t_.join(); }
  void detach() { t_.detach(); }
  void swap(os_thread& o) noexcept { t_.swap(o.t_); }

private:
  std::thread t_;
#else
  bool joinable() const noexcept { return joinable_; }
  // The calling thread is this one.
  bool is_current() const noexcept { return joinable_ && pthread_equal(t_, pthread_self()); }
  void join() {
    if (int e = pthread_join(t_, nullptr)) throw std::system_error(e, std::generic_category(), "pthread_join");
    joinable_ = false;
  }
  void detach() {
    if (int e = pthread_detach(t_)) throw std::system_error(e, std::generic_category(), "pthread_detach");
    joinable_ = false;
  }
  void swap(os_thread& o) noexcept {
    std::swap(t_, o.t_);
    std::swap(joinable_, o.joinable_);
  }

private:
  static void* trampoline(void* p) {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(p));
    (*fn)();  // as std::thread: an exception escaping it terminates
    return nullptr;
  }

  pthread_t t_{};
  bool joinable_ = false;
#endif
};

}  // namespace detail
}  // namespace stm
}  // namespace boost

#endif
