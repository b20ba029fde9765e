#!/usr/bin/env bash
# Events/s of the http output (litesoc, lognog, ndjson, json; with and without gzip) to a loopback receiver.
# Usage: bench/output-http-throughput.sh [seconds-per-case (5)] [batch-size (500)] [litesoc-concurrency (4)]
set -euo pipefail
cd "$(dirname "$0")/.."
module=output-http
mvn -q -Dstyle.color=never -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
classpath="$module/target/classes:$module/target/test-classes:$(cat "$module/target/bench.classpath")"
exec java -Xmx512m -Djava.util.logging.config.file=/dev/null -cp "$classpath" io.outrider.plugin.http.HttpOutputThroughputBenchmark "$@"
