// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Objects of the library as statics, globals and thread_locals, destroyed at
// process exit after the thread-locals of the thread that destroys them
// (main's are destroyed before static destructors run). Each scenario runs
// in a child process (this program, re-executed with --child <name>),
// many times: a child must exit 0 and print nothing. Under a sanitizer or
// valgrind the children are checked by it too (use after free, leaks,
// races); in a plain build the children run with MALLOC_PERTURB_ set, so
// that memory used after it was freed holds garbage and crashes early.
#define BOOST_TEST_MODULE lifetimes
#define BOOST_TEST_NO_MAIN
#define BOOST_TEST_ALTERNATIVE_INIT_API
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <boost/stm.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stm = boost::stm;

namespace {

// ---- the scenarios, each run by a child ----------------------------------------

std::string boxed(int i) { return "value number " + std::to_string(i) + " of a long string"; }

// Runs transactions whose values are freed through the reclamation scheme
// (boxed values), blocking ones, and work on ex: what a destructor at exit
// may meet.
template <class Executor>
void use(Executor& ex) {
  stm::tvar<std::string> s{boxed(0)};
  std::vector<stm::future<std::string>> fs;
  for (int i = 0; i < 8; ++i)
    fs.push_back(ex.submit([&s, i] {
      stm::atomically([&] { s.set(boxed(i)); });
      return s.get();
    }));
  stm::tvar<bool> go{false};
  stm::future<int> waiter = ex.submit([&go] {
    stm::atomically([&] { if (!go.get()) stm::retry(); });
    return 1;
  });
  go.set(true);
  for (auto& f : fs) (void)f.get();
  if (waiter.get() != 1) std::abort();
}

// Python's module-level executor.
void static_executor() {
  static stm::thread_pool_executor ex{2};
  if (ex.submit([] { return 1; }).get() != 1) std::abort();
  use(ex);
}

// A namespace-scope executor, constructed in every process of this program
// (it starts no thread until it is used).
stm::thread_pool_executor g_executor{2};
void global_executor() { use(g_executor); }

void static_fiber_executor() {
  static stm::fiber_executor fx{2};
  if (fx.submit([] { return 1; }).get() != 1) std::abort();
  use(fx);
}

void static_thread_pool() {
  static stm::thread_pool pool{2};
  static stm::tvar<int> done{0};
  for (int i = 0; i < 16; ++i) pool.schedule([] { stm::atomically([] { done.set(done.get() + 1); }); });
  pool.join();
  if (done.get() != 16) std::abort();
}

// Constructed at static initialisation, before the library is first used in
// the process: destroyed after everything the library set up itself.
stm::tvar<std::string> g_watched{boxed(0)};
stm::tvar<std::string> g_copy{""};
void watcher() {
  static stm::tvar<std::string> watched{boxed(1)};
  static stm::tvar<int> length{0};
  static stm::watch_handle h = stm::atomically([] {
    return stm::watch([] { return watched.get(); },
                      [](const std::string& v) { length.set(static_cast<int>(v.size())); });
  });
  // Detached: lives as long as the tvar it watches, a global.
  stm::atomically([] {
    stm::watch([] { return g_watched.get(); }, [](const std::string& v) { g_copy.set(v); })
        .detach();
  });
  for (int i = 0; i < 50; ++i) {
    watched.set(boxed(i));
    g_watched.set(boxed(i));
  }
  if (g_copy.get() != boxed(49)) std::abort();
}

void containers() {
  static stm::tlist<std::string> l;
  static stm::tmap<std::string, std::string> m;
  static stm::tset<std::string> s;
  static stm::tqueue<std::string> q;
  static stm::broadcast_queue<std::string> bq;
  static stm::broadcast_endpoint<std::string> e = bq.new_endpoint();
  for (int i = 0; i < 200; ++i) {
    l.push_back(boxed(i));
    m.insert_or_assign(boxed(i % 50), boxed(i));
    s.insert(boxed(i % 70));
    q.push(boxed(i));
    bq.put(boxed(i));
    if (i % 3 == 0) {
      (void)l.pop_front();
      (void)q.pop();
      (void)e.get();
    }
  }
}

void futures() {
  // Declared first: destroyed after the executor, holding what it finished.
  static stm::future<std::string> kept;
  static stm::shared_future<std::string> shared;
  static stm::thread_pool_executor ex{2};
  kept = ex.submit([] { return boxed(1); });
  shared = ex.submit([] { return boxed(2); }).share();
  // Declared after: destroyed before the executor, while work may still run.
  static std::vector<stm::future<std::string>> pending;
  stm::tvar<int>* gate = new stm::tvar<int>{0};  // freed by the last task
  for (int i = 0; i < 20; ++i)
    pending.push_back(ex.submit([gate, i] {
      stm::atomically([&] { gate->set(gate->get() + 1); });
      if (i == 19) {
        stm::atomically([&] { if (gate->get() != 20) stm::retry(); });
        delete gate;
      }
      return boxed(i);
    }));
  pending.back().add_done_callback([](stm::future<std::string>&) {});
  if (shared.get() != boxed(2)) std::abort();
}

// Made before the library is first used on its thread, so destroyed after
// the library's own thread-locals there; runs `f` from its destructor.
struct late {
  std::function<void()> f;
  ~late() {
    if (f) f();
  }
};
thread_local late t_late;

template <class Executor>
void late_run() {
  Executor ex{2};
  use(ex);
}

// An executor as a thread_local of the main thread and of another thread,
// made after the library's thread-locals there (so destroyed before them),
// and an executor made, used and destroyed by a destructor that runs after
// them (t_late, on both threads).
template <class Executor>
void thread_local_scenario() {
  t_late.f = [] {};  // t_late exists now, before any transaction on main
  static thread_local std::optional<Executor> ex;
  ex.emplace(2);
  use(*ex);
  t_late.f = [] { late_run<Executor>(); };
  std::thread t([] {
    t_late.f = [] {};
    thread_local std::optional<Executor> mine;
    mine.emplace(2);
    use(*mine);
    t_late.f = [] { late_run<Executor>(); };
  });
  t.join();
}

const std::map<std::string, void (*)(), std::less<>> scenarios = {
    {"static_executor", static_executor},
    {"global_executor", global_executor},
    {"static_fiber_executor", static_fiber_executor},
    {"static_thread_pool", static_thread_pool},
    {"watcher", watcher},
    {"containers", containers},
    {"futures", futures},
    {"thread_local_executor", thread_local_scenario<stm::thread_pool_executor>},
    {"thread_local_fiber_executor", thread_local_scenario<stm::fiber_executor>},
};

// ---- the parent ------------------------------------------------------------------

std::string self_path() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot read /proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

struct child_result {
  int status = 0;
  std::string output;
};

// Runs this program with --child <name>; stdout and stderr together.
child_result run_child(const std::string& exe, const std::string& name) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    ::close(fds[1]);
    if (!test_helpers::slow_instrumentation()) ::setenv("MALLOC_PERTURB_", "165", 1);
    ::execl(exe.c_str(), exe.c_str(), "--child", name.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  ::close(fds[1]);
  child_result r;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      r.output.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  ::close(fds[0]);
  while (::waitpid(pid, &r.status, 0) < 0 && errno == EINTR) {
  }
  return r;
}

bool under_valgrind() {
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
  return RUNNING_ON_VALGRIND != 0;
#endif
#endif
  return false;
}

// AddressSanitizer cannot tell fiber stacks from thread stacks unless
// Boost.Context is built to tell it (Debian's is not, see .ci/test): the
// first exception thrown on a fiber stack (retry() throws one internally)
// makes it print a notice, not an error, that it ignores the switch. Errors
// it finds still print a report and fail the child's exit status.
std::string without_fiber_stack_notice(std::string out) {
#if defined(__SANITIZE_ADDRESS__)
  for (;;) {
    std::size_t at = out.find("==WARNING: ASan is ignoring requested __asan_handle_no_return");
    if (at == std::string::npos) break;
    std::size_t begin = out.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    std::size_t end = out.find("sanitizers/issues/189", at);
    if (end == std::string::npos) break;
    end = out.find('\n', end);
    out.erase(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
  }
#endif
  return out;
}

void run_scenario(const std::string& name) {
  // Valgrind knows nothing of fiber stacks (see .ci/test): there the fiber
  // scenarios are left to the other builds.
  if (name.find("fiber") != std::string::npos && under_valgrind()) return;
  std::size_t runs = under_valgrind() ? 2 * test_helpers::stress() : test_helpers::stress_size(50);
  std::string exe = self_path();
  for (std::size_t i = 0; i < runs; ++i) {
    child_result r = run_child(exe, name);
    r.output = without_fiber_stack_notice(r.output);
    bool clean = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 && r.output.empty();
    if (!clean) {
      BOOST_ERROR(name << ": run " << i + 1 << " of " << runs << " "
                       << (WIFSIGNALED(r.status) ? "died of signal " + std::to_string(WTERMSIG(r.status))
                                                 : "exited " + std::to_string(WEXITSTATUS(r.status)))
                       << ", output:\n"
                       << r.output);
      return;
    }
  }
  BOOST_TEST_MESSAGE(name << ": " << runs << " clean runs");
}

}  // namespace

BOOST_AUTO_TEST_CASE(static_thread_pool_executor) { run_scenario("static_executor"); }
BOOST_AUTO_TEST_CASE(global_thread_pool_executor) { run_scenario("global_executor"); }
BOOST_AUTO_TEST_CASE(static_fiber_executor_at_exit) { run_scenario("static_fiber_executor"); }
BOOST_AUTO_TEST_CASE(static_thread_pool_at_exit) { run_scenario("static_thread_pool"); }
BOOST_AUTO_TEST_CASE(static_and_global_tvars_with_live_watchers) { run_scenario("watcher"); }
BOOST_AUTO_TEST_CASE(static_containers) { run_scenario("containers"); }
BOOST_AUTO_TEST_CASE(static_futures) { run_scenario("futures"); }
BOOST_AUTO_TEST_CASE(thread_local_executor_and_late_destructors) {
  run_scenario("thread_local_executor");
}
BOOST_AUTO_TEST_CASE(thread_local_fiber_executor_and_late_destructors) {
  run_scenario("thread_local_fiber_executor");
}

int main(int argc, char* argv[]) {
  if (argc == 3 && std::strcmp(argv[1], "--child") == 0) {
    auto it = scenarios.find(argv[2]);
    if (it == scenarios.end()) {
      std::fprintf(stderr, "lifetimes: unknown scenario %s\n", argv[2]);
      return 2;
    }
    it->second();
    return 0;  // the statics are destroyed from here on
  }
  return boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
}
