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
"""

import argparse
import os
import re
import shutil
import sys
import tempfile

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
    "task": "threads", "thread": "threads", "thread_pool": "threads",
    "executor": "executors", "future": "executors", "then": "executors",
    "coroutine": "executors", "map_result": "executors", "wait": "executors",
    "thread_pool_executor": "executors", "fiber_executor": "executors",
    "asio": "executors", "mpi_executor": "executors",
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


def layer_of(path):
    """The layer of a file, or None (the umbrella header); raises on a file
    that no rule places."""
    if path == UMBRELLA:
        return None
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


def graph(root):
    """(files with their layers, include edges between library files)."""
    files = library_files(root)
    known = set(files)
    layers = {f: layer_of(f) for f in files}
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
    a = ap.parse_args()
    if a.self_test:
        return self_test(a.root)
    if a.qbk or a.dot:
        layers, edges = graph(a.root)
        if a.qbk:
            write_qbk(layers, edges, a.qbk)
        if a.dot:
            write_dot(layers, edges, a.dot)
        return check(a.root) if a.check else 0
    return check(a.root)


if __name__ == "__main__":
    sys.exit(main())
