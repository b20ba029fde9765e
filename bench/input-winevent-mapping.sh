#!/usr/bin/env bash
# Events/s through the winevent XML mapping (one core), bytes allocated per event, and heap retained per 10,000
# mapped events. Maps the larger shared corpus (4,511 events) when it is there, else the project's own fixtures.
# Usage: bench/input-winevent-mapping.sh [seconds]   (from anywhere; default 10 s of measurement after 5 s warm-up)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
module="$root/input-winevent"
corpus="${OUTRIDER_SHARED_DIR:-$root/../shared}/corpora/winevent"
[ -d "$corpus" ] || corpus=-
seconds="${1:-10}"
cd "$root"
mvn -q -f "$root/pom.xml" -pl input-winevent -am test-compile dependency:build-classpath -Dmdep.outputFile="$module/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
classpath="$module/target/classes:$module/target/test-classes:$(cat "$module/target/bench.classpath")"
# One core: the JVM sees one processor and the mapping runs on the main thread. Not pinned with taskset: on a shared
# machine that would measure the neighbours; the CPU-time figure below is the robust one.
echo "$(java -version 2>&1 | head -1)"
java -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xms512m -Xmx512m -cp "$classpath" \
    io.outrider.plugin.winevent.MappingBenchmark "$corpus" "$seconds"
