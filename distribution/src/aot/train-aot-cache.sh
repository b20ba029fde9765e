#!/bin/sh
# Package time only (distribution/pom.xml, not shipped): makes LAYOUT/lib/outrider.aot, the AOT cache of a layout whose
# jre/ is Java 25 or newer (JEP 483/514/515), from a training run of the agent through its own launcher (so the cache
# is made with the flags it will be used with) on the built-in default pipeline: start-up, plugin loading, the
# file input, both parsers, the buffer and the console output. The run stops SECONDS after its first event; the JVM
# writes the cache as it exits.
#   train-aot-cache.sh LAYOUT [SECONDS]
set -eu
LAYOUT=$1
SETTLE=${2:-5}
CACHE=$LAYOUT/lib/outrider.aot
WORK=$(mktemp -d)
AGENT=
trap '[ -n "$AGENT" ] && kill -9 "$AGENT" 2>/dev/null; rm -rf "$WORK"' EXIT
rm -f "$CACHE"
# the bundled runtime, not a JAVA_HOME of the build; the data directory and the configuration are the run's own
env -u JAVA_HOME -u OUTRIDER_JAVA_OPTS -u OUTRIDER_CONFIG OUTRIDER_DATA_DIR="$WORK/data" \
  OUTRIDER_EXTRA_JAVA_OPTS="-XX:AOTCacheOutput=$CACHE" \
  sh "$LAYOUT/bin/outrider" run > "$WORK/out" 2> "$WORK/err" &
AGENT=$!
waited=0
until [ -s "$WORK/out" ]; do
  if ! kill -0 "$AGENT" 2>/dev/null || [ "$waited" -ge 600 ]; then
    echo "train-aot-cache: the training run made no event within 60 s:" >&2
    cat "$WORK/err" >&2
    exit 1
  fi
  sleep 0.1
  waited=$((waited + 1))
done
sleep "$SETTLE"
kill -TERM "$AGENT"
status=0
wait "$AGENT" || status=$?
AGENT=
if [ "$status" != 0 ] || [ ! -s "$CACHE" ]; then
  echo "train-aot-cache: the training run exited with $status and made no $CACHE:" >&2
  cat "$WORK/err" >&2
  exit 1
fi
echo "train-aot-cache: $CACHE, $(($(wc -c < "$CACHE") / 1024)) KiB"
