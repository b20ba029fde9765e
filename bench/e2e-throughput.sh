#!/usr/bin/env bash
# End-to-end throughput: N generated sshd auth-log lines -> file input -> sshd parser -> SQLite buffer ->
# HTTP output (ndjson) -> a loopback receiver that counts. Prints events/s, CPU seconds, peak and idle RSS.
# usage: N=1000000 bash bench/e2e-throughput.sh        (builds the distribution first when it is missing)
#        THREADS=1 also prints the CPU seconds of the busiest agent threads
#        DIST=DIR runs another built distribution (A/B against an older build), W=DIR another work folder
#        DEFAULTS=1 keeps the output's shipped settings (no max_events/max_bytes/max_wait/max_body_size tuning)
#        DELIVERY='max_events: 1500' the shipped settings but these delivery settings (YAML flow mapping entries)
#        AFTER_S=60 reads the "idle RSS" that long after the last event arrived (default 20 s; the agent's heap
#        trimmer looks every 30 s, so 60 s shows what a burst leaves behind)
set -euo pipefail
N=${N:-1000000}; SEED=${SEED:-42}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-/tmp/outrider-bench/e2e}; LOG=/tmp/outrider-bench/gen-auth-$N-$SEED.log
DIST=${DIST:-$ROOT/distribution/target/outrider}
mkdir -p /tmp/outrider-bench; rm -rf "$W"; mkdir -p "$W"
[ -x "$DIST/bin/outrider" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
bash "$ROOT/bench/install-step.sh" "$DIST"   # as an operator's install does
[ -s "$LOG" ] || python3 "$ROOT/bench/gen-auth-log.py" -n "$N" --seed "$SEED" -o "$LOG"

python3 "$ROOT/bench/ndjson-sink.py" "$N" "$W" & SINK=$!
trap 'kill $SINK 2>/dev/null || true; [ -n "${AGENT:-}" ] && kill -9 $AGENT 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")
cat > "$W/outrider.yaml" <<YAML
agent: { data_dir: $W/data, shutdown_timeout: 5s }
pipelines:
  ssh:
    inputs:
      auth: { type: file, paths: ["$LOG"], read_from: beginning }
    parsers:
      sshd: { type: sshd }
    outputs:
      collector:
        type: http
        format: ndjson
        endpoint: http://127.0.0.1:$PORT/ingest
        delivery: { max_events: 2000, max_bytes: 4MiB, max_wait: 200ms }  # tuned
        max_body_size: 4MiB  # tuned: 2,000 events are about 1.3MB of NDJSON, above the 1MiB default
YAML
[ -n "${DEFAULTS:-}" ] && sed -i '/# tuned/d' "$W/outrider.yaml"
[ -n "${DELIVERY:-}" ] && sed -i -e '/max_body_size: .*# tuned/d' -e "s/delivery: {.*} *# tuned/delivery: { $DELIVERY }/" "$W/outrider.yaml"
"$DIST/bin/outrider" validate -c "$W/outrider.yaml" >/dev/null
CLK=$(getconf CLK_TCK)
cpu() { awk -v t="$CLK" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

T0=$(date +%s.%N)
"$DIST/bin/outrider" run -c "$W/outrider.yaml" > "$W/agent.out" 2> "$W/agent.err" & AGENT=$!
while [ ! -s "$W/done" ]; do
  kill -0 $AGENT 2>/dev/null || { echo "agent died:"; tail -20 "$W/agent.err"; exit 1; }
  sleep 0.2
done
read -r T1 COUNT REQUESTS < "$W/done"
CPU=$(cpu $AGENT); PEAK=$(hwm $AGENT)
# what the agent gave the disk to write (the buffer's WAL and database, its logs; counted as pages are dirtied)
WRITTEN=$(awk '/^write_bytes/ {print $2}' "/proc/$AGENT/io")
if [ -n "${THREADS:-}" ]; then # CPU seconds per thread, busiest first
  for t in /proc/$AGENT/task/*; do # a thread may end while it is listed: skip it, do not stop the script
    awk -v t="$CLK" -v name="$(cat "$t/comm" 2>/dev/null)" '{printf "%8.2f s  %s\n", ($14 + $15) / t, name}' "$t/stat" 2>/dev/null || true
  done | sort -rn | head -12
fi
sleep "${AFTER_S:-20}"
IDLE=$(rss $AGENT)
kill $AGENT; wait $AGENT || true
awk -v n="$COUNT" -v t0="$T0" -v t1="$T1" -v cpu="$CPU" -v peak="$PEAK" -v idle="$IDLE" -v req="$REQUESTS" -v written="$WRITTEN" 'BEGIN {
  w = t1 - t0;
  printf "outrider file->sshd->buffer->http: %d events in %.2f s = %.0f events/s (incl. JVM start), %.1f CPU s (%.0f events per CPU s), %d requests, peak RSS %.0f MB, idle RSS %.0f MB, %.0f MB written to disk\n",
    n, w, n / w, cpu, n / cpu, req, peak / 1024, idle / 1024, written / 1e6 }'
