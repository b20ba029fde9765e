#!/usr/bin/env bash
# The memory floor under the agent (issue 22's idle RSS targets), on the Java the plain layout runs on, with the
# launcher's own flags and glibc settings, each VmRSS IDLE s after the process is ready, medians (min..max) of RUNS:
#   1. a JVM that does nothing (bench/floor/JvmFloor.java with no parts);
#   2. the same JVM using one library the agent starts with, as the agent does, then doing nothing: picocli,
#      SnakeYAML, Guice (production stage, explicit bindings), sqlite-jdbc (a WAL database); then all four and a
#      scheduled thread;
#   3. the agent's built-in default (`bin/outrider run`), with the archive the install step makes.
# Each of 1 and 2 runs with a static class-data sharing archive of the classes a training run loaded, as the agent has.
# What 2 adds to 1 is what the chosen libraries cost before the agent does anything; 3 minus 2 is the agent's own.
# usage: bench/jvm-floor.sh [DIST_DIR]          (DIST_DIR: default distribution/target/outrider, built when missing;
#                                               the plain layout)
#   RUNS=3 IDLE=20
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$ROOT/distribution/target/outrider}
RUNS=${RUNS:-3}; IDLE=${IDLE:-20}
[ -x "$DIST/bin/outrider" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
if [ -d "$DIST/jre" ]; then
  echo "bench/jvm-floor.sh measures the plain layout on a system Java; $DIST bundles its own runtime" >&2
  exit 2
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
W=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
bash "$ROOT/bench/install-step.sh" "$DIST"   # as an operator's install does

# the launcher's flags without its archive (each case below has its own), and its glibc arena cap
FLAGS=$(OUTRIDER_PRINT_JAVA_OPTIONS=1 "$DIST/bin/outrider" run | sed -E 's/ -XX:SharedArchiveFile=[^ ]*| -Xlog:cds(\+dynamic)?=off//g')
export MALLOC_ARENA_MAX=2
NATIVE="$DIST/lib/native/Linux-$(uname -m)"
SQLITE_OPTS=""
[ -f "$NATIVE/libsqlitejdbc.so" ] && SQLITE_OPTS="-Dorg.sqlite.lib.path=$NATIVE -Dorg.sqlite.lib.name=libsqlitejdbc.so"
CP="$W/floor.jar"   # a jar: class-data sharing takes no directories on the class path
for jar in "$DIST"/lib/*.jar; do CP="$CP:$jar"; done
mkdir -p "$W/classes" "$W/db"
"$JAVAC" -d "$W/classes" -cp "$CP" --release 17 "$ROOT/bench/floor/JvmFloor.java"
"${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf "$W/floor.jar" -C "$W/classes" .
CONFIG="$DIST/config/outrider.yaml"

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
stats() { sort -g | awk '{ v[NR] = $1 / 1024 } END { printf "%.1f (%.1f..%.1f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
measure() { # NAME COMMAND... -> one RSS per run in $W/NAME; ready when the command printed a line
  local name=$1; shift
  : > "$W/$name"
  for _ in $(seq "$RUNS"); do
    : > "$W/out"
    "$@" > "$W/out" 2> "$W/err" & PID=$!
    local waited=0
    until [ -s "$W/out" ]; do
      kill -0 "$PID" 2>/dev/null && [ "$waited" -lt 600 ] || { echo "$name: not ready in 60 s"; cat "$W/err"; exit 1; }
      sleep 0.1; waited=$((waited + 1))
    done
    sleep "$IDLE"; rss "$PID" >> "$W/$name"
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  done
}

floor() { # NAME PARTS: a static archive of what PARTS load (as bin/make-cds-archive makes the agent's), then RUNS
  # shellcheck disable=SC2086
  "$JAVA" $FLAGS $SQLITE_OPTS -XX:DumpLoadedClassList="$W/$1.classlist" -cp "$CP" JvmFloor "$2" "$CONFIG" "$W/db" train > /dev/null
  # shellcheck disable=SC2086
  "$JAVA" $FLAGS -Xshare:dump -XX:SharedClassListFile="$W/$1.classlist" -XX:SharedArchiveFile="$W/$1.jsa" -cp "$CP" > "$W/dump.log" 2>&1 \
    || { echo "$1: no archive: $(tail -1 "$W/dump.log")"; exit 1; }
  # shellcheck disable=SC2086
  measure "$1" "$JAVA" $FLAGS $SQLITE_OPTS -XX:SharedArchiveFile="$W/$1.jsa" -Xlog:cds=off -cp "$CP" JvmFloor "$2" "$CONFIG" "$W/db"
}
floor jvm none
for part in picocli yaml guice sqlite; do floor "$part" "$part"; done
floor libraries picocli,yaml,guice,sqlite,timer
# a data folder of its own per run: with a saved position the bundled sample would print nothing
# shellcheck disable=SC2016
measure agent sh -c 'OUTRIDER_DATA_DIR=$(mktemp -d "$0/agent.XXXX") exec "$1" run' "$W" "$DIST/bin/outrider"

echo "memory floor on $("$JAVA" -version 2>&1 | head -1), the launcher's flags, $RUNS runs, VmRSS $IDLE s after ready (MiB):"
echo "  a JVM that does nothing                                    $(stats < "$W/jvm")"
echo "    with picocli parsing a command line                      $(stats < "$W/picocli")"
echo "    with SnakeYAML composing the shipped configuration       $(stats < "$W/yaml")"
echo "    with Guice building a production injector                $(stats < "$W/guice")"
echo "    with sqlite-jdbc writing to a WAL database               $(stats < "$W/sqlite")"
echo "    with all four and a timer thread                         $(stats < "$W/libraries")"
echo "  the agent's built-in default (bin/outrider run)            $(stats < "$W/agent")"
