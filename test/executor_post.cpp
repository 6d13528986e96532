// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE executor_post
#include <boost/test/unit_test.hpp>

#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tvar.hpp>

#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace stm = boost::stm;

namespace {

// Runs n posted tasks, every third of which throws, through post() and
// execute(); the handler sees each exception once, on a worker.
template <class Executor>
void posted_exceptions_reach_the_handler(Executor& ex) {
  stm::tvar<int> ran{0}, reported{0};
  std::mutex m;  // two workers may report at once
  std::vector<std::string> messages;
  ex.set_error_handler([&](std::exception_ptr e) {
    std::lock_guard<std::mutex> g(m);
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      messages.push_back(x.what());
    }
    reported.modify([](int r) { return r + 1; });
  });
  stm::executor_stats before = stm::executor_statistics();
  for (int i = 0; i < 30; ++i) {
    auto work = [&ran, i] {
      ran.modify([](int r) { return r + 1; });
      if (i % 3 == 0) throw std::runtime_error("task " + std::to_string(i));
    };
    if (i % 2) ex.post(work);
    else ex.execute(work);
  }
  ex.post([&ran](int add) { ran.modify([add](int r) { return r + add; }); }, 100);  // arguments
  ex.shutdown(true);
  BOOST_TEST(ran.get() == 130);
  BOOST_TEST(reported.get() == 10);
  BOOST_TEST(messages.size() == 10u);
  stm::executor_stats after = stm::executor_statistics();
  BOOST_TEST(after.submitted - before.submitted == 31u);
  BOOST_TEST(after.failed - before.failed == 10u);
  BOOST_TEST(after.finished - before.finished == 21u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(thread_pool_executor_post_and_execute) {
  stm::thread_pool_executor ex{2};
  posted_exceptions_reach_the_handler(ex);
}

BOOST_AUTO_TEST_CASE(fiber_executor_post_and_execute) {
  stm::fiber_executor ex{2};
  posted_exceptions_reach_the_handler(ex);
}

BOOST_AUTO_TEST_CASE(post_after_shutdown_throws) {
  stm::thread_pool_executor ex{1};
  ex.shutdown();
  BOOST_CHECK_THROW(ex.post([] {}), stm::shutdown_error);
  BOOST_CHECK_THROW(ex.execute([] {}), stm::shutdown_error);
}

BOOST_AUTO_TEST_CASE(a_post_inside_a_transaction_runs_only_if_it_commits) {
  stm::thread_pool_executor ex{1};
  stm::tvar<int> ran{0};
  struct undo {};
  try {
    stm::atomically([&] {
      ex.post([&] { ran.set(1); });
      throw undo{};
    });
  } catch (const undo&) {
  }
  stm::atomically([&] { ex.post([&] { ran.set(2); }); });
  ex.shutdown(true);
  BOOST_TEST(ran.get() == 2);
}

// Without a handler of its own the executor prints the exception on stderr.
BOOST_AUTO_TEST_CASE(the_default_handler_prints_on_stderr) {
  std::fflush(stderr);
  char path[] = "/tmp/boost_stm_post_XXXXXX";
  int fd = mkstemp(path);
  BOOST_TEST_REQUIRE(fd >= 0);
  int saved = dup(2);
  dup2(fd, 2);
  {
    stm::thread_pool_executor ex{1};
    ex.post([] { throw std::runtime_error("nobody waits for me"); });
    ex.shutdown(true);
  }
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::string out;
  char buf[256];
  lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
  close(fd);
  unlink(path);
  BOOST_TEST(out.find("a posted task threw: nobody waits for me") != std::string::npos,
             "stderr was: " << out);
}

BOOST_AUTO_TEST_CASE(a_throwing_handler_is_reported_and_the_executor_goes_on) {
  stm::thread_pool_executor ex{1};
  ex.set_error_handler([](std::exception_ptr) { throw std::logic_error("handler"); });
  ex.post([] { throw std::runtime_error("task"); });
  BOOST_TEST(ex.submit([] { return 5; }).get() == 5);
}
