#!/usr/bin/env bash
# Idle CPU of the agent tailing FILES (default 1000) files that nothing writes to, from the built distribution.
#   bash bench/input-file-idle.sh [DIST_DIR]       FILES=1000 WARMUP_S=30 IDLE_S=120
# DIST_DIR defaults to distribution/target/outrider, built with `mvn -B -q -o package -Dmaven.test.skip=true` when
# missing. The agent runs one file input over FILES files in /tmp (to the console, into /dev/null: read_from end, so it
# emits nothing), is left WARMUP_S seconds to start, then the user+system ticks of the process (/proc/PID/stat) over
# IDLE_S seconds give its share of one core. Also printed: the share of the file input's thread alone, and the busiest
# threads. The machine should be otherwise quiet; on a shared machine the figure is rough.
set -euo pipefail
FILES=${FILES:-1000}; WARMUP_S=${WARMUP_S:-30}; IDLE_S=${IDLE_S:-120}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$ROOT/distribution/target/outrider}
W=${W:-/tmp/outrider-bench/input-file-idle}
[ -x "$DIST/bin/outrider" ] || (cd "$ROOT" && mvn -B -q -o package -Dmaven.test.skip=true)
rm -rf "$W"; mkdir -p "$W/files" "$W/data"
for i in $(seq "$FILES"); do echo "line of file $i" > "$W/files/f$i.log"; done
cat > "$W/outrider.yaml" <<EOF
agent: { data_dir: $W/data, log: { level: info } }
pipelines:
  idle:
    inputs:
      idle_files: { type: file, paths: ["$W/files/*.log"] }
    outputs:
      console: { type: console, format: text }
EOF
"$DIST/bin/outrider" run -c "$W/outrider.yaml" >/dev/null 2>"$W/agent.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
sleep "$WARMUP_S"
kill -0 "$PID" 2>/dev/null || { echo "input-file-idle: the agent exited; its log:" >&2; cat "$W/agent.err" >&2; exit 1; }

HZ=$(getconf CLK_TCK)
# utime + stime: fields 14 and 15, counted after the command name, which may hold spaces ("C2 CompilerThre")
ticks() { sed 's/.*) //' "$1" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0; }
declare -A before
for task in /proc/$PID/task/*; do before[$task]=$(ticks "$task/stat"); done
total_before=$(ticks /proc/$PID/stat)
sleep "$IDLE_S"
total_after=$(ticks /proc/$PID/stat)
: > "$W/threads"
for task in /proc/$PID/task/*; do
  after=$(ticks "$task/stat")
  printf '%d %s\n' "$((after - ${before[$task]:-0}))" "$(cat "$task/comm" 2>/dev/null)" >> "$W/threads"
done

pct() { awk -v t="$1" -v hz="$HZ" -v s="$IDLE_S" 'BEGIN { printf "%.3f", 100 * t / hz / s }'; }
input_ticks=$(awk '$2 ~ /^input-/ { t += $1 } END { print t + 0 }' "$W/threads")
echo "idle CPU with $FILES tailed files over ${IDLE_S}s: $(pct $((total_after - total_before))) % of a core ($((total_after - total_before)) ticks at $HZ Hz)"
echo "  of which the file input's thread: $(pct "$input_ticks") %"
echo "  busiest threads (ticks name):"
sort -rn "$W/threads" | head -5 | sed 's/^/    /'
