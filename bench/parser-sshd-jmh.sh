#!/usr/bin/env bash
# JMH benchmark of the sshd parser: lines/s on one thread over a generated mixed auth.log (sshd with cron, sudo, su,
# systemd-logind; from bench/gen-auth-log.py), plus the parser's event counts against the generator's ground truth.
# Wall-clock figures (JMH's) depend on what else runs on the machine; the CPU-time figures beside them are what one
# core does.
# usage: N=1000000 SEED=42 bash bench/parser-sshd-jmh.sh        (JMH_ARGS to override JMH options, e.g. "-wi 1 -i 1")
set -euo pipefail
N=${N:-1000000}; SEED=${SEED:-42}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=/tmp/outrider-bench; mkdir -p "$W"
LOG=$W/gen-auth-$N-$SEED.log; COUNTS=$LOG.counts.json

if [ ! -s "$LOG" ] || [ ! -s "$COUNTS" ]; then
  python3 "$ROOT/bench/gen-auth-log.py" -n "$N" --seed "$SEED" -o "$LOG.tmp" --counts "$COUNTS"; mv "$LOG.tmp" "$LOG"
fi

cd "$ROOT"
# in the reactor (-am): the parser compiles against plugin-support of this checkout, not an installed snapshot;
# the module built last, the parser, writes the class path file
mvn -q -pl parser-sshd -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$W/parser-sshd.cp" >/dev/null
CP="parser-sshd/target/test-classes:parser-sshd/target/classes:$(cat "$W/parser-sshd.cp")"

echo "== event counts over $LOG (generator ground truth: $COUNTS)"
java -Xmx2g -cp "$CP" io.outrider.plugin.sshd.GeneratedLogCounts "$LOG" "$COUNTS"

echo "== lines per CPU-second of the parsing thread (fair on a shared machine; wall-clock beside it)"
java -Xms3g -Xmx3g -cp "$CP" io.outrider.plugin.sshd.SshdParserThroughput "$LOG" 8

echo "== JMH: SshdParserBenchmark (parseEvent: parser alone; buildAndParseLine: with the input event), 1 thread"
# shellcheck disable=SC2086
java -cp "$CP" org.openjdk.jmh.Main 'SshdParserBenchmark' -p log="$LOG" -rf json -rff "$W/parser-sshd-jmh.json" ${JMH_ARGS:-}
python3 - "$W/parser-sshd-jmh.json" "$N" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1])):
    r = result["primaryMetric"]
    print("parser-sshd %s: %.0f lines/s (+- %.0f, 99.9%% CI) on one thread over %s generated lines"
          % (result["benchmark"].rsplit(".", 1)[1], r["score"], r["scoreError"], sys.argv[2]))
PY
