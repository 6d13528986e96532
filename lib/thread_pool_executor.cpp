#include <boost/stm/thread_pool_executor.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace boost {
namespace stm {

namespace {

// The user's initializer failed: carries the original as a nested exception.
struct initializer_failed : broken_executor, std::nested_exception {
  using broken_executor::broken_executor;
};

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "a non-std exception";
  }
}

thread_pool::options pool_options(thread_pool_executor::options& o,
                                  std::function<void(std::exception_ptr)> on_failure) {
  if (o.max_workers == 0)
    throw std::invalid_argument(
        "boost::stm::thread_pool_executor: max_workers must be at least 1");
  thread_pool::options p;
  p.max_threads = o.max_workers;
  p.keep_alive = o.keep_alive;
  p.thread_name_prefix = std::move(o.thread_name_prefix);
  if (o.initializer)
    p.initializer = [init = std::move(o.initializer)] {
      try {
        init();
      } catch (...) {
        // Thrown inside this catch block, so it nests the user's exception.
        throw initializer_failed(
            "boost::stm::thread_pool_executor: a worker's initializer threw (" +
            describe(std::current_exception()) +
            "), so the executor is broken and accepts no more work");
      }
    };
  p.on_worker_failure = std::move(on_failure);
  return p;
}

}  // namespace

std::size_t thread_pool_executor::default_max_workers() noexcept {
  return thread_pool::default_max_threads();  // the same rule: min(32, cores + 4)
}

thread_pool_executor::thread_pool_executor(std::size_t max_workers)
    : thread_pool_executor([&] {
        options o;
        o.max_workers = max_workers;
        return o;
      }()) {}

thread_pool_executor::thread_pool_executor(options o) {
  pool_ = std::make_unique<thread_pool>(queue_, pool_options(o, [this](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const initializer_failed&) {
      break_executor(e);
    } catch (...) {
      // A worker could not be started (out of threads?): queued work stays
      // queued and is retried at the next submit.
      std::fprintf(stderr, "boost::stm::thread_pool_executor: could not start a worker: %s\n",
                   describe(e).c_str());
    }
  }));
}

thread_pool_executor::~thread_pool_executor() {
  try {
    shutdown(true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boost::stm::thread_pool_executor: shutdown in the destructor: %s\n",
                 e.what());
  }
  // pool_ is destroyed next (joining the workers), before queue_.
}

std::size_t thread_pool_executor::max_workers() const noexcept { return pool_->max_threads(); }

void thread_pool_executor::post(task t) { pool_->schedule(std::move(t)); }

std::vector<task> thread_pool_executor::take_queued() {
  std::vector<task> v = queue_.to_vector();
  if (!v.empty()) queue_.clear();
  return v;
}

void thread_pool_executor::join() { pool_->join(); }

}  // namespace stm
}  // namespace boost
