// future::share() is [[nodiscard]]: it empties the future, so a dropped
// result loses the only handle to the task.
// expected-error: ignoring return value.*share.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/future.hpp>

int main() {
  boost::stm::future<int> f;
  f.share();
}
