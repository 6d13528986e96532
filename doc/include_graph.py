#!/usr/bin/env python3
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

"""The include graph of Boost.STM, by layer (see doc/code_map.qbk).

Reads every #include of the library's own files in include/ and lib/,
gives each file its layer (by folder: detail/<layer>/ and lib/<layer>/;
a public header include/boost/stm/<name>.hpp by the table PUBLIC below),
and checks that includes only go from a layer to the same or a lower one,
so the layers form no cycle. Python 3 only, no other dependency. CTest
(test/CMakeLists.txt) and b2 (test/Jamfile) both run --check and
--self-test as the tests layers and layers_self_test.

  include_graph.py [--root DIR] --check    exit status 1 on an upward include
                                           or a cycle between layers
  include_graph.py --self-test             the check must catch an injected
                                           upward include (in a copy)
  include_graph.py --qbk FILE              the graph as a QuickBook section
                                           (doc/build.sh, for the code map)
  include_graph.py --dot FILE              the graph for Graphviz (dot -Tsvg)
  include_graph.py --svg FILE              the graph as a picture: a band per
                                           layer with its files, and arrows
                                           between layers with include counts
                                           (no Graphviz needed; doc/build.sh)
  include_graph.py --rev REV --svg FILE    the same for a commit of the
                                           repository at --root; before the
                                           files moved into folders by layer
                                           (commit a93e2b1), FLAT_LAYOUT below
                                           places them. That picture,
                                           doc/images/include_graph_before.svg:
      include_graph.py --rev a93e2b1^1 --svg doc/images/include_graph_before.svg
        --title "Boost.STM includes before the layer folders (a93e2b1^1)"
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from xml.sax.saxutils import escape

# Lowest first: a file may include files of its own layer and those before it.
LAYERS = ["core", "watchers", "containers", "threads", "executors"]

# Folders named for a layer; mpi (Boost::stm_mpi) is an executor.
FOLDER_LAYER = {layer: layer for layer in LAYERS}
FOLDER_LAYER["mpi"] = "executors"

# The public headers keep their paths (include/boost/stm/<name>.hpp), so
# their layer is listed here. A new public header must be added, or the
# check fails.
PUBLIC = {
    "atomically": "core", "tvar": "core", "errors": "core", "stats": "core",
    "version": "core",
    "watch": "watchers", "invariant": "watchers",
    "tlist": "containers", "tmap": "containers", "tset": "containers",
    "tqueue": "containers", "tmvar": "containers", "tsem": "containers",
    "broadcast_queue": "containers",
    "task": "threads", "thread": "threads", "thread_options": "threads",
    "thread_pool": "threads",
    "executor": "executors", "future": "executors", "then": "executors",
    "coroutine": "executors", "map_result": "executors", "wait": "executors",
    "thread_pool_executor": "executors", "fiber_executor": "executors",
    "asio": "executors", "mpi_executor": "executors",
}

# Where the files were before they moved into folders by layer (the parent
# of commit a93e2b1): one lib/ folder and one detail/ folder for four layers.
# Only --rev uses it, to draw that tree; files it places are marked in the
# picture as needing a grep to find.
FLAT_LAYOUT = {
    "include/boost/stm/detail/config.hpp": "core",
    "include/boost/stm/detail/ebr.hpp": "core",
    "include/boost/stm/detail/transaction.hpp": "core",
    "include/boost/stm/detail/tvar_base.hpp": "core",
    "include/boost/stm/detail/watcher_base.hpp": "core",
    "include/boost/stm/detail/persistent_tree.hpp": "containers",
    "include/boost/stm/detail/release_chain.hpp": "containers",
    "include/boost/stm/detail/future_state.hpp": "executors",
    "include/boost/stm/detail/job.hpp": "executors",
    "lib/ebr.cpp": "core", "lib/fiber_wait.cpp": "core", "lib/internal.hpp": "core",
    "lib/stats.cpp": "core", "lib/transaction.cpp": "core", "lib/wait.cpp": "core",
    "lib/watch.cpp": "watchers",
    "lib/os_thread.hpp": "threads", "lib/thread.cpp": "threads", "lib/thread_pool.cpp": "threads",
    "lib/background.cpp": "executors", "lib/background.hpp": "executors",
    "lib/fiber_executor.cpp": "executors", "lib/thread_pool_executor.cpp": "executors",
}

# <boost/stm.hpp> includes everything: above every layer, checked by nothing.
UMBRELLA = "include/boost/stm.hpp"

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def library_files(root):
    """Every .hpp/.cpp of the library, as paths relative to root."""
    out = []
    for top in ("include/boost", "lib"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".hpp", ".cpp")):
                    out.append(os.path.relpath(os.path.join(dirpath, n), root).replace(os.sep, "/"))
    return sorted(out)


def layer_of(path, flat=False):
    """The layer of a file, or None (the umbrella header); raises on a file
    that no rule places. flat: FLAT_LAYOUT places what the folders do not."""
    if path == UMBRELLA:
        return None
    if flat and path in FLAT_LAYOUT:
        return FLAT_LAYOUT[path]
    parts = path.split("/")
    if parts[0] == "lib":
        if len(parts) >= 3 and parts[1] in FOLDER_LAYER:
            return FOLDER_LAYER[parts[1]]
    elif parts[:3] == ["include", "boost", "stm"]:
        if len(parts) == 4:
            name = parts[3][:-len(".hpp")]
            if name in PUBLIC:
                return PUBLIC[name]
        elif len(parts) >= 6 and parts[3] == "detail" and parts[4] in FOLDER_LAYER:
            return FOLDER_LAYER[parts[4]]
    raise ValueError(
        "%s: no layer (put it in a layer's folder, or list a public header in PUBLIC "
        "in doc/include_graph.py)" % path)


def resolve(root, src, kind, target, known):
    """The library file an #include names, or None (not one of ours)."""
    candidates = []
    if kind == '"':
        candidates.append(os.path.normpath(os.path.join(os.path.dirname(src), target)))
        candidates.append("lib/" + target)  # lib/ is on the library's include path
    candidates.append("include/" + target)
    for c in candidates:
        c = c.replace(os.sep, "/")
        if c in known:
            return c
    return None  # (config.hpp names a missing file on purpose, to stop pre-C++17 builds)


