#!/usr/bin/env python3
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

"""Turns a benchmark report (markdown, as bench/run writes it) into QuickBook.

    md2qbk.py REPORT.md OUTDIR NAME

writes OUTDIR/NAME.qbk (what comes before the first "## " heading: the
header saying which machine, commit and command) and OUTDIR/NAME-<part>.qbk
for each "## <part>" section (<part> lower-cased, runs of other characters
than letters and digits made one "_"), so that a page can [include] each
part where it discusses it. "### " headings and below become [h4] to [h6], tables QuickBook
tables (the first row the header), "- " items a list, code blocks [pre], images are dropped
(the page shows the plots itself) and the rest paragraphs. Every figure on
the page is then the report's own. The report's title ("# ") and
the part headings ("## ") are left to the page. Python 3 standard library only.
"""

import os
import re
import sys


def escape(text):
    """Text of the report as QuickBook phrase text: code spans kept, brackets
    and QuickBook's simple-markup characters escaped elsewhere, **bold** as
    [*bold]."""
    out = []
    for i, piece in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2:
            out.append(piece)
            continue
        bold = re.split(r"\*\*(.+?)\*\*", piece)
        for j, part in enumerate(bold):
            part = re.sub(r"([\\\[\]*/_=#'])", r"\\\1", part)
            out.append("[*" + part + "]" if j % 2 else part)
    return "".join(out)


def cells(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def convert(lines):
    """QuickBook for a list of markdown lines."""
    out = []
    para = []
    i = 0

    def flush():
        if para:
            out.append(escape(" ".join(para)))
            out.append("")
            para.clear()

    while i < len(lines):
        line = lines[i].rstrip("\n")
        stripped = line.strip()
        if not stripped:
            flush()
            i += 1
        elif stripped.startswith("```"):
            flush()
            i += 1
            body = []
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i].rstrip("\n"))
                i += 1
            i += 1
            text = "\n".join(body).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
            out.append("[pre\n" + text + "\n]")
            out.append("")
        elif stripped.startswith("#"):
            flush()
            m = re.match(r"(#+)\s*(.*)", stripped)
            # "#" (the report's title) and "##" (the part, which names the
            # file) are the page's to title; "###" and below become [h4]...
            if len(m.group(1)) >= 3:
                out.append("[h%d %s]" % (min(len(m.group(1)) + 1, 6), escape(m.group(2))))
                out.append("")
            i += 1
        elif stripped.startswith("- "):
            flush()
            while i < len(lines) and lines[i].strip().startswith("- "):
                out.append("* " + escape(lines[i].strip()[2:]))
                i += 1
            out.append("")
        elif stripped.startswith("!["):
            flush()
            i += 1
        elif stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                row = cells(lines[i])
                if not all(re.fullmatch(r":?-+:?", c) for c in row):
                    rows.append(row)
                i += 1
            out.append("[table")
            for row in rows:
                out.append("".join("[" + escape(c) + "]" for c in row).join(["[", "]"]))
            out.append("]")
            out.append("")
        else:
            para.append(stripped)
            i += 1
    flush()
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: md2qbk.py REPORT.md OUTDIR NAME\n")
        return 2
    report, outdir, name = argv[1:]
    with open(report, encoding="utf-8") as f:
        lines = f.readlines()
    parts = [(name, [])]
    for line in lines:
        m = re.match(r"## (.*)", line)
        if m:
            part = re.sub(r"[^a-z0-9]+", "_", m.group(1).lower()).strip("_")
            parts.append(("%s-%s" % (name, part), [line]))
        else:
            parts[-1][1].append(line)
    os.makedirs(outdir, exist_ok=True)
    seen = set()
    for part, body in parts:
        if part in seen:
            sys.stderr.write("error: %s: two sections make %s.qbk\n" % (report, part))
            return 1
        seen.add(part)
        header = "[/ Generated from %s by md2qbk.py: do not edit. ]\n\n" % os.path.basename(report)
        with open(os.path.join(outdir, part + ".qbk"), "w", encoding="utf-8") as f:
            f.write(header + convert(body))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
