// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#define BOOST_TEST_MODULE stats
#include <boost/test/unit_test.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/thread_pool.hpp>
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
#include <vector>

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

// Reads x, then y after another thread has set both to 1: y is too new
// for the snapshot with the old x, so the first attempt restarts at that
// read. Returns x + y (2) and counts the attempts.
int sum_with_a_read_restart(stm::tvar<int>& x, stm::tvar<int>& y, int& attempts) {
  return stm::atomically([&] {
    int v = x.get();
    if (++attempts == 1)
      elsewhere([&] {
        stm::atomically([&] {
          x.set(1);
          y.set(1);
        });
      });
    return v + y.get();
  });
}

BOOST_AUTO_TEST_CASE(restart_at_a_read) {
  stm::tvar<int> x{0}, y{0};
  stm::stats a = stm::statistics();
  int attempts = 0;
  int sum = sum_with_a_read_restart(x, y, attempts);
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

// Runs a child process that commits a few transactions and exits with the
// environment variable `var` set to env_value (or unset); returns what it
// wrote on stderr.
std::string child_stderr(const char* env_value, const char* var = "BOOST_STM_STATS") {
  int fd[2];
  if (pipe(fd) != 0) return "pipe failed";
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], 2);
    close(fd[0]);
    close(fd[1]);
    if (env_value)
      setenv(var, env_value, 1);
    else
      unsetenv(var);
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

// ---- conflict sites ---------------------------------------------------------------