def graph(root, flat=False):
    """(files with their layers, include edges between library files)."""
    files = library_files(root)
    known = set(files)
    layers = {f: layer_of(f, flat) for f in files}
    edges = []
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            text = fh.read()
        for kind, target in INCLUDE.findall(text):
            to = resolve(root, f, kind, target, known)
            if to is not None:
                edges.append((f, to))
    return layers, edges


def problems(layers, edges):
    """Upward includes, then cycles between layers, as messages."""
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    out = []
    between = {}
    for src, dst in edges:
        ls, ld = layers[src], layers[dst]
        if ld is None:
            out.append("%s includes %s, which includes every layer" % (src, dst))
            continue
        if ls is None or ls == ld:
            continue
        between.setdefault(ls, set()).add(ld)
        if rank[ld] > rank[ls]:
            out.append("upward include: %s (%s) includes %s (%s)" % (src, ls, dst, ld))
    # A cycle between layers (also when the order of LAYERS were changed).
    state = {}

    def visit(layer, path):
        state[layer] = "open"
        for nxt in sorted(between.get(layer, ())):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt):] + [nxt]
                out.append("cycle between layers: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[layer] = "done"

    for layer in LAYERS:
        if layer not in state:
            visit(layer, [layer])
    return out


def layer_edges(layers, edges):
    counts = {}
    for src, dst in edges:
        ls, ld = layers[src], layers[dst]
        if ls is not None and ld is not None:
            counts[(ls, ld)] = counts.get((ls, ld), 0) + 1
    return counts


def write_qbk(layers, edges, path):
    counts = layer_edges(layers, edges)
    by_file = {}
    for src, dst in edges:
        by_file.setdefault(src, []).append(dst)
    short = lambda f: f[len("include/"):] if f.startswith("include/") else f
    lines = [
        "[/ Generated by doc/include_graph.py from the #include lines of include/ and lib/:",
        "   do not edit. ]",
        "",
        "[section:include_graph The include graph]",
        "",
        "Generated when the documentation is built, by `doc/include_graph.py`, "
        "from the `#include` lines of `include/` and `lib/`; "
        "`python3 doc/include_graph.py --dot FILE` writes the same graph for Graphviz. "
        "The test `layers` (CTest, and the b2 target `test//layers`) runs its check: "
        "every include goes from a layer to the same or a lower one, so there is no "
        "cycle between layers.",
        "",
        "[table Includes between layers (number of #include lines)",
        "    [[From] [To] [Includes]]",
    ]
    for i, ls in enumerate(LAYERS):
        for ld in LAYERS[: i + 1][::-1]:
            n = counts.get((ls, ld))
            if n:
                lines.append("    [[%s] [%s] [%d]]" % (ls, ld, n))
    lines.append("]")
    lines.append("")
    lines.append("[table Files and the library files they include")
    lines.append("    [[Layer] [File] [Includes]]")
    for layer in LAYERS:
        for f in sorted(x for x in layers if layers[x] == layer):
            inc = ", ".join("`%s`" % short(d) for d in sorted(set(by_file.get(f, ()))))
            lines.append("    [[%s] [`%s`] [%s]]" % (layer, short(f), inc or "(none)"))
    lines.append("]")
    lines.append("")
    lines.append("[endsect]")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def write_dot(layers, edges, path):
    ids = {}
    out = ["// Generated by doc/include_graph.py. Render: dot -Tsvg FILE -o graph.svg",
           "digraph boost_stm_includes {", "  rankdir=BT;", "  node [shape=box, fontsize=10];"]
    for i, layer in enumerate(LAYERS):
        out.append('  subgraph cluster_%d { label="%s";' % (i, layer))
        for f in sorted(x for x in layers if layers[x] == layer):
            ids[f] = "n%d" % len(ids)
            out.append('    %s [label="%s"];' % (ids[f], f))
        out.append("  }")
    for src, dst in sorted(set(edges)):
        if src in ids and dst in ids:
            out.append("  %s -> %s;" % (ids[src], ids[dst]))
    out.append("}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


def line_counts(root, files):
    out = {}
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            out[f] = sum(1 for _ in fh)
    return out


def write_svg(root, layers, edges, path, title, flat=False):
    """A band per layer, highest on top, holding its files; on the right an
    arrow for each pair of layers with includes between them, with their
    count (an upward one in red). A file that only FLAT_LAYOUT places (its
    folder does not say its layer) has a dashed orange frame; one over 400
    lines is in red, with its length."""
    lines = line_counts(root, [f for f in layers if layers[f] is not None])
    counts = layer_edges(layers, edges)
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    char_w, box_h, gap, pad = 6.6, 18, 4, 8
    left, files_right = 110, 660
    pairs = sorted(((ls, ld) for (ls, ld) in counts if ls != ld),
                   key=lambda p: (-rank[p[0]], -rank[p[1]]))
    width = files_right + 24 + 22 * len(pairs) + 10

    def label(f):
        if f.startswith("include/boost/stm/"):
            return f[len("include/boost/stm/"):]
        return f

    # Lay out each band's boxes in rows.
    bands = []
    y = 48
    for layer in reversed(LAYERS):
        members = sorted(f for f in layers if layers[f] == layer)
        boxes, x, row = [], left + pad, 0
        for f in members:
            text = label(f) + (" (%d)" % lines[f] if lines[f] > 400 else "")
            w = len(text) * char_w + 10
            if x + w > files_right - pad and x > left + pad:
                x, row = left + pad, row + 1
            boxes.append((f, text, x, row, w))
            x += w + gap
        height = max(44, 2 * pad + (row + 1) * box_h + row * gap)  # room for the band's name
        bands.append((layer, y, height, boxes))
        y += height + 6
    total_h = y + 20 + 14 * (3 if flat else 2)
    top_of = {b[0]: b[1] for b in bands}
    bottom_of = {b[0]: b[1] + b[2] for b in bands}

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="DejaVu Sans Mono, monospace" font-size="11">' % (width, total_h),
           '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" '
           'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker>'
           '<marker id="uphead" markerWidth="8" markerHeight="8" refX="7" refY="4" '
           'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#c00"/></marker></defs>',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="13" font-weight="bold">%s</text>' % escape(title),
           '<text x="10" y="36" fill="#555">%d files, %d includes between them; on the right, '
           'includes from one layer to another</text>' % (len(lines), len(edges))]
    shade = {"core": "#eef3fb", "watchers": "#eef8f1", "containers": "#fbf6e9",
             "threads": "#f6eefb", "executors": "#fbeeee"}
    for layer, by, bh, boxes in bands:
        within = counts.get((layer, layer), 0)
        out.append('<rect x="6" y="%d" width="%d" height="%d" fill="%s" stroke="#999"/>'
                   % (by, files_right - 6, bh, shade[layer]))
        out.append('<text x="14" y="%d" font-size="13" font-weight="bold">%s</text>' % (by + 20, layer))
        out.append('<text x="14" y="%d" fill="#555">%d within</text>' % (by + 36, within))
        for f, text, bx, row, w in boxes:
            yy = by + pad + row * (box_h + gap)
            misplaced = flat and f in FLAT_LAYOUT
            long_file = lines[f] > 400
            style = 'stroke="#e07000" stroke-dasharray="4,2" stroke-width="1.5"' if misplaced \
                else 'stroke="#777"'
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="white" %s/>'
                       % (bx, yy, w, box_h, style))
            out.append('<text x="%.1f" y="%d"%s>%s</text>'
                       % (bx + 5, yy + 13, ' fill="#c00" font-weight="bold"' if long_file else "",
                          escape(text)))
    for k, (ls, ld) in enumerate(pairs):
        x = files_right + 24 + 22 * k
        up = rank[ld] > rank[ls]
        y1 = bottom_of[ls] - 4 if not up else top_of[ls] + 4
        y2 = top_of[ld] + 6 if not up else bottom_of[ld] - 6
        colour, head = ("#c00", "uphead") if up else ("#333", "head")
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.5" '
                   'marker-end="url(#%s)"/>' % (x, y1, x, y2, colour, head))
        out.append('<circle cx="%d" cy="%d" r="3" fill="%s"/>' % (x, y1, colour))
        out.append('<text x="%d" y="%d" fill="%s" text-anchor="middle" font-size="10">%d</text>'
                   % (x, y2 + (14 if not up else -8), colour, counts[(ls, ld)]))
    legend = ["an arrow starts at the including layer and points to the included one",
              "red: over 400 lines (length)"]
    if flat:
        legend.append("dashed orange: the folder does not say the layer")
    for i, text in enumerate(legend):
        out.append('<text x="10" y="%d" fill="#555">%s</text>' % (y + 12 + 14 * i, escape(text)))
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


