#!/bin/sh
# The link line of the migration guide (doc/migration.qbk, "The link line"):
# builds and runs main.cpp against an installed copy with a plain compiler
# command. Usage: link_line.sh <install prefix> <output directory>
set -eu
prefix=$1
out=$2
here=$(dirname "$0")
mkdir -p "$out"
g++ -std=c++17 "$here/main.cpp" -o "$out/link_line" -I"$prefix/include" -L"$prefix/lib" \
  -lboost_stm -lboost_fiber -lboost_context -lboost_thread -pthread
"$out/link_line"
echo "link line: ok"
