#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# A b2 project outside the checkout that uses the library through
# use-project, as the README shows:
#   bash test/consumer/b2_outside/run.sh <checkout> <empty dir outside it>
# Passes if b2 prints no warning, compiles the program with -std=c++17
# although the project asks for no standard (the library's usage
# requirement), builds the library under <dir>/bin/boost_stm and nothing
# under the checkout, and the program runs.
set -euo pipefail
checkout=$(cd "${1:?usage: run.sh <checkout> <dir>}" && pwd)
dir=${2:?usage: run.sh <checkout> <dir>}
case "$(cd "$dir" && pwd)/" in
  "$checkout"/*) echo "error: $dir is inside the checkout" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cp "$here/../main.cpp" "$dir/main.cpp"
cat > "$dir/project-config.jam" <<'JAM'
using gcc ;
JAM
cat > "$dir/Jamroot" <<JAM
use-project /boost_stm : $checkout ;
exe app : main.cpp /boost_stm//boost_stm ;
JAM

stamp=$(mktemp)
(cd "$dir" && b2 -j"${JOBS:-2}" -d2 variant=release) > "$dir/b2.log" 2>&1 || { cat "$dir/b2.log"; exit 1; }
if grep -n 'warning' "$dir/b2.log"; then echo "error: b2 printed warnings (above)" >&2; exit 1; fi
if ! grep -E '"main\.cpp"' "$dir/b2.log" | grep -q -- '-std=c++17'; then
  grep -E '"main\.cpp"' "$dir/b2.log"
  echo "error: main.cpp was not compiled with -std=c++17" >&2; exit 1
fi
if [ -n "$(find "$checkout" -newer "$stamp" -name '*.o' -print -quit)" ]; then
  echo "error: objects were built inside the checkout" >&2; exit 1
fi
rm -f "$stamp"
lib=$(find "$dir/bin/boost_stm" -name 'libboost_stm.*' -print -quit)
[ -n "$lib" ] || { echo "error: no libboost_stm under $dir/bin/boost_stm" >&2; exit 1; }
echo "library built at ${lib#"$dir"/}"
app=$(find "$dir/bin" -path "$dir/bin/boost_stm" -prune -o -type f -name app -print -quit)
"$app"
echo "b2 consumer outside the checkout: ok"
