#!/usr/bin/env bash
# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
# Runs a folder made by bench/bundle: the machine, then every table, on
# stdout (markdown). See bench/bundle for the environment it reads.
cd "$(dirname "$0")" || exit 1
T=${THREADS:-1,2,4,8,12,16}
echo "# Scaling run"
echo
echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), Linux $(uname -r)"
echo "- commit: $(cat commit.txt 2>/dev/null || echo unknown); date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- command: THREADS=$T ROUNDS=${ROUNDS:-3} MS=${MS:-150} PARTS=\"${PARTS:-R B E}\" ./run.sh"
S=./scaling
if LD_LIBRARY_PATH=. timeout 10 ./scaling_tbb --bad-option >/dev/null 2>&1; [ $? -eq 2 ]; then
  S="env LD_LIBRARY_PATH=. ./scaling_tbb"
else
  echo "- oneTBB did not load here: the tables have no oneTBB contender"
fi
status=0
for part in ${PARTS:-R B E}; do
  $S --threads "$T" --rounds "${ROUNDS:-3}" --ms "${MS:-150}" --only "$part" || status=1
done
# Where the executor's transactions conflict, in a run of its own (recording
# costs a little on every restart, so not in the throughput tables above).
[ -n "${SITES:-}" ] && { $S --threads "$T" --rounds 1 --only E --sites || status=1; }
[ -n "${WAKEUPS:-}" ] && { ./pool_wakeups --quick || status=1; }
[ -n "${LIGHT:-}" ] && { ./light_load --workers "$(nproc)" --quick || status=1; }
[ -n "${PEERS:-}" ] && { ./peers --quick --threads "$(nproc)" || status=1; }
[ -n "${CORE:-}" ] && { ./core --quick || status=1; ./one_thread --quick || status=1; }
exit $status
