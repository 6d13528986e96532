// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The contention management policy of contention.hpp: backoff, then serial
// escalation.
#include "core/contention.hpp"

#include <cstdint>
#include <mutex>
#include <thread>

namespace boost {
namespace stm {
namespace detail {
namespace {

std::mutex g_serial_mutex;
thread_local bool t_serial_here = false;  // this thread holds g_serial_mutex

// A randomised, exponentially growing pause (up to about 1,000 pause
// instructions, tens of microseconds), so that transactions that collided
// do not collide again at once. Serial escalation stays the guarantee
// against starvation; backing off first keeps it rare, which matters
// because a serial run stops every writing commit of the process (on 16
// threads, 8 hot accounts and no backoff, most commits ended up waiting for
// serial runs).
void backoff(unsigned restarts) noexcept {
  thread_local std::uint32_t seed = 0;
  if (seed == 0) seed = std::uint32_t(reinterpret_cast<std::uintptr_t>(&seed) >> 4) | 1;
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  unsigned shift = restarts < 7 ? restarts : 7;
  unsigned n = seed & ((8u << shift) - 1);
  for (unsigned i = 0; i < n; ++i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
  }
}

}  // namespace

void contention_manager::after_restart(counters& cs) {
  // A transaction started while this thread is serial (by a destructor run
  // when an attempt ends, see end_attempt()) is already alone: it must not
  // wait for the serial mutex its own thread holds.
  if (s_.restarts >= BOOST_STM_SERIAL_AFTER && !t_serial_here) {
    escalate_to_serial(cs);
  } else if (s_.restarts != 0) {
    backoff(s_.restarts);
  }
}

void contention_manager::escalate_to_serial(counters& cs) {
  g_serial_mutex.lock();
  g_serial.store(true, std::memory_order_release);
  s_.serial = true;
  t_serial_here = true;
  cs.inc(c_serial_runs);
}

void contention_manager::wait_for_serial() {
  if (t_serial_here) return;  // a transaction of the serial one's thread
  std::lock_guard<std::mutex> wait(g_serial_mutex);
}

void contention_manager::end_serial() noexcept {
  s_.serial = false;
  t_serial_here = false;
  g_serial.store(false, std::memory_order_release);
  g_serial_mutex.unlock();
}

}  // namespace detail
}  // namespace stm
}  // namespace boost
