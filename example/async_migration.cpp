// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Moving a std::async program to stm::thread_pool_executor::submit.
//
// The program counts words in a few "documents", first with std::async, then
// with an executor; both print the same counts. Then it shows the one
// difference that can change what old code means: the future returned by
// std::async blocks in its destructor until the task is done, ours never does.
//
//   async_migration [--quick]
#include <boost/stm.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace stm = boost::stm;

namespace {

std::size_t word_count(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

std::vector<std::string> make_documents(std::size_t n) {
  std::vector<std::string> docs;
  for (std::size_t i = 0; i < n; ++i) {
    std::string d;
    for (std::size_t w = 0; w <= i * 3; ++w) d += "word ";
    docs.push_back(d);
  }
  return docs;
}

//[async_migration_before
std::vector<std::size_t> count_with_async(const std::vector<std::string>& docs) {
  std::vector<std::future<std::size_t>> counts;
  for (const std::string& d : docs)
    counts.push_back(std::async(std::launch::async, word_count, d));
  std::vector<std::size_t> result;
  for (auto& f : counts) result.push_back(f.get());
  return result;
}
//]

//[async_migration_after
std::vector<std::size_t> count_with_executor(stm::thread_pool_executor& ex,
                                             const std::vector<std::string>& docs) {
  std::vector<stm::future<std::size_t>> counts;
  for (const std::string& d : docs)
    counts.push_back(ex.submit(word_count, d));  // same arguments, copied the same way
  std::vector<std::size_t> result;
  for (auto& f : counts) result.push_back(f.get());
  return result;
}
//]

//[async_migration_map
std::vector<std::size_t> count_with_map(stm::thread_pool_executor& ex,
                                        const std::vector<std::string>& docs) {
  std::vector<std::size_t> result;
  for (std::size_t n : ex.map(word_count, docs)) result.push_back(n);  // in order
  return result;
}
//]

//[async_migration_std_future
// Code that stores std::future keeps compiling: our future converts.
std::future<std::size_t> count_later(stm::thread_pool_executor& ex, const std::string& doc) {
  return ex.submit(word_count, doc);
}
//]

bool print_and_compare(const char* how, const std::vector<std::size_t>& got,
                       const std::vector<std::size_t>& want) {
  std::printf("%-10s", how);
  for (std::size_t n : got) std::printf(" %zu", n);
  std::printf("  (total %zu)\n", std::accumulate(got.begin(), got.end(), std::size_t(0)));
  if (got != want) {
    std::printf("  MISMATCH\n");
    return false;
  }
  return true;
}

// The difference. A task that waits until the caller says "released" (or
// gives up after a while): if the statement that drops the future blocked
// until the task ended, the caller could only release it afterwards.
bool destructor_difference() {
  //[async_migration_destructor
  stm::tvar<bool> released{false};
  auto task = [&released] {
    // true if the caller released us, false if we gave up waiting.
    return stm::wait_until([&] { return released.get(); }, std::chrono::seconds(2));
  };

  stm::thread_pool_executor ex{1};
  stm::future<bool> kept = ex.submit(task);
  (void)ex.submit(task);  // the future is dropped at once: this does NOT wait
  released.set(true);   // so the caller gets here while both tasks still wait
  bool ours_waited_for_us = kept.get();
  ex.shutdown(true);    // wait for the dropped one explicitly, if it matters

  // With std::async the same line blocks until the task gives up: it runs
  // sequentially, and anything the caller does after it comes too late.
  stm::tvar<bool> late{false};
  auto start = std::chrono::steady_clock::now();
  (void)std::async(std::launch::async, [&late] {
    return stm::wait_until([&] { return late.get(); }, std::chrono::milliseconds(50));
  });                   // blocks here for the whole 50 ms
  late.set(true);       // too late: that task has already given up
  //]
  auto blocked = std::chrono::steady_clock::now() - start;
  std::printf("dropped stm::future: the caller went on at once (task released: %s)\n",
              ours_waited_for_us ? "yes" : "no");
  std::printf("dropped std::async future: the caller waited %lld ms for the task to give up\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(blocked).count()));
  return ours_waited_for_us && blocked >= std::chrono::milliseconds(50);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  std::vector<std::string> docs = make_documents(quick ? 6 : 24);
  std::vector<std::size_t> want;
  for (const std::string& d : docs) want.push_back(word_count(d));

  bool ok = true;
  ok &= print_and_compare("std::async", count_with_async(docs), want);
  {
    stm::thread_pool_executor ex{4};
    ok &= print_and_compare("submit", count_with_executor(ex, docs), want);
    ok &= print_and_compare("map", count_with_map(ex, docs), want);
    std::future<std::size_t> later = count_later(ex, docs.back());
    ok &= later.get() == want.back();
  }
  ok &= destructor_difference();
  std::printf(ok ? "ok\n" : "FAILED\n");
  return ok ? 0 : 1;
}
