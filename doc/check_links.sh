#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# Checks the links of a directory of HTML pages, and fails if one is broken.
#
#   bash doc/check_links.sh <dir>      e.g. build/doc/html (doc/build.sh
#                                      calls it), or doc/html (b2 standalone)
#
# Every href and src to a local file must name a file that exists inside
# <dir>, and every #fragment an id (or name) in that file; an <a> without
# href (what quickbook makes of an unresolved [link]) is an error too.
# Links with a scheme (https:, mailto:) are counted, not followed.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 <directory of HTML pages>" >&2
  exit 2
fi
OUT=$(cd "$1" && pwd)

declare -A ids_of  # file -> " id1 id2 ... "
ids() {
  local f=$1
  if [ -z "${ids_of[$f]+set}" ]; then
    ids_of[$f]=" $(grep -o -E '(id|name)="[^"]*"' "$f" | sed -E 's/^(id|name)="(.*)"$/\2/' | tr '\n' ' ') "
  fi
  printf '%s' "${ids_of[$f]}"
}

pages=0 local_links=0 external_links=0 broken=0
while IFS= read -r -d '' page; do
  pages=$((pages + 1))
  rel=${page#"$OUT"/}
  dir=$(dirname "$page")
  if grep -q '<a>' "$page"; then
    echo "broken: $rel: a link without a target (an unresolved [link]): $(grep -o '<a>[^<]*</a>' "$page" | head -3 | tr '\n' ' ')"
    broken=$((broken + 1))
  fi
  while IFS= read -r link; do
    link=${link//&amp;/&}
    if [[ $link =~ ^[A-Za-z][A-Za-z0-9+.-]*: ]]; then
      external_links=$((external_links + 1))
      continue
    fi
    local_links=$((local_links + 1))
    path=${link%%#*}
    frag=
    [[ $link == *"#"* ]] && frag=${link#*#}
    if [ -z "$path" ]; then
      target=$page
    else
      target=$(realpath -m "$dir/$path")
    fi
    if [ ! -f "$target" ]; then
      echo "broken: $rel: $link: no such file"
      broken=$((broken + 1))
      continue
    fi
    case $target in
      "$OUT"/*) ;;
      *) echo "broken: $rel: $link: outside the documentation"; broken=$((broken + 1)); continue ;;
    esac
    if [ -n "$frag" ] && [[ $(ids "$target") != *" $frag "* ]]; then
      echo "broken: $rel: $link: no id \"$frag\" in ${target#"$OUT"/}"
      broken=$((broken + 1))
    fi
  done < <(grep -o -E '(href|src)="[^"]*"' "$page" | sed -E 's/^(href|src)="(.*)"$/\2/')
done < <(find "$OUT" -name '*.html' -print0 | sort -z)

echo "links: $pages page(s), $local_links local link(s) checked, $broken broken; $external_links external link(s) not followed"
if [ "$broken" -ne 0 ]; then
  echo "error: $broken broken link(s)" >&2
  exit 1
fi
