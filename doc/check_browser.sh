#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# Opens every page of the HTML documentation in a real browser (Debian's
# chromium, headless) and checks what it rendered:
#   bash doc/check_browser.sh build/doc/html
# - every page loads and renders a body with text;
# - every page has a non-empty <title>;
# - every link in the rendered pages resolves (doc/check_links.sh run over
#   the DOMs the browser produced, so links made by scripts count too).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 <directory of HTML pages>" >&2
  exit 2
fi
HTML=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BROWSER=${BROWSER:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$BROWSER" ]; then
  echo "error: chromium not found (Debian: apt-get install chromium)" >&2
  exit 1
fi
echo "browser: $("$BROWSER" --version 2>/dev/null || echo "$BROWSER")"

dom=$(mktemp -d)
trap 'rm -rf "$dom"' EXIT
cp -R "$HTML/." "$dom/"   # images and stylesheet beside the rendered pages

failed=0 pages=0
while IFS= read -r -d '' page; do
  rel=${page#"$HTML"/}
  pages=$((pages + 1))
  out="$dom/$rel"
  if ! timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-dev-shm-usage --no-first-run --user-data-dir="$dom/.profile" \
      --dump-dom "file://$page" >"$out" 2>"$dom/.stderr"; then
    echo "FAIL $rel: the browser did not render it:"; cat "$dom/.stderr"; failed=$((failed + 1)); continue
  fi
  title=$(tr '\n' ' ' <"$out" | sed -n 's:.*<title>\([^<]*\)</title>.*:\1:p' | sed 's/^ *//; s/ *$//')
  text=$(sed -e 's/<[^>]*>//g' "$out" | tr -d '[:space:]' | wc -c)
  if [ -z "$title" ]; then
    echo "FAIL $rel: no <title>"; failed=$((failed + 1))
  elif [ "$text" -lt 200 ]; then
    echo "FAIL $rel: rendered only $text characters of text"; failed=$((failed + 1))
  else
    echo "ok   $rel: \"$title\" ($text characters)"
  fi
done < <(find "$HTML" -name '*.html' -print0 | sort -z)
rm -rf "$dom/.profile" "$dom/.stderr"

echo "links in the rendered pages:"
bash "$here/check_links.sh" "$dom" || failed=$((failed + 1))
if [ "$failed" -ne 0 ]; then
  echo "error: $failed problem(s) in $pages page(s)" >&2
  exit 1
fi
echo "browser: $pages page(s) rendered, each with a title; no broken link"
