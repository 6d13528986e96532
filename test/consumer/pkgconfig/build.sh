#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# Consumes an installed Boost.STM through pkg-config, with the link lines the
# README gives:
#   PKG_CONFIG_PATH=<prefix>/lib/pkgconfig bash test/consumer/pkgconfig/build.sh <out dir>
# (1) test/consumer/main.cpp, which uses no fibers, with boost_stm.pc: its
#     link line has no Boost.Fiber, and the program must link without it;
# (2) test/consumer/fiber_main.cpp, a fiber_executor, with boost_stm_fiber.pc.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: build.sh <out dir>}
mkdir -p "$out"
CXX=${CXX:-c++}

echo "pkg-config --modversion boost_stm: $(pkg-config --modversion boost_stm)"
libs=$(pkg-config --libs boost_stm)
echo "pkg-config --libs boost_stm: $libs"
case " $libs " in
  *boost_fiber*|*boost_context*) echo "error: boost_stm.pc links Boost.Fiber" >&2; exit 1 ;;
esac
# shellcheck disable=SC2046
"$CXX" -std=c++17 $(pkg-config --cflags boost_stm) "$here/../main.cpp" \
  -o "$out/consumer_pkgconfig" $(pkg-config --libs boost_stm)
"$out/consumer_pkgconfig"
echo "consumer_pkgconfig: ok (no Boost.Fiber on its link line)"

echo "pkg-config --libs boost_stm_fiber: $(pkg-config --libs boost_stm_fiber)"
# shellcheck disable=SC2046
"$CXX" -std=c++17 $(pkg-config --cflags boost_stm_fiber) "$here/../fiber_main.cpp" \
  -o "$out/consumer_pkgconfig_fiber" $(pkg-config --libs boost_stm_fiber)
"$out/consumer_pkgconfig_fiber"
echo "consumer_pkgconfig_fiber: ok"
