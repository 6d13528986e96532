// future::get() is [[nodiscard]] (get() of a future<void> is not: it is how
// one waits and sees the task's exception).
// expected-error: ignoring return value.*get.*nodiscard
#pragma GCC diagnostic error "-Wunused-result"
#include <boost/stm/future.hpp>

int main() {
  boost::stm::future<int> f;
  f.get();
}
