#!/usr/bin/env bash
# Benchmark of the file input (input-file module), run from anywhere:
#   SIZE_MB=1000 IDLE_S=60 RUNS=3 bash bench/input-file-throughput.sh
# 1. read throughput of a ~1 GB realistic auth.log from page cache (MB/s, lines/s) next to `wc -l` on the same file;
# 2. CPU of the JVM while tailing 100 idle files for IDLE_S seconds (kernel notification mode).
# The input runs outside the agent with an emitter that commits instantly: the agent's SQLite commit is not counted.
set -euo pipefail
SIZE_MB=${SIZE_MB:-1000}; IDLE_S=${IDLE_S:-60}; RUNS=${RUNS:-3}; FILES=${FILES:-100}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(dirname "$HERE")
W=/tmp/input-file-bench; mkdir -p "$W"

# --- classpath: the module's classes and test classes (the driver lives in src/test) plus their dependencies ---
mvn -q -B -f "$ROOT/pom.xml" -pl input-file -am test-compile dependency:build-classpath -Dmdep.outputFile="$W/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="$ROOT/input-file/target/classes:$ROOT/input-file/target/test-classes:$(cat "$W/cp.txt")"
JAVA=(java -Xmx1g -cp "$CP" io.outrider.plugin.file.FileInputBenchmark)

# --- input: a realistic auth.log (bench/gen-auth-log.py), repeated up to SIZE_MB ---
BASE=/tmp/peerbench/gen-auth-1000000-42.log
if [ ! -s "$BASE" ]; then mkdir -p /tmp/peerbench; python3 "$HERE/gen-auth-log.py" -n 1000000 --seed 42 -o "$BASE.tmp"; mv "$BASE.tmp" "$BASE"; fi
BIG=$W/big-$SIZE_MB.log
if [ ! -s "$BIG" ]; then
  : > "$BIG.tmp"; while [ "$(stat -c %s "$BIG.tmp")" -lt $((SIZE_MB * 1000000)) ]; do cat "$BASE" >> "$BIG.tmp"; done; mv "$BIG.tmp" "$BIG"
fi
cat "$BIG" > /dev/null   # into the page cache
LINES=$(wc -l < "$BIG")

# --- wc -l, best of RUNS ---
best_wc=999999
for _ in $(seq "$RUNS"); do
  t0=$(date +%s.%N); wc -l "$BIG" > /dev/null; t1=$(date +%s.%N)
  best_wc=$(awk -v a="$best_wc" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
done
awk -v s="$best_wc" -v n="$LINES" -v b="$(stat -c %s "$BIG")" 'BEGIN{printf "wc -l: %d lines, %.1f MB in %.2f s = %.0f MB/s, %.0f lines/s (best of runs)\n", n, b/1e6, s, b/1e6/s, n/s}'

# --- the file input, each run a fresh JVM reading the whole file ---
for _ in $(seq "$RUNS"); do "${JAVA[@]}" throughput "$BIG" "$LINES"; done

# --- idle tailing ---
IDLE=$W/idle; rm -rf "$IDLE"; mkdir -p "$IDLE"
for i in $(seq "$FILES"); do echo "line of file $i" > "$IDLE/f$i.log"; done
"${JAVA[@]}" idle "$IDLE" "$IDLE_S"
