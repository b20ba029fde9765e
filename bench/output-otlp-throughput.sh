#!/usr/bin/env bash
# Events/s of the otlp output (protobuf, json; with and without gzip) to a loopback OTLP/HTTP receiver that decodes
# every request with the official proto classes.
# Usage: bench/output-otlp-throughput.sh [seconds-per-case (5)] [batch-size (500)]
set -euo pipefail
cd "$(dirname "$0")/.."
module=output-otlp
mvn -q -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
classpath="$module/target/classes:$module/target/test-classes:$(cat "$module/target/bench.classpath")"
exec java -Xmx512m -Djava.util.logging.config.file=/dev/null -cp "$classpath" io.outrider.plugin.otlp.OtlpThroughputBenchmark "$@"