def checkout(root, rev, into):
    """Extracts include/ and lib/ of commit rev of the repository at root."""
    data = subprocess.run(["git", "-C", root, "archive", "--format=tar", rev, "include", "lib"],
                          check=True, stdout=subprocess.PIPE).stdout
    with tempfile.TemporaryFile() as tmp:
        tmp.write(data)
        tmp.seek(0)
        with tarfile.open(fileobj=tmp) as tar:
            tar.extractall(into)


def check(root):
    try:
        layers, edges = graph(root)
    except ValueError as e:
        print("include_graph: %s" % e)
        return 1
    found = problems(layers, edges)
    for p in found:
        print("include_graph: %s" % p)
    if found:
        print("include_graph: %d problem(s); layers, lowest first: %s" % (len(found), ", ".join(LAYERS)))
        return 1
    counts = layer_edges(layers, edges)
    print("include_graph: %d files, %d includes, all downward or within a layer" % (len(layers), len(edges)))
    for (ls, ld), n in sorted(counts.items(), key=lambda kv: (LAYERS.index(kv[0][0]), LAYERS.index(kv[0][1]))):
        print("  %-10s -> %-10s %d" % (ls, ld, n))
    return 0


def self_test(root):
    """The check passes on the tree, and fails on a copy of it where a core
    header includes an executor header."""
    if check(root) != 0:
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for top in ("include", "lib"):
            shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
        victim = os.path.join(tmp, "include/boost/stm/detail/core/tvar_base.hpp")
        with open(victim, "a", encoding="utf-8") as fh:
            fh.write("\n#include <boost/stm/future.hpp>\n")
        print("include_graph: with an upward include injected into detail/core/tvar_base.hpp:")
        if check(tmp) == 0:
            print("include_graph: FAILED: the injected upward include was not caught")
            return 1
    print("include_graph: the injected upward include was caught")
    return 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.dirname(here), help="the checkout (default: this file's ..)")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--qbk", metavar="FILE")
    ap.add_argument("--dot", metavar="FILE")
    ap.add_argument("--svg", metavar="FILE")
    ap.add_argument("--rev", metavar="REV", help="with --svg: draw this commit instead of --root's files")
    ap.add_argument("--title", help="the picture's title")
    a = ap.parse_args()
    if a.self_test:
        return self_test(a.root)
    if a.rev:
        if not a.svg:
            ap.error("--rev needs --svg")
        with tempfile.TemporaryDirectory() as tmp:
            checkout(a.root, a.rev, tmp)
            layers, edges = graph(tmp, flat=True)
            write_svg(tmp, layers, edges, a.svg, a.title or "Boost.STM includes at %s" % a.rev,
                      flat=True)
        return 0
    if a.qbk or a.dot or a.svg:
        layers, edges = graph(a.root)
        if a.qbk:
            write_qbk(layers, edges, a.qbk)
        if a.dot:
            write_dot(layers, edges, a.dot)
        if a.svg:
            write_svg(a.root, layers, edges, a.svg, a.title or "Boost.STM includes now")
        return check(a.root) if a.check else 0
    return check(a.root)


if __name__ == "__main__":
    sys.exit(main())
