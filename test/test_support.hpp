#ifndef BOOST_STM_TEST_SUPPORT_HPP
#define BOOST_STM_TEST_SUPPORT_HPP

#include <cstdlib>

namespace test_helpers {

// Multiplier for the stress tests: BOOST_STM_STRESS=10 runs them ten times
// longer. Defaults keep every test file fast, also under ThreadSanitizer.
inline int stress() {
  const char* s = std::getenv("BOOST_STM_STRESS");
  int n = s ? std::atoi(s) : 1;
  return n > 0 ? n : 1;
}

}  // namespace test_helpers

#endif
