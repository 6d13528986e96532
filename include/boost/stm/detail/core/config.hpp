// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_DETAIL_CONFIG_HPP_INCLUDED
#define BOOST_STM_DETAIL_CONFIG_HPP_INCLUDED

// Every header of the library reaches this one before any code of its own,
// so an older standard stops here with one message instead of hundreds of
// errors from the code below. The include of a file that does not exist
// ends the compilation (GCC and Clang go on after an #error).
#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#  error "Boost.STM needs C++17 or later: compile with -std=c++17 (GCC, Clang) or /std:c++17 (MSVC)"
#  include <boost/stm/detail/compilation_stopped_because_cxx17_is_required>
#endif

// Tunables. Each can be overridden on the compiler command line; the library
// and every translation unit using it must agree (they are read in lib/ too).

// Restarts (conflicts) after which a transaction escalates to serial mode,
// where no other transaction may commit until it is done: nothing starves.
#ifndef BOOST_STM_SERIAL_AFTER
#define BOOST_STM_SERIAL_AFTER 16
#endif

// Rounds of watcher re-runs one commit may take before it is declared a
// cascade that never settles (stm::watch_cascade_error).
#ifndef BOOST_STM_MAX_WATCH_ROUNDS
#define BOOST_STM_MAX_WATCH_ROUNDS 1000
#endif

// Retired values a thread collects before it tries to reclaim memory.
#ifndef BOOST_STM_RECLAIM_BATCH
#define BOOST_STM_RECLAIM_BATCH 64
#endif

// Write-set size from which lookups use a hash index instead of a scan.
#ifndef BOOST_STM_WRITE_INDEX_AFTER
#define BOOST_STM_WRITE_INDEX_AFTER 16
#endif

// How long (microseconds) a thread whose transaction blocked in retry()
// first watches for the wake-up before it sleeps, when a core is free for
// it (at most hardware_concurrency - 1 threads watch at once); 0: never.
// A thread woken from sleep costs its waker a system call and itself the
// scheduler's wake-up latency, which is where the time of a short
// submit-and-get round trip goes.
#ifndef BOOST_STM_SPIN_US
#define BOOST_STM_SPIN_US 50
#endif

// Milliseconds after which a transaction still blocked in retry() counts as
// stalled (statistics().stalls; with BOOST_STM_STATS=1, a report on
// stderr); the environment variable BOOST_STM_STALL_MS overrides it at run
// time; 0: never.
#ifndef BOOST_STM_STALL_MS
#define BOOST_STM_STALL_MS 10000
#endif

#if defined(_WIN32) && defined(BOOST_STM_DYN_LINK)
#  if defined(BOOST_STM_SOURCE)
#    define BOOST_STM_DECL __declspec(dllexport)
#  else
#    define BOOST_STM_DECL __declspec(dllimport)
#  endif
#else
#  define BOOST_STM_DECL
#endif

#endif
