#!/usr/bin/env bash
# The footprint figures of issue 22 for one distribution layout and runtime, medians of RUNS runs (min..max):
#   - built-in default (`bin/outrider run`, no -c): start to first event (wall and CPU seconds), VmRSS after IDLE s;
#   - file -> sshd -> http (a 1,000-line log, a loopback receiver, shipped delivery settings): VmRSS IDLE s after the
#     receiver got the 1,000 events;
#   - for each N of BURSTS, file -> sshd -> buffer -> http over N generated lines (bench/e2e-throughput.sh's settings):
#     events/s including start, peak RSS (VmHWM), VmRSS 20 s and 60 s after the last event arrived.
# usage: bench/footprint.sh [DIST_DIR]          (DIST_DIR: default distribution/target/outrider)
#   RUNS=3 IDLE=20 BURSTS="1000000 5000000"     (BURSTS="" skips the bursts, IDLE=0 the idle scenarios)
#   JAVA_HOME=DIR   the runtime bin/outrider uses (unset: the layout's jre/ if any, else java on the PATH)
#   NMT=1           also prints, once per scenario (a burst's 60 s after it), `jcmd PID VM.native_memory summary` with the
#                   compilers' arena peak and what is resident outside NMT's accounting, and the loaded classes per
#                   class loader (-XX:NativeMemoryTracking=summary costs about 1-2 MB of its own: not in the RSS rows)
#   OPTS="..."      added to the launcher's flags (OUTRIDER_EXTRA_JAVA_OPTS), to compare variants
# Runs one agent at a time; RSS is reliable on a busy machine, timings only roughly.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$ROOT/distribution/target/outrider}
RUNS=${RUNS:-3}; IDLE=${IDLE:-20}; BURSTS=${BURSTS-1000000 5000000}; SEED=42
GEN_DIR=${GEN_DIR:-/tmp/outrider-footprint}
W=$(mktemp -d)
AGENT=""; SINK=""
cleanup() {
  [ -n "$AGENT" ] && kill -9 "$AGENT" 2>/dev/null || true
  [ -n "$SINK" ] && kill "$SINK" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$GEN_DIR"
bash "$ROOT/bench/install-step.sh" "$DIST"   # as an operator's install does
CLK=$(getconf CLK_TCK)
cpu() { awk -v t="$CLK" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
anon() { awk '/^RssAnon/ { print $2 }' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
now() { date +%s.%N; }
# median (min..max) of the numbers on stdin; SCALE divides them (1024: KiB -> MiB)
stats() { sort -g | awk -v s="${1:-1}" -v f="${2:-%.1f}" '{ v[NR] = $1 / s } END {
  if (NR == 0) { print "n/a"; exit }
  printf f " (" f ".." f ")", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
log_of() { # N -> a generated auth log of N lines (made once)
  local f="$GEN_DIR/gen-auth-$1-$SEED.log"
  if [ ! -s "$f" ]; then python3 "$ROOT/bench/gen-auth-log.py" -n "$1" --seed "$SEED" -o "$f.tmp"; mv "$f.tmp" "$f"; fi
  echo "$f"
}
nmt() { # PID LABEL
  [ -n "${NMT:-}" ] || return 0
  local jcmd exe
  exe=$(readlink -f "/proc/$1/exe")
  jcmd=$(dirname "$exe")/jcmd
  [ -x "$jcmd" ] || jcmd=${JCMD:-jcmd}
  echo "--- NMT, $2 ($("$exe" -version 2>&1 | head -1)) ---"
  "$jcmd" "$1" VM.native_memory summary > "$W/nmt"
  grep -E '^(Total|-  *[A-Z][A-Za-z ]*\(reserved)' "$W/nmt" | sed -E 's/^-? *//; s/ +\(/ (/'
  # the compilers' arenas are freed after each compilation, but their peak counts in VmHWM (C2: up to 18 MB)
  awk '/^- *Compiler \(/ { c = 1; next } c && /arena=/ { print "Compiler arenas: " $0; exit } /^- / { c = 0 }' "$W/nmt" | tr -s ' '
  awk -v rss="$(rss "$1")" '/^Total:/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); printf "VmRSS %d KiB - NMT committed %d KiB = %d KiB (glibc malloc of SQLite and zlib, libjvm.so, jars; less what is committed, not yet touched)\n", rss, $0, rss - $0 }' "$W/nmt"
  echo "--- classes per loader, $2 ---"
  "$jcmd" "$1" VM.classloader_stats | awk 'NR > 1 && $1 ~ /^0x/ { n = $NF == "loader>" ? "<boot loader>" : $NF; c[n] += $4 }
    END { for (k in c) printf "%6d %s\n", c[k], k }' | sort -rn
  "$jcmd" "$1" VM.classloader_stats | tail -2
}
start_agent() { # CONFIG-OR-EMPTY -> AGENT pid, stdout in $W/out
  local data; data=$(mktemp -d "$W/data.XXXX")
  : > "$W/out"
  if [ -n "$1" ]; then
    OUTRIDER_DATA_DIR="$data" OUTRIDER_EXTRA_JAVA_OPTS="${OPTS:-} ${NMT:+-XX:NativeMemoryTracking=summary}" \
      "$DIST/bin/outrider" run -c "$1" > "$W/out" 2> "$W/err" &
  else
    OUTRIDER_DATA_DIR="$data" OUTRIDER_EXTRA_JAVA_OPTS="${OPTS:-} ${NMT:+-XX:NativeMemoryTracking=summary}" \
      "$DIST/bin/outrider" run > "$W/out" 2> "$W/err" &
  fi
  AGENT=$!
}
stop_agent() { kill -TERM "$AGENT" 2>/dev/null || true; wait "$AGENT" 2>/dev/null || true; AGENT=""; }
start_sink() { # N -> SINK pid, port in $W/sink/port
  rm -rf "$W/sink"; mkdir -p "$W/sink"
  python3 "$ROOT/bench/ndjson-sink.py" "$1" "$W/sink" & SINK=$!
  for _ in $(seq 300); do [ -s "$W/sink/port" ] && break; sleep 0.1; done
  [ -s "$W/sink/port" ] || { echo "the loopback receiver did not start within 30 s"; exit 1; }
}
stop_sink() { kill "$SINK" 2>/dev/null || true; wait "$SINK" 2>/dev/null || true; SINK=""; }
http_config() { # LOG [DEFAULTS] -> $W/http.yaml (bench/e2e-throughput.sh's pipeline; DEFAULTS: shipped delivery settings)
  cat > "$W/http.yaml" <<YAML
agent: { shutdown_timeout: 5s }
pipelines:
  ssh:
    inputs:
      auth: { type: file, paths: ["$1"], read_from: beginning }
    parsers:
      sshd: { type: sshd }
    outputs:
      collector:
        type: http
        format: ndjson
        endpoint: http://127.0.0.1:$(cat "$W/sink/port")/ingest
        delivery: { max_events: 2000, max_bytes: 4MiB, max_wait: 200ms }  # tuned
        max_body_size: 4MiB  # tuned: 2,000 events are about 1.3MB of NDJSON, above the 1MiB default
YAML
  [ -z "${2:-}" ] || sed -i '/# tuned/d' "$W/http.yaml"
}

runtime=$( ( [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 || { [ -x "$DIST/jre/bin/java" ] && "$DIST/jre/bin/java" -version 2>&1; } || java -version 2>&1 ) | head -1)
echo "footprint of $DIST on $runtime; ${OPTS:+extra flags: $OPTS; }$RUNS runs, $IDLE s idle; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$IDLE" != 0 ]; then
# 1. built-in default: start to first event, idle RSS
: > "$W/first"; : > "$W/first_cpu"; : > "$W/idle_default"; : > "$W/anon_default"
for run in $(seq "$RUNS"); do
  t0=$(now); start_agent ""
  until [ -s "$W/out" ]; do kill -0 "$AGENT" 2>/dev/null || { cat "$W/err"; exit 1; }; sleep 0.01; done
  t1=$(now); c=$(cpu "$AGENT")
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >> "$W/first"; echo "$c" >> "$W/first_cpu"
  sleep "$IDLE"; rss "$AGENT" >> "$W/idle_default"; anon "$AGENT" >> "$W/anon_default"
  [ "$run" = 1 ] && nmt "$AGENT" "built-in default, idle"
  stop_agent
done
echo "built-in default: start to first event $(stats 1 %.2f < "$W/first") s, $(stats 1 %.2f < "$W/first_cpu") CPU s; idle RSS $(stats 1024 < "$W/idle_default") MiB (anonymous $(stats 1024 < "$W/anon_default"))"

# 2. file -> sshd -> http with the shipped delivery settings, idle after 1,000 lines
small=$(log_of 1000)
: > "$W/idle_http"; : > "$W/anon_http"
for run in $(seq "$RUNS"); do
  start_sink 1000; http_config "$small" defaults; start_agent "$W/http.yaml"
  waited=0
  until [ -s "$W/sink/done" ]; do
    [ "$waited" -lt 1200 ] && kill -0 "$AGENT" 2>/dev/null || { echo "file->sshd->http: the receiver got no 1,000 events in 120 s"; tail "$W/err"; exit 1; }
    sleep 0.1; waited=$((waited + 1))
  done
  sleep "$IDLE"
  rss "$AGENT" >> "$W/idle_http"; anon "$AGENT" >> "$W/anon_http"
  [ "$run" = 1 ] && nmt "$AGENT" "file -> sshd -> http, idle"
  stop_agent; stop_sink
done
echo "file->sshd->http: idle RSS $(stats 1024 < "$W/idle_http") MiB (anonymous $(stats 1024 < "$W/anon_http"))"
fi

# 3. bursts
for n in $BURSTS; do
  big=$(log_of "$n")
  : > "$W/eps"; : > "$W/peak"; : > "$W/after20"; : > "$W/after60"
  for run in $(seq "$RUNS"); do
    start_sink "$n"; http_config "$big"
    t0=$(now); start_agent "$W/http.yaml"
    while [ ! -s "$W/sink/done" ]; do kill -0 "$AGENT" 2>/dev/null || { tail "$W/err"; exit 1; }; sleep 0.2; done
    read -r t1 _ _ < "$W/sink/done"
    awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }' >> "$W/eps"
    hwm "$AGENT" >> "$W/peak"
    sleep 20; rss "$AGENT" >> "$W/after20"
    sleep 40; rss "$AGENT" >> "$W/after60"
    [ "$run" = 1 ] && nmt "$AGENT" "60 s after a burst of $n lines"
    stop_agent; stop_sink
  done
  echo "burst $n lines: $(stats 1 %.0f < "$W/eps") events/s incl. start; peak RSS $(stats 1024 < "$W/peak") MiB; RSS 20 s after $(stats 1024 < "$W/after20") MiB, 60 s after $(stats 1024 < "$W/after60") MiB"
done
