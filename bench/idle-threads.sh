#!/usr/bin/env bash
# Idle CPU per thread: starts each agent given, side by side, lets it settle, then prints each thread's CPU clock
# ticks over the window (/proc/PID/task/*/stat, utime + stime) and the total as a share of one core. On a virtual
# machine an idle agent's CPU is its threads' wake-ups, and what one costs follows the host's load: compare builds in
# one run, side by side, never across runs (docs/footprint.md, "Idle CPU: wake-ups").
# usage: bash bench/idle-threads.sh SECONDS "LABEL|DIST|ARGS" ...
#        e.g. bash bench/idle-threads.sh 600 "base|/tmp/base-dist|" "new|distribution/target/outrider|" \
#                                        "new-http|distribution/target/outrider|-c /tmp/http.yaml"
#        SETTLE=30 seconds between start and the window; OUTRIDER_EXTRA_JAVA_OPTS is passed on as it is
set -euo pipefail
WINDOW=${1:?usage: bash bench/idle-threads.sh SECONDS "LABEL|DIST|ARGS" ...}; shift
SETTLE=${SETTLE:-30}
W=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
CLK=$(getconf CLK_TCK)
ticks() { # PID -> "TID|NAME|TICKS" per thread
  for t in /proc/"$1"/task/*; do
    echo "${t##*/}|$(cat "$t/comm" 2>/dev/null)|$(cut -d')' -f2 "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | sort
}
pids=(); labels=()
for spec in "$@"; do
  IFS='|' read -r label dist args <<< "$spec"
  mkdir -m 700 "$W/data-$label"
  # shellcheck disable=SC2086 # ARGS are words
  OUTRIDER_DATA_DIR="$W/data-$label" "$dist/bin/outrider" run $args > "$W/$label.out" 2>&1 &
  pids+=($!); labels+=("$label")
done
sleep "$SETTLE"
for i in "${!pids[@]}"; do ticks "${pids[$i]}" > "$W/${labels[$i]}.before"; done
sleep "$WINDOW"
for i in "${!pids[@]}"; do
  ticks "${pids[$i]}" > "$W/${labels[$i]}.after"
  echo "== ${labels[$i]}: RSS $(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/${pids[$i]}/status") MiB, $WINDOW s idle"
  join -t'|' "$W/${labels[$i]}.before" "$W/${labels[$i]}.after" | awk -F'|' -v s="$WINDOW" -v hz="$CLK" '
    { d = $5 - $3; total += d; if (d > 0) printf "  %-28s %5d ticks\n", $2, d }
    END { printf "  total %d ticks = %.3f %% of a core\n", total, total / hz / s * 100 }'
  kill -TERM "${pids[$i]}" 2>/dev/null || true
done
wait
