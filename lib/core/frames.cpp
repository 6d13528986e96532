// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Nested frames (or_else, would_block, a caught exception inside a
// transaction): what a frame wrote is rolled back to the mark taken when it
// opened, and its undo entries stay for the parent.
#include "core/internal.hpp"

#include <algorithm>

namespace boost {
namespace stm {
namespace detail {

namespace {

// A value written and then rolled back is freed only when the attempt ends:
// it may own tvars (a container's new cell) that this attempt has read, and
// the read set must stay valid until the attempt has finished with it.
void discard(transaction& tx, node_base* n) noexcept {
  try {
    tx.garbage.push_back(n);
  } catch (...) {
    delete n;
  }
}

void rollback_to(transaction& tx, const frame_mark& f) noexcept {
  while (tx.undo.size() > f.undo) {
    undo_entry u = tx.undo.back();
    tx.undo.pop_back();
    write_entry& e = tx.writes[u.index];
    if (e.boxed) discard(tx, as_node(e.value));
    e.value = u.value;
    e.frame = u.frame;
    // Back to the value it had, and to whether watchers have seen it: a
    // nested scope opened and undone inside one watcher run (would_block,
    // a caught exception) must not re-trigger that tvar's watchers, or the
    // commit's fixpoint would never settle. No scan of the write set
    // happens while such a scope is open.
    e.dirty = u.dirty;
  }
  while (tx.writes.size() > f.writes) {
    write_entry& e = tx.writes.back();
    if (e.boxed) discard(tx, as_node(e.value));
    if (!tx.windex.empty()) tx.windex.erase(e.var);
    tx.writes.pop_back();
  }
  if (tx.writes.size() <= BOOST_STM_WRITE_INDEX_AFTER) tx.windex.clear();
  tx.actions.resize(std::min(tx.actions.size(), f.actions));
  while (tx.proposals.size() > f.proposals) {
    tx.proposals.back()->release();
    tx.proposals.pop_back();
  }
}

}  // namespace

nested_scope::nested_scope(transaction& tx) noexcept
    : tx_(tx),
      parent_(tx.frame),
      mark_{tx.writes.size(), tx.undo.size(), tx.actions.size(), tx.proposals.size()} {
  tx.frame = tx.next_frame++;
}

nested_scope::~nested_scope() {
  if (done_) return;
  rollback_to(tx_, mark_);
  tx_.frame = parent_;
}

void nested_scope::commit() noexcept {
  // The frame's undo entries stay: the parent may still roll back past them.
  tx_.frame = parent_;
  done_ = true;
}

committed_view_scope::committed_view_scope(transaction& tx) : nested_(tx), tx_(tx) {
  ++tx_.committed_view;
}
committed_view_scope::~committed_view_scope() { --tx_.committed_view; }

}  // namespace detail
}  // namespace stm
}  // namespace boost
