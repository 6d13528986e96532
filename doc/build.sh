#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# Builds the HTML documentation and checks it.
#
#   bash doc/build.sh            HTML into build/doc/html (start at index.html)
#   bash doc/build.sh <dir>      HTML into <dir>/html instead
#
# Maintained tools only, all from Debian: quickbook (libboost-tools-dev),
# xsltproc and docbook-xsl. Debian ships no BoostBook stylesheets, so:
#
# 0. doc/results/md2qbk.py turns the committed benchmark reports
#    (doc/results/*.md) into QuickBook tables in <dir>/generated/, which
#    doc/performance.qbk includes: the figures on that page are the reports'.
#    doc/include_graph.py writes the code map's include graph there too
#    (and, at the end, its picture into <dir>/html/images/).
# 1. quickbook --strict turns doc/stm.qbk into BoostBook XML (<dir>/stm.xml);
#    any diagnostic fails the build.
# 2. xsltproc with doc/xsl/boostbook-to-docbook.xsl makes it a DocBook book
#    (<dir>/stm.dbk): the version from <boost/stm/version.hpp>, and index
#    terms for the names the Reference documents.
# 3. xsltproc with doc/xsl/html.xsl, a customisation layer over docbook-xsl's
#    chunk.xsl (parameters and a footer), writes one page per chapter, each
#    with a <title>, previous / up / home / next navigation at the top and
#    bottom, and the version; an Index page lists the Reference's names.
# 4. doc/check_links.sh checks that every internal link resolves.
#
# .ci/test's docs stage also opens every page in headless Chromium
# (doc/check_browser.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
STAGE=${1:-build/doc}
mkdir -p "$STAGE"
STAGE=$(cd "$STAGE" && pwd)
OUT=$STAGE/html

for tool in quickbook xsltproc python3; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "error: $tool not found (Debian: apt-get install libboost-tools-dev xsltproc docbook-xsl python3)" >&2
    exit 1
  }
done
CHUNK=http://docbook.sourceforge.net/release/xsl/current/html/chunk.xsl
if ! xmlcatalog /etc/xml/catalog "$CHUNK" >/dev/null 2>&1; then
  echo "error: docbook-xsl is not installed (Debian: apt-get install docbook-xsl)" >&2
  exit 1
fi
version=$(sed -n 's/^#define BOOST_STM_VERSION_STRING "\(.*\)"/\1/p' include/boost/stm/version.hpp)

GEN=$STAGE/generated
rm -rf "$GEN"
for report in "$ROOT"/doc/results/*.md; do
  echo "doc/results/md2qbk.py $(basename "$report") -> $GEN"
  python3 "$ROOT/doc/results/md2qbk.py" "$report" "$GEN" "$(basename "$report" .md)"
done
# The code map's include graph, from the #include lines of include/ and lib/
# (the check fails the build on an include from a lower layer to a higher one).
echo "doc/include_graph.py --check -> $GEN/include_graph.qbk"
python3 "$ROOT/doc/include_graph.py" --root "$ROOT" --check --qbk "$GEN/include_graph.qbk" >/dev/null

# quickbook 1.7.2 (Boost 1.74) resolves [include] and [import] relative to
# the input file; -I doc lets them resolve from doc/ although the input is
# a link in the stage directory, so nothing is written under doc/; -I on
# the stage directory finds the generated tables ([include generated/...]).
ln -sfn "$ROOT/doc/stm.qbk" "$STAGE/stm.qbk"
log=$STAGE/quickbook.log
echo "quickbook --strict -I doc -I $STAGE $STAGE/stm.qbk -> $STAGE/stm.xml"
status=0
quickbook --strict -I "$ROOT/doc" -I "$STAGE" --input-file "$STAGE/stm.qbk" --output-file "$STAGE/stm.xml" \
  >"$log" 2>&1 || status=$?
unexpected=$(grep -v -E '^Generating output file: ' "$log" || true)
if [ "$status" -ne 0 ] || [ -n "$unexpected" ]; then
  cat "$log"
  echo "error: quickbook failed or reported problems (above); the build must be silent" >&2
  exit 1
fi

echo "xsltproc doc/xsl/boostbook-to-docbook.xsl -> $STAGE/stm.dbk (version $version)"
xsltproc --nonet --novalid --stringparam version "$version" \
  -o "$STAGE/stm.dbk" "$ROOT/doc/xsl/boostbook-to-docbook.xsl" "$STAGE/stm.xml"

rm -rf "$OUT"
mkdir -p "$OUT"
echo "xsltproc doc/xsl/html.xsl (docbook-xsl chunk.xsl) -> $OUT"
log=$STAGE/xsltproc.log
xsltproc --nonet --stringparam version "$version" -o "$OUT/" \
  "$ROOT/doc/xsl/html.xsl" "$STAGE/stm.dbk" >"$log" 2>&1 || { cat "$log"; exit 1; }
unexpected=$(grep -v -E '^Writing .*\.html for ' "$log" || true)
if [ -n "$unexpected" ]; then
  cat "$log"
  echo "error: xsltproc reported problems (above)" >&2
  exit 1
fi
cp "$ROOT/doc/stm.css" "$OUT/stm.css"
cp -R "$ROOT/doc/images" "$OUT/images"
# The code map's picture of the include graph as it is now (the one before
# the files moved into folders by layer is committed: doc/images/).
echo "doc/include_graph.py --svg -> $OUT/images/include_graph.svg"
python3 "$ROOT/doc/include_graph.py" --root "$ROOT" --svg "$OUT/images/include_graph.svg"

bash "$ROOT/doc/check_links.sh" "$OUT"
echo "docs: $OUT/index.html"
