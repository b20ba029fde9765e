#!/bin/sh
# Idle RSS of the agent started from bin/outrider, per JVM flag variant, and how long `bin/outrider validate` takes.
#   bench/distribution-idle-rss.sh [DIST_DIR] [IDLE_SECONDS] [RUNS]
# DIST_DIR defaults to distribution/target/outrider (mvn -DskipTests package builds it). Each run starts
# `bin/outrider run -c config/outrider.yaml` with a fresh data dir, waits IDLE_SECONDS (default 20), reads VmRSS from
# /proc/PID/status and stops the agent with SIGTERM. Prints the median and the range over RUNS (default 3) runs.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$ROOT/distribution/target/outrider}
IDLE=${2:-20}
RUNS=${3:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OLD="-XX:+UseSerialGC -Xms8m -Xmx192m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k -XX:+ExitOnOutOfMemoryError"

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%d (%d..%d)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

measure() { # NAME OPTS
  : > "$WORK/rss"; : > "$WORK/ms"
  run=0
  while [ "$run" -lt "$RUNS" ]; do
    run=$((run + 1))
    data=$(mktemp -d "$WORK/data.XXXX")
    start=$(date +%s%N)
    OUTRIDER_DATA_DIR="$data" OUTRIDER_JAVA_OPTS="$2" "$DIST/bin/outrider" validate -c "$DIST/config/outrider.yaml" >/dev/null
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$WORK/ms"
    OUTRIDER_DATA_DIR="$data" OUTRIDER_JAVA_OPTS="$2" "$DIST/bin/outrider" run -c "$DIST/config/outrider.yaml" >"$WORK/out" 2>&1 &
    pid=$!
    sleep "$IDLE"
    awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" >> "$WORK/rss"
    kill -TERM "$pid"; wait "$pid" || true
  done
  printf '%-40s idle VmRSS KiB %s   validate ms %s\n' "$1" "$(median < "$WORK/rss")" "$(median < "$WORK/ms")"
}

# an application class-data archive for this JVM and these jars, written by one run at its exit
OUTRIDER_DATA_DIR="$WORK/cds" OUTRIDER_JAVA_OPTS="$OLD -XX:ArchiveClassesAtExit=$WORK/app.jsa" \
  "$DIST/bin/outrider" validate -c "$DIST/config/outrider.yaml" >/dev/null 2>&1
CDS="-XX:SharedArchiveFile=$WORK/app.jsa"

measure "JVM defaults (G1, heap 1/4 of RAM)" "-XX:+ExitOnOutOfMemoryError"
measure "serial GC, -Xmx192m, code cache 48m" "$OLD"
measure "  + C1 only (TieredStopAtLevel=1)" "$OLD -XX:TieredStopAtLevel=1"
measure "  + application CDS archive" "$OLD $CDS"
measure "  + C1 only + application CDS" "$OLD -XX:TieredStopAtLevel=1 $CDS"
measure "launcher default (OUTRIDER_JAVA_OPTS unset)" ""

# C1 only versus C1+C2 on CPU-bound work: `outrider parse` over 300k generated sshd lines (wall time, peak RSS)
if [ -f "$ROOT/../shared/bench/gen-sshd-log.py" ]; then
  python3 "$ROOT/../shared/bench/gen-sshd-log.py" -n 300000 -o "$WORK/sshd.log"
  for variant in "C1+C2:$OLD" "C1 only (launcher):"; do
    name=${variant%%:*}
    opts=${variant#*:}
    /usr/bin/time -f "$name: parse 300k sshd lines in %e s wall, %U s user, peak RSS %M KiB" \
      env OUTRIDER_DATA_DIR="$WORK/parse" OUTRIDER_JAVA_OPTS="$opts" "$DIST/bin/outrider" parse --parser sshd --quiet-unmatched "$WORK/sshd.log" >/dev/null
  done
fi
