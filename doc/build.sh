#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# Builds the HTML documentation with QuickBook and checks it.
#
#   bash doc/build.sh            HTML into build/doc/html (start at index.html)
#   bash doc/build.sh <dir>      HTML into <dir>/html instead
#
# Needs only quickbook (Debian: libboost-tools-dev). What it does:
#
# 1. quickbook --strict --output-format html on doc/stm.qbk. QuickBook 1.7.2
#    (Boost 1.74) refuses --output-dir (a missing `break` in its option
#    handling), and writes chunked HTML to "html" next to its input file. So
#    the input is a symlink <dir>/stm.qbk -> doc/stm.qbk, and -I doc lets
#    every [include] and [import] resolve from doc/: the HTML lands in
#    <dir>/html and nothing is written under doc/.
# 2. Fails if quickbook fails or prints any diagnostic. --strict makes its
#    warnings errors, but its HTML backend only reports "link not found"
#    (exit status 0), so its output is read too. Expected lines are
#    "Generating output path: ..." and "Unsupported tag: library" /
#    "Unsupported tag: chapter": the backend has no rule for the elements
#    that make the front page and the chapter pages (it renders their
#    contents), and says so once per page.
# 3. Copies doc/stm.css next to the pages, and doc/images (the plots the
#    Performance page shows) to <dir>/html/images.
# 4. Checks every link with doc/check_links.sh: each href (and src) to a
#    local file must name a file that exists, and each #fragment an id in
#    that file; an <a> without href (an unresolved [link]) is an error too.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
STAGE=${1:-build/doc}
mkdir -p "$STAGE"
STAGE=$(cd "$STAGE" && pwd)
OUT=$STAGE/html

command -v quickbook >/dev/null 2>&1 || {
  echo "error: quickbook not found (Debian: apt-get install libboost-tools-dev)" >&2
  exit 1
}

rm -rf "$OUT"
ln -sfn "$ROOT/doc/stm.qbk" "$STAGE/stm.qbk"

log=$STAGE/quickbook.log
echo "quickbook --strict --output-format html -I $ROOT/doc --input-file $STAGE/stm.qbk"
status=0
quickbook --strict --output-format html --css-path "$OUT/stm.css" -I "$ROOT/doc" \
  --input-file "$STAGE/stm.qbk" >"$log" 2>&1 || status=$?
cat "$log"
if [ "$status" -ne 0 ]; then
  echo "error: quickbook failed (exit $status)" >&2
  exit "$status"
fi
unexpected=$(grep -v -E '^(Generating output path: .*|Unsupported tag: (library|chapter))$' "$log" || true)
if [ -n "$unexpected" ]; then
  echo "error: quickbook reported problems (see above); the build must be silent" >&2
  exit 1
fi
if [ ! -f "$OUT/index.html" ]; then
  echo "error: quickbook wrote no $OUT/index.html" >&2
  exit 1
fi
cp "$ROOT/doc/stm.css" "$OUT/stm.css"
cp -R "$ROOT/doc/images" "$OUT/images"

bash "$ROOT/doc/check_links.sh" "$OUT"
echo "docs: $OUT/index.html"
