// Transactions in Boost.Fiber fibers: with enable_fiber_support(), retry()
// suspends only the calling fiber, and a commit on any thread wakes it.
// Every snippet shown in the documentation's Fibers page comes from here;
// the program checks its own results. (File names starting with "fiber"
// carry the CTest label "fiber", which the ThreadSanitizer stage skips.)
//
//   fiber_tutorial [--quick]
#include <boost/fiber/all.hpp>
#include <boost/stm.hpp>

#include <cstdio>
#include <thread>

namespace stm = boost::stm;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fiber_tutorial: check failed: %s\n", what);
    ++failures;
  }
}

//[fiber_take
int take(stm::tvar<int>& box) {
  return stm::atomically([&] {
    int v = box.get();
    if (v == 0) stm::retry();  // in a fiber: suspends this fiber only
    box.set(0);
    return v;
  });
}
//]

}  // namespace

int main() {
  //[fiber_enable
  // Once, before fibers block in transactions (fiber_executor does it for
  // its own fibers).
  stm::enable_fiber_support();
  //]

  {
    //[fiber_same_thread
    // Two fibers on this one thread: the consumer's retry suspends it, so
    // the producer fiber can run and fill the box.
    stm::tvar<int> box{0};
    int got = 0;
    boost::fibers::fiber consumer([&] { got = take(box); });
    boost::fibers::fiber producer([&] { box.set(42); });
    consumer.join();
    producer.join();
    //]
    check(got == 42, "a fiber's retry lets the other fiber of its thread run");
  }

  {
    //[fiber_other_thread
    // A commit on another thread wakes the fiber.
    stm::tvar<int> box{0};
    int got = 0;
    boost::fibers::fiber consumer([&] { got = take(box); });
    std::thread producer([&] { box.set(7); });
    consumer.join();
    producer.join();
    //]
    check(got == 7, "a commit on another thread wakes the fiber");
  }

  if (failures == 0) std::printf("fiber_tutorial: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
