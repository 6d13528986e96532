// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE stack_size
#include <boost/test/unit_test.hpp>

#include <boost/stm/thread_pool.hpp>
#include <boost/stm/thread_pool_executor.hpp>

#include <cstddef>
#include <stdexcept>

#include <limits.h>
#include <pthread.h>
#include <unistd.h>

namespace stm = boost::stm;

namespace {

// The stack size of the calling thread, as the system reports it.
std::size_t my_stack_size() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  std::size_t size = 0;
  pthread_attr_getstacksize(&attr, &size);
  pthread_attr_destroy(&attr);
  return size;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_workers_stack_has_the_size_asked_for) {
  const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
  for (std::size_t asked : {std::size_t(256) * 1024, std::size_t(3) * 1024 * 1024 + 5,
                            std::size_t(64) * 1024 * 1024}) {
    stm::thread_pool_executor::options o;
    o.max_workers = 2;
    o.stack_size = asked;
    stm::thread_pool_executor ex{o};
    std::size_t got = ex.submit(my_stack_size).get();
    BOOST_TEST(got >= asked, "asked " << asked << ", got " << got);
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
    // Rounded up to a page at most. (A sanitizer's runtime may add a
    // reserve of its own to small stacks.)
    BOOST_TEST(got < asked + page, "asked " << asked << ", got " << got);
#else
    (void)page;
#endif
  }
}

BOOST_AUTO_TEST_CASE(zero_means_the_default) {
  stm::thread_pool_executor ex{1};
  std::size_t default_size = 0;
  {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_getstacksize(&attr, &default_size);
    pthread_attr_destroy(&attr);
  }
  BOOST_TEST(ex.submit(my_stack_size).get() == default_size);
}

BOOST_AUTO_TEST_CASE(a_stack_below_the_minimum_is_refused_clearly) {
  stm::thread_pool::options o;
  o.stack_size = 1024;
  try {
    stm::thread_pool pool{o};
    BOOST_FAIL("a 1024-byte stack was accepted");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("stack_size 1024 is below the system's minimum") !=
               std::string::npos);
  }
}