namespace {

// Records conflict sites from a clean table for the scope of one test.
struct recording {
  recording() {
    stm::record_conflict_sites(true);
    stm::clear_conflict_sites();
  }
  ~recording() {
    stm::record_conflict_sites(false);
    stm::clear_conflict_sites();
  }
};

const stm::conflict_site* site_of(const std::vector<stm::conflict_site>& sites, const void* v) {
  for (const stm::conflict_site& s : sites)
    if (s.tvar == v) return &s;
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(conflict_sites_count_the_tvar_that_changed_at_commit) {
  recording on;
  BOOST_TEST(stm::recording_conflict_sites());
  struct pair {
    stm::tvar<int> a{0}, b{0};
  } p;
  stm::tvar<int> y{0};
  stm::name_conflict_sites(&p, sizeof p, "pair");
  int attempts = 0;
  stm::atomically([&] {
    int v = p.a.get() + p.b.get();
    if (++attempts == 1) elsewhere([&] { p.b.set(10); });  // invalidates the read of b
    y.set(v + 1);
  });
  BOOST_TEST(attempts == 2);
  std::vector<stm::conflict_site> sites = stm::conflict_sites();
  BOOST_TEST_REQUIRE(sites.size() == 1u);
  BOOST_TEST(sites[0].tvar == static_cast<const void*>(&p.b));
  BOOST_TEST(sites[0].restarts_commit == 1u);
  BOOST_TEST(sites[0].restarts_read == 0u);
  BOOST_TEST(sites[0].restarts() == 1u);
  std::size_t off = std::size_t(reinterpret_cast<const char*>(&p.b) - reinterpret_cast<const char*>(&p));
  BOOST_TEST(sites[0].name == "pair+" + std::to_string(off));
  std::ostringstream os;
  os << sites[0];
  BOOST_TEST(os.str().find("pair+" + std::to_string(off) + " at ") == 0u, os.str());
  BOOST_TEST(os.str().find("1 restarts (read 0, commit 1, watch 0)") != std::string::npos, os.str());
  stm::forget_conflict_site_names(&p, sizeof p);
  BOOST_TEST(stm::conflict_sites()[0].name.empty());
}

BOOST_AUTO_TEST_CASE(conflict_sites_count_the_tvar_that_changed_before_a_read) {
  recording on;
  stm::tvar<int> x{0}, y{0};
  stm::name_conflict_sites(&x, sizeof x, "x");
  int attempts = 0;
  BOOST_TEST(sum_with_a_read_restart(x, y, attempts) == 2);  // x had changed
  std::vector<stm::conflict_site> sites = stm::conflict_sites();
  const stm::conflict_site* s = site_of(sites, &x);
  BOOST_TEST_REQUIRE(s != nullptr);
  BOOST_TEST(s->restarts_read == 1u);
  BOOST_TEST(s->name == "x");
  stm::forget_conflict_site_names(&x, sizeof x);
}

BOOST_AUTO_TEST_CASE(conflict_sites_are_not_counted_unless_recording) {
  stm::record_conflict_sites(false);
  stm::clear_conflict_sites();
  BOOST_TEST(!stm::recording_conflict_sites());
  stm::tvar<int> x{0}, y{0};
  int attempts = 0;
  stm::atomically([&] {
    int v = x.get();
    if (++attempts == 1) elsewhere([&] { x.set(10); });
    y.set(v + 1);
  });
  BOOST_TEST(attempts == 2);
  BOOST_TEST(stm::conflict_sites().empty());
}

BOOST_AUTO_TEST_CASE(conflict_sites_most_first_and_at_most_top) {
  recording on;
  stm::tvar<int> x{0}, z{0}, y{0};
  auto conflicts_on = [&](stm::tvar<int>& v, int times) {
    for (int i = 0; i < times; ++i) {
      int attempts = 0;
      stm::atomically([&] {
        int r = v.get();
        if (++attempts == 1) elsewhere([&] { v.set(r + 1); });
        y.set(r);
      });
    }
  };
  conflicts_on(x, 2);
  conflicts_on(z, 3);
  std::vector<stm::conflict_site> sites = stm::conflict_sites();
  BOOST_TEST_REQUIRE(sites.size() == 2u);
  BOOST_TEST(sites[0].tvar == static_cast<const void*>(&z));
  BOOST_TEST(sites[0].restarts_commit == 3u);
  BOOST_TEST(sites[1].tvar == static_cast<const void*>(&x));
  BOOST_TEST(sites[1].restarts_commit == 2u);
  BOOST_TEST(stm::conflict_sites(1).size() == 1u);
  stm::clear_conflict_sites();
  BOOST_TEST(stm::conflict_sites().empty());
}

BOOST_AUTO_TEST_CASE(a_pool_made_while_recording_names_its_task_list) {
  recording on;
  stm::tvar<int> y{0};
  const void* list = nullptr;
  {
    stm::thread_pool pool{1};
    list = &pool.tasks();
    int attempts = 0;
    stm::atomically([&] {
      std::size_t n = pool.tasks().size();
      if (++attempts == 1) elsewhere([&] { pool.tasks().push_back([] {}); });
      y.set(int(n));
    });
    BOOST_TEST(attempts == 2);
    pool.join();
    std::vector<stm::conflict_site> sites = stm::conflict_sites();
    bool named = false;
    for (const stm::conflict_site& s : sites)
      named = named || s.name.rfind("thread_pool.tasks", 0) == 0;
    BOOST_TEST(named, "no site named thread_pool.tasks...: first is '"
                          << (sites.empty() ? std::string("none") : sites[0].name) << "'");
  }
  // Its names go with it.
  for (const stm::conflict_site& s : stm::conflict_sites())
    BOOST_TEST(s.name.rfind("thread_pool.", 0) != 0, s.name);
  (void)list;
}

BOOST_AUTO_TEST_CASE(boost_stm_conflict_sites_prints_at_exit) {
  std::string on = child_stderr("1", "BOOST_STM_CONFLICT_SITES");
  BOOST_TEST(on.find("stm: conflict sites") != std::string::npos, "stderr was: " << on);
  BOOST_TEST(on.find("[child failed]") == std::string::npos);
  std::string off = child_stderr("0", "BOOST_STM_CONFLICT_SITES");
  BOOST_TEST(off.find("conflict sites") == std::string::npos, "stderr was: " << off);
}
