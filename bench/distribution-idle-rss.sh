#!/bin/sh
# Idle RSS of the agent started from bin/outrider, per JVM flag variant, and how long `bin/outrider validate` takes.
#   bench/distribution-idle-rss.sh [DIST_DIR] [IDLE_SECONDS] [RUNS]
# DIST_DIR defaults to distribution/target/outrider (mvn -DskipTests package builds it). For each variant and RUNS
# runs (default 3), each with a fresh data dir:
#   - `bin/outrider validate -c config/outrider.yaml`, timed;
#   - `bin/outrider run -c config/outrider.yaml` (its auth log may be absent: then the agent just waits), and
#   - `bin/outrider run` without -c (the built-in default pipeline: the system auth log or the bundled sample, from the
#     beginning, through the sshd parser to the console),
#   each left idle for IDLE_SECONDS (default 20), then VmRSS from /proc/PID/status, then SIGTERM.
# Prints the median and the range (min..max) in KiB. Then, once per variant, "after load": a file input over a generated
# 300k-line sshd log to the console (into a file), until all 300k lines are out, then IDLE_SECONDS idle and VmRSS, with
# the wall time of the load and the GC count and pause total from -Xlog:gc. Last, the CPU-bound check of the compiler
# choice: `outrider parse` over 1M generated lines. Runs one agent at a time; the machine should be otherwise quiet.
# QUICK=1 measures the launcher's defaults only (about 3 minutes instead of 20).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$ROOT/distribution/target/outrider}
IDLE=${2:-20}
RUNS=${3:-3}
GEN=$ROOT/bench/gen-auth-log.py
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CONFIG=$DIST/config/outrider.yaml

# the launcher's defaults before this benchmark's last change (C1 only) and the same without the C1-only flag
BEFORE="-XX:+UseSerialGC -Xms8m -Xmx192m -XX:MaxMetaspaceSize=96m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -Xss512k -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
C2="-XX:+UseSerialGC -Xms8m -Xmx192m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
TRIM="-XX:TrimNativeHeapInterval=5000"
# glibc's own cap for 2 cores (8 per core); the launcher exports MALLOC_ARENA_MAX=2 unless it is set
GLIBC_ARENAS=$((8 * $(nproc)))

stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%d (%d..%d)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

idle_rss() { # ARENAS OPTS ARGS... -> appends VmRSS to $WORK/rss
  arenas=$1; opts=$2; shift 2
  data=$(mktemp -d "$WORK/data.XXXX")
  MALLOC_ARENA_MAX=$arenas OUTRIDER_DATA_DIR="$data" OUTRIDER_JAVA_OPTS="$opts" "$DIST/bin/outrider" "$@" >"$WORK/out" 2>&1 &
  pid=$!
  sleep "$IDLE"
  awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" >> "$WORK/rss"
  # anonymous memory is the agent's own; file-backed pages (mostly libjvm.so) move between runs for reasons outside it
  awk '/^RssAnon/ { print $2 }' "/proc/$pid/status" >> "$WORK/anon"
  awk '/^RssFile/ { print $2 }' "/proc/$pid/status" >> "$WORK/file"
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$data"
}

after_load() { # ARENAS OPTS -> "load ms, VmRSS after IDLE s, young/full GCs, pause ms"
  [ -f "$WORK/sshd300k.log" ] || { echo "n/a (no $GEN)"; return; }
  data=$(mktemp -d "$WORK/data.XXXX")
  : > "$WORK/load.out"
  start=$(date +%s%N)
  MALLOC_ARENA_MAX=$1 OUTRIDER_LOAD_FILE="$WORK/sshd300k.log" OUTRIDER_DATA_DIR="$data" OUTRIDER_JAVA_OPTS="$2" \
    OUTRIDER_EXTRA_JAVA_OPTS="-Xlog:gc:file=$WORK/gc.log" "$DIST/bin/outrider" run -c "$WORK/load.yaml" >>"$WORK/load.out" 2>/dev/null &
  pid=$!
  waited=0
  while [ "$(wc -l < "$WORK/load.out")" -lt 300000 ] && [ "$waited" -lt 1200 ]; do sleep 0.25; waited=$((waited + 1)); done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep "$IDLE"
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  printf 'load %d ms, then idle %d KiB, GCs %d young + %d full, pauses %d ms' "$ms" "$rss" \
    "$(grep -c 'Pause Young' "$WORK/gc.log")" "$(grep -c 'Pause Full' "$WORK/gc.log")" \
    "$(grep -oE '[0-9.]+ms$' "$WORK/gc.log" | tr -d ms | awk '{ s += $1 } END { printf "%d", s }')"
  rm -rf "$data"
}

