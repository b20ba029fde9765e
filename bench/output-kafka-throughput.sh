#!/usr/bin/env bash
# Events/s of the kafka output into a real single-node Kafka broker (KRaft, child JVM on 127.0.0.1, as in the
# tests), acks=all + idempotent producer, for json/ecs and several compression codecs.
# Usage: bench/output-kafka-throughput.sh [seconds-per-case (10)] [batch-size (500)]
set -euo pipefail
cd "$(dirname "$0")/.."
module=output-kafka
mvn -q -pl "$module" -am test-compile >/dev/null
classpath="$module/target/classes:$module/target/test-classes:$(cat "$module/target/kafka-broker.classpath")"
exec java -Xmx512m -Dbasedir="$module" -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$classpath" \
    io.outrider.plugin.kafka.KafkaThroughputBenchmark "$@"
