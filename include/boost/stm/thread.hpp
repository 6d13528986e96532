// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_THREAD_HPP_INCLUDED
#define BOOST_STM_THREAD_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/detail/core/config.hpp>
#include <boost/stm/thread_options.hpp>
#include <boost/stm/tvar.hpp>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

namespace boost {
namespace stm {

enum class thread_state { created, started, running, finished };

BOOST_STM_DECL std::ostream& operator<<(std::ostream& os, thread_state s);

// A thread that can be started inside a transaction: it begins running only
// after, and only if, that transaction commits. Its state is a tvar, so
// transactions can wait for it (retry until finished) like for anything else.
// An exception escaping its function is reported on stderr; the thread still
// reaches finished. The destructor joins a started thread.
class BOOST_STM_DECL thread {
public:
  explicit thread(std::function<void()> f, std::string name = {});
  ~thread();
  thread(const thread&) = delete;
  thread& operator=(const thread&) = delete;

  // Transactional. Throws invalid_state_error if already started.
  void start();
  // Transactional read.
  thread_state state() const;
  // Blocks until finished, then joins the OS thread. Throws
  // invalid_state_error if never started, or if called by this thread itself.
  void join();
  // false if still not finished after timeout.
  bool join(std::chrono::steady_clock::duration timeout);

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

namespace detail {
// Names the calling OS thread (truncated to what the OS allows).
BOOST_STM_DECL void set_thread_name(const std::string& name) noexcept;
// An empty o.thread_name_prefix becomes stem<n>, n a number of this owner's
// own (see next_pool_number).
BOOST_STM_DECL void name_threads_by_default(thread_options& o, const char* stem);
// The owner of a group of threads (a pool, an executor's backend) whose
// thread this is, set by each of its threads first thing: so that the
// owner can tell when it is asked, on one of its own threads, to wait for
// them all. Null on any other thread.
BOOST_STM_DECL void set_thread_owner(const void* owner) noexcept;
BOOST_STM_DECL const void* thread_owner() noexcept;
// Test hook: while set, starting an OS thread (any thread of the library:
// stm::thread, a pool's worker, a fiber executor's thread) fails with
// std::system_error (resource_unavailable_try_again) as if the system were
// out of threads.
BOOST_STM_DECL void inject_thread_start_failure(bool on) noexcept;
BOOST_STM_DECL bool thread_start_failure_injected() noexcept;
}  // namespace detail

}  // namespace stm
}  // namespace boost

#endif
