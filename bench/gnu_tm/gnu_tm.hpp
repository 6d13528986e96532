// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// GCC's transactional memory (`__transaction_atomic`, run by libitm) as a
// contender of bench/scaling: the read-mostly and bank workloads written the
// way a user of -fgnu-tm would write them. Only gnu_tm.cpp is compiled with
// -fgnu-tm; the benchmark sees plain functions. Built where the compiler
// takes -fgnu-tm (GCC; not Clang): bench/CMakeLists.txt then defines
// BOOST_STM_HAVE_GNU_TM=1.
#ifndef BOOST_STM_BENCH_GNU_TM_HPP_INCLUDED
#define BOOST_STM_BENCH_GNU_TM_HPP_INCLUDED

#include <cstddef>

namespace gnu_tm {

// n longs, each on a cache line of its own, all set to `initial`.
class cells {
public:
  cells(std::size_t n, long initial);
  ~cells();
  cells(const cells&) = delete;
  cells& operator=(const cells&) = delete;

  // The sum of all n, in one transaction.
  long sum();
  // Moves x from cell a to cell b, in one transaction.
  void transfer(std::size_t a, std::size_t b, long x);

private:
  struct cell;
  std::size_t n_;
  cell* c_;
};

// libitm runs the transactions of a lone thread serially (its
// serial-irrevocable mode: no STM at all), and switches to its STM (ml_wt)
// only once a second thread has used transactions. While a second_thread
// lives, one more thread is registered with libitm (it ran one transaction
// and waits), so that the threads measured run libitm's STM, as they would
// in any program with two threads using it.
class second_thread {
public:
  second_thread();
  ~second_thread();
  second_thread(const second_thread&) = delete;
  second_thread& operator=(const second_thread&) = delete;

private:
  struct state;
  state* s_;
};

}  // namespace gnu_tm

#endif
