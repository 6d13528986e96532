# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# cmake -DCXX=<compiler> -DINCLUDE=<include dir> -DSOURCE=<file> -DSTD=<flag> -P check.cmake
# Compiles SOURCE with an older standard and passes only if the compiler stops
# at the library's #error: its message, and no error but it and the fatal
# include that ends the compilation.

execute_process(
  COMMAND "${CXX}" "${STD}" "-I${INCLUDE}" -fsyntax-only "${SOURCE}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
  message(FATAL_ERROR "compiled with ${STD}; expected the library's #error")
endif()
if(NOT out MATCHES "Boost.STM needs C\\+\\+17 or later: compile with -std=c\\+\\+17")
  message(FATAL_ERROR "no 'Boost.STM needs C++17' message in:\n${out}")
endif()
string(REGEX MATCHALL "error:" errors "${out}")
list(LENGTH errors n)
if(NOT n EQUAL 2)
  message(FATAL_ERROR "expected the #error and the fatal stop only, got ${n} errors:\n${out}")
endif()
string(LENGTH "${out}" len)
message(STATUS "${STD}: stopped at the #error (${n} diagnostics, ${len} characters)")
