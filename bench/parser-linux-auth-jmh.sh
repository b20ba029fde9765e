#!/usr/bin/env bash
# JMH benchmark of the linux_auth parser: lines/s on one thread over a generated mixed auth.log (sshd with its PAM
# lines, cron, sudo, su, systemd-logind; from bench/gen-auth-log.py) with account-change and lockout lines mixed in
# by the benchmark itself. Wall-clock figures depend on what else runs on the machine.
# usage: N=1000000 SEED=42 bash bench/parser-linux-auth-jmh.sh        (JMH_ARGS to override JMH options, e.g. "-wi 1 -i 1")
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
mvn -q -pl parser-linux-auth -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$W/parser-linux-auth.cp" >/dev/null
CP="parser-linux-auth/target/test-classes:parser-linux-auth/target/classes:$(cat "$W/parser-linux-auth.cp")"

echo "== JMH: LinuxAuthParserBenchmark (parseEvent: parser alone; buildAndParseLine: with the input event), 1 thread"
# shellcheck disable=SC2086
java -cp "$CP" org.openjdk.jmh.Main 'LinuxAuthParserBenchmark' -p log="$LOG" -rf json -rff "$W/parser-linux-auth-jmh.json" ${JMH_ARGS:-}
python3 - "$W/parser-linux-auth-jmh.json" "$N" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1])):
    r = result["primaryMetric"]
    print("parser-linux-auth %s: %.0f lines/s (+- %.0f, 99.9%% CI) on one thread over %s generated lines"
          % (result["benchmark"].rsplit(".", 1)[1], r["score"], r["scoreError"], sys.argv[2]))
PY
