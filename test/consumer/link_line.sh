#!/bin/sh
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
# The link line of the migration guide (doc/migration.qbk, "The link line"):
# builds and runs main.cpp against an installed copy with a plain compiler
# command. Usage: link_line.sh <install prefix> <output directory>
set -eu
prefix=$1
out=$2
here=$(dirname "$0")
mkdir -p "$out"
g++ -std=c++17 "$here/main.cpp" -o "$out/link_line" -I"$prefix/include" -L"$prefix/lib" \
  -lboost_stm -lboost_fiber -lboost_context -pthread
"$out/link_line"
echo "link line: ok"