measure() { # NAME ARENAS OPTS (OPTS empty: the launcher's own defaults)
  : > "$WORK/ms"
  run=0
  while [ "$run" -lt "$RUNS" ]; do
    run=$((run + 1))
    data=$(mktemp -d "$WORK/data.XXXX")
    start=$(date +%s%N)
    MALLOC_ARENA_MAX=$2 OUTRIDER_DATA_DIR="$data" OUTRIDER_JAVA_OPTS="$3" "$DIST/bin/outrider" validate -c "$CONFIG" >/dev/null
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$WORK/ms"
    rm -rf "$data"
  done
  : > "$WORK/rss"; : > "$WORK/anon"; : > "$WORK/file"; run=0
  while [ "$run" -lt "$RUNS" ]; do run=$((run + 1)); idle_rss "$2" "$3" run -c "$CONFIG"; done
  with_config="$(stats < "$WORK/rss") [RssAnon $(stats < "$WORK/anon"), RssFile $(stats < "$WORK/file")]"
  : > "$WORK/rss"; : > "$WORK/anon"; : > "$WORK/file"; run=0
  while [ "$run" -lt "$RUNS" ]; do run=$((run + 1)); idle_rss "$2" "$3" run; done
  built_in="$(stats < "$WORK/rss") [RssAnon $(stats < "$WORK/anon"), RssFile $(stats < "$WORK/file")]"
  printf '%s\n  idle VmRSS KiB, -c config/outrider.yaml: %s; built-in default: %s; validate ms %s\n  after load: %s\n' \
    "$1" "$with_config" "$built_in" "$(stats < "$WORK/ms")" "$(after_load "$2" "$3")"
}

if [ -f "$GEN" ]; then
  python3 "$GEN" -n 300000 -o "$WORK/sshd300k.log"
  cat > "$WORK/load.yaml" <<'YAML'
pipelines:
  load:
    inputs:
      big: { type: file, paths: ["${OUTRIDER_LOAD_FILE}"], read_from: beginning }
    parsers:
      sshd: { type: sshd }
    outputs:
      console: { type: console, format: text }
YAML
fi

echo "$(java -version 2>&1 | head -1), $(nproc) cores; $RUNS runs per figure, $IDLE s idle"
# the launcher's flags before the young generation went from 2.6 to 1.5 MiB
PREVIOUS="-XX:+UseSerialGC -Xms12m -XX:NewSize=2688k -Xmx192m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:CompileThresholdScaling=4 -XX:MinHeapFreeRatio=80 -XX:MaxHeapFreeRatio=95 -XX:SurvivorRatio=4 -Xss512k -XX:StringTableSize=4096 -XX:-UsePerfData -Xshare:off -XX:+ExitOnOutOfMemoryError $TRIM"
if [ -n "${QUICK:-}" ]; then # QUICK=1: the launcher's defaults and its previous flags only
  measure "launcher default (see bin/outrider)" 2 ""
  measure "  the launcher's previous flags (young generation 2.6 MiB)" 2 "$PREVIOUS"
  exit 0
fi
measure "before: C1 only (TieredStopAtLevel=1), -Xms8m, glibc arenas" "$GLIBC_ARENAS" "$BEFORE"
measure "C1+C2 (the same without TieredStopAtLevel=1, code cache 48m)" "$GLIBC_ARENAS" "$C2"
measure "  + TrimNativeHeapInterval=5000 + MALLOC_ARENA_MAX=2" 2 "$C2 $TRIM"
measure "launcher default (see bin/outrider)" 2 ""
measure "  the same with -XX:-TieredCompilation (C2 only, no C1)" 2 "$C2 $TRIM -XX:-TieredCompilation"
measure "  launcher default + NewRatio=1 (young gen as large as the old)" 2 "$C2 $TRIM -XX:CompileThresholdScaling=4 -XX:NewRatio=1"

# C1 only versus C1+C2 on CPU-bound work: `outrider parse` over 1M generated sshd lines (wall time, peak RSS)
if [ -f "$GEN" ]; then
  python3 "$GEN" -n 1000000 -o "$WORK/sshd1m.log"
  for variant in "before (C1 only):$BEFORE" "launcher default:"; do
    name=${variant%%:*}
    opts=${variant#*:}
    /usr/bin/time -f "$name: parse 1M sshd lines in %e s wall, %U s user, peak RSS %M KiB" \
      env OUTRIDER_DATA_DIR="$WORK/parse" OUTRIDER_JAVA_OPTS="$opts" "$DIST/bin/outrider" parse --parser sshd --quiet-unmatched "$WORK/sshd1m.log" 2>&1 >/dev/null | tail -1
  done
fi
