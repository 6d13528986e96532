// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Helpers shared by the container tests.
#ifndef BOOST_STM_TEST_CONTAINER_HELPERS_HPP_INCLUDED
#define BOOST_STM_TEST_CONTAINER_HELPERS_HPP_INCLUDED

#include "test_support.hpp"
#include <boost/stm/stats.hpp>
#include <boost/stm/tvar.hpp>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace test_helpers {


// Returns once `n` more transactions than `before` have blocked in retry():
// the threads under test are asleep, waiting for a commit.
inline void wait_for_retries(std::uint64_t before, std::uint64_t n = 1) {
  while (boost::stm::statistics().retries < before + n) std::this_thread::yield();
}

// Old values are freed in batches, once no transaction can be reading
// them: commit enough to let this thread's batch go.
inline void flush_reclamation() {
  boost::stm::tvar<int> x{0};
  for (int i = 0; i < 20000; ++i) x.set(i);
}

// Resident set size in bytes (Linux), 0 where unknown.
inline long rss_bytes() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(f >> pages >> resident)) return 0;
  return resident * 4096;
}

// An element that counts its live instances.
struct counted {
  static std::atomic<long>& live() {
    static std::atomic<long> n{0};
    return n;
  }
  explicit counted(int v = 0) : value(v) { ++live(); }
  counted(const counted& o) : value(o.value) { ++live(); }
  counted& operator=(const counted&) = default;
  ~counted() { --live(); }
  int value;
};

}  // namespace test_helpers

#endif
