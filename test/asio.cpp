// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE asio
#include <boost/test/unit_test.hpp>

#include <boost/stm/asio.hpp>
#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tvar.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <stdexcept>
#include <thread>

namespace stm = boost::stm;
namespace asio = boost::asio;

static_assert(asio::execution::is_executor<stm::executor_ref>::value,
              "executor_ref is an Asio executor");

namespace {

template <class Executor>
void handlers_run_on_the_executor(Executor& ex) {
  const std::thread::id caller = std::this_thread::get_id();
  stm::tvar<int> ran{0};
  std::thread::id where;
  asio::post(ex.get_executor(), [&] {
    where = std::this_thread::get_id();
    ran.set(1);
  });
  stm::atomically([&] { if (ran.get() == 0) stm::retry(); });
  BOOST_TEST((where != caller));

  // A completion token: the handler's result comes back through a std::future.
  std::future<int> f = asio::post(ex.get_executor(), asio::use_future([] { return 6 * 7; }));
  BOOST_TEST(f.get() == 42);
  std::future<int> g = asio::post(ex.get_executor(),
                                  asio::use_future([]() -> int { throw std::runtime_error("handler"); }));
  BOOST_CHECK_THROW((void)g.get(), std::runtime_error);
}

}  // namespace

BOOST_AUTO_TEST_CASE(asio_post_runs_on_a_thread_pool_executor) {
  stm::thread_pool_executor ex{2};
  handlers_run_on_the_executor(ex);
  BOOST_TEST((ex.get_executor() == ex.get_executor()));
  BOOST_TEST((asio::query(ex.get_executor(), asio::execution::blocking) == asio::execution::blocking.never));
  BOOST_TEST(&asio::query(ex.get_executor(), asio::execution::context) == &static_cast<stm::executor&>(ex));
}

BOOST_AUTO_TEST_CASE(asio_post_runs_on_a_fiber_executor) {
  stm::fiber_executor ex{1};
  handlers_run_on_the_executor(ex);
}

BOOST_AUTO_TEST_CASE(bind_executor_sends_a_handler_to_the_executor) {
  stm::thread_pool_executor a{1}, b{1};
  BOOST_TEST((a.get_executor() != b.get_executor()));
  std::promise<std::thread::id> where;
  std::promise<std::thread::id> b_thread;
  (void)b.submit([&] { b_thread.set_value(std::this_thread::get_id()); });
  asio::post(a.get_executor(), asio::bind_executor(b.get_executor(), [&] {
    where.set_value(std::this_thread::get_id());
  }));
  BOOST_TEST((where.get_future().get() == b_thread.get_future().get()));
}
