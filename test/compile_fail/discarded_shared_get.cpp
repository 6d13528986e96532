// shared_future::get() is [[nodiscard]].
// expected-error: ignoring return value.*get.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/future.hpp>

int main() {
  boost::stm::shared_future<int> f;
  f.get();
}
