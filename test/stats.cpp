// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE stats
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/watch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace stm = boost::stm;
using namespace std::chrono_literals;

namespace {

struct boom {};

// Runs f on another thread and waits for it: a commit by "someone else" at
// an exact point of the calling transaction's body.
template <class F>
void elsewhere(F f) {
  std::thread(f).join();
}

void until_retries_reach(std::uint64_t n) {
  while (stm::statistics().retries < n) std::this_thread::yield();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_commit_counts_one_transaction_attempt_and_commit) {
  stm::tvar<int> x{0};
  stm::stats a = stm::statistics();
  stm::atomically([&] { x.set(1); });
  stm::atomically([&] { return x.get(); });  // read-only commits count too
  stm::atomically([&] { stm::atomically([&] { x.set(2); }); });  // nested: one transaction
  stm::stats b = stm::statistics();
  BOOST_TEST(b.transactions - a.transactions == 3u);
  BOOST_TEST(b.attempts - a.attempts == 3u);
  BOOST_TEST(b.commits - a.commits == 3u);
  BOOST_TEST(b.restarts == a.restarts);
  BOOST_TEST(b.aborts == a.aborts);
}

BOOST_AUTO_TEST_CASE(an_exception_counts_an_abort) {
  stm::stats a = stm::statistics();
  BOOST_CHECK_THROW(stm::atomically([] { throw boom{}; }), boom);
  stm::stats b = stm::statistics();
  BOOST_TEST(b.aborts - a.aborts == 1u);
  BOOST_TEST(b.commits == a.commits);
  BOOST_TEST(b.attempts - a.attempts == 1u);
}

BOOST_AUTO_TEST_CASE(restart_at_commit_validation) {
  stm::tvar<int> x{0}, y{0};
  stm::stats a = stm::statistics();
  int attempts = 0;
  stm::atomically([&] {
    int v = x.get();
    if (++attempts == 1) elsewhere([&] { x.set(10); });  // invalidates the read of x
    y.set(v + 1);
  });
  stm::stats b = stm::statistics();
  BOOST_TEST(attempts == 2);
  BOOST_TEST(y.get() == 11);
  BOOST_TEST(b.restarts_commit - a.restarts_commit == 1u);
  BOOST_TEST(b.restarts - a.restarts == 1u);
  BOOST_TEST(b.transactions - a.transactions == 2u);  // ours and the one elsewhere
  BOOST_TEST(b.attempts - a.attempts == 3u);
}

BOOST_AUTO_TEST_CASE(restart_at_a_read) {
  stm::tvar<int> x{0}, y{0};
  stm::stats a = stm::statistics();
  int attempts = 0;
  int sum = stm::atomically([&] {
    int v = x.get();
    if (++attempts == 1)
      elsewhere([&] {
        stm::atomically([&] {
          x.set(1);
          y.set(1);
        });
      });
    return v + y.get();  // y is too new for the snapshot with the old x
  });
  stm::stats b = stm::statistics();
  BOOST_TEST(sum == 2);
  BOOST_TEST(attempts == 2);
  BOOST_TEST(b.restarts_read - a.restarts_read == 1u);
  BOOST_TEST(b.restarts - a.restarts == 1u);
}

BOOST_AUTO_TEST_CASE(restart_when_a_watcher_appears_on_a_written_tvar) {
  // While this commit runs its watchers (after it looked at x's watcher
  // list), another thread registers a watch on x: the commit must restart
  // so that the new watcher runs in it.
  stm::tvar<int> x{0}, y{0}, seen{-1};
  stm::watch_handle late;
  int callback_runs = 0;
  auto trigger = stm::atomically_watch([&] { return y.get(); },
                                       [&](int v) {
                                         if (v == 1 && ++callback_runs == 1)
                                           elsewhere([&] {
                                             late = stm::atomically_watch(
                                                 [&] { return x.get(); },
                                                 [&](int xv) { seen.set(xv); });
                                           });
                                       });
  stm::stats a = stm::statistics();
  stm::atomically([&] {
    x.set(5);
    y.set(1);
  });
  stm::stats b = stm::statistics();
  BOOST_TEST(b.restarts_watch - a.restarts_watch == 1u);
  BOOST_TEST(seen.get() == 5);  // the late watcher ran in the restarted commit
}

BOOST_AUTO_TEST_CASE(retries_wakeups_futile_wakeups_and_timeouts) {
  // A waiter blocks until x >= 2; x = 1 wakes it for nothing (futile), x = 2
  // lets it through. "Retries" counts an attempt as soon as it decides to
  // block; if a write lands before it is asleep it re-runs at once and no
  // wake-up is counted. That cannot be ruled out from here, so run the
  // scenario until it happened as intended (nearly always the first time).
  bool exact = false;
  for (int round = 0; round < 100 && !exact; ++round) {
    stm::tvar<int> x{0};
    stm::stats a = stm::statistics();
    auto f = std::async(std::launch::async, [&] {
      stm::atomically([&] {
        if (x.get() < 2) stm::retry();
      });
    });
    until_retries_reach(a.retries + 1);
    x.set(1);
    until_retries_reach(a.retries + 2);
    x.set(2);
    f.get();
    stm::stats b = stm::statistics();
    BOOST_TEST(b.retries - a.retries == 2u);
    BOOST_TEST(b.wakeups - a.wakeups <= 2u);
    BOOST_TEST(b.futile_wakeups - a.futile_wakeups <= b.wakeups - a.wakeups);
    BOOST_TEST(b.timeouts == a.timeouts);
    exact = b.wakeups - a.wakeups == 2u && b.futile_wakeups - a.futile_wakeups == 1u;
  }
  BOOST_TEST(exact);

  stm::stats b = stm::statistics();
  stm::atomically([] {
    if (!stm::elapsed(5ms)) stm::retry();
  });
  stm::stats c = stm::statistics();
  BOOST_TEST(c.timeouts - b.timeouts == 1u);
  BOOST_TEST(c.retries - b.retries == 1u);
  BOOST_TEST(c.wakeups == b.wakeups);
  // 5 ms is far past the spin (BOOST_STM_SPIN_US): that wait slept.
  BOOST_TEST(c.sleeps - b.sleeps == 1u);
}

BOOST_AUTO_TEST_CASE(a_waiter_woken_long_after_it_blocked_counts_a_sleep) {
  stm::tvar<bool> go{false};
  stm::stats a = stm::statistics();
  auto f = std::async(std::launch::async, [&] {
    stm::atomically([&] {
      if (!go.get()) stm::retry();
    });
  });
  until_retries_reach(a.retries + 1);
  std::this_thread::sleep_for(20ms);  // past any spin
  go.set(true);
  f.get();
  stm::stats b = stm::statistics();
  BOOST_TEST(b.sleeps - a.sleeps >= 1u);
  BOOST_TEST(b.sleeps - a.sleeps <= b.retries - a.retries);
}

BOOST_AUTO_TEST_CASE(watcher_runs) {
  stm::tvar<int> x{0}, y{0};
  stm::stats a = stm::statistics();
  auto h = stm::atomically_watch([&] { return x.get(); }, [&](int v) { y.set(v); });
  x.set(1);
  x.set(2);
  stm::stats b = stm::statistics();
  BOOST_TEST(b.watcher_runs - a.watcher_runs == 3u);
}

BOOST_AUTO_TEST_CASE(counters_from_finished_threads_are_kept) {
  stm::stats a = stm::statistics();
  std::thread([] {
    stm::tvar<int> x{0};
    for (int i = 0; i < 100; ++i) x.set(i);
  }).join();
  stm::stats b = stm::statistics();
  BOOST_TEST(b.commits - a.commits == 100u);
}

BOOST_AUTO_TEST_CASE(printing_names_every_counter) {
  stm::stats s;
  s.transactions = 1;
  s.attempts = 2;
  s.commits = 3;
  s.restarts = 4;
  s.restarts_read = 5;
  s.restarts_commit = 6;
  s.restarts_watch = 7;
  s.retries = 8;
  s.wakeups = 9;
  s.futile_wakeups = 10;
  s.timeouts = 11;
  s.aborts = 12;
  s.serial_runs = 13;
  s.watcher_runs = 14;
  s.blocked_forever = 15;
  s.stalls = 16;
  s.sleeps = 17;
  std::ostringstream os;
  os << s;
  std::string t = os.str();
  for (const char* want :
       {"transactions 1", "attempts 2", "commits 3", "restarts 4", "read 5", "commit 6",
        "watch 7", "retries 8", "wakeups 9", "futile 10", "timeouts 11", "aborts 12",
        "serial 13", "watcher runs 14", "blocked forever 15", "stalls 16", "sleeps 17"})
    BOOST_TEST(t.find(want) != std::string::npos, "missing '" << want << "' in: " << t);
}

namespace {

// Runs a child process that commits a few transactions and exits with
// BOOST_STM_STATS set (or not); returns what it wrote on stderr.
std::string child_stderr(const char* env_value) {
  int fd[2];
  if (pipe(fd) != 0) return "pipe failed";
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], 2);
    close(fd[0]);
    close(fd[1]);
    if (env_value)
      setenv("BOOST_STM_STATS", env_value, 1);
    else
      unsetenv("BOOST_STM_STATS");
    stm::tvar<int> x{0};
    for (int i = 0; i < 3; ++i) x.set(i);
    {
      stm::thread_pool_executor ex{1};
      if (ex.submit([] { return 1; }).get() != 1) std::_Exit(3);
    }
    std::exit(0);  // runs the static destructors: the report is printed there
  }
  close(fd[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += "[child failed]";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(boost_stm_stats_prints_at_exit) {
  std::string on = child_stderr("1");
  BOOST_TEST(on.find("stm: transactions") != std::string::npos, "stderr was: " << on);
  BOOST_TEST(on.find("commits") != std::string::npos);
  BOOST_TEST(on.find("stm executors: submitted 1, finished 1, failed 0, cancelled 0, live workers 0 "
                     "(peak 1)") != std::string::npos,
             "stderr was: " << on);
  BOOST_TEST(on.find("[child failed]") == std::string::npos);
  std::string off = child_stderr(nullptr);
  BOOST_TEST(off.find("stm:") == std::string::npos, "stderr was: " << off);
  std::string zero = child_stderr("0");
  BOOST_TEST(zero.find("stm:") == std::string::npos, "stderr was: " << zero);
}
