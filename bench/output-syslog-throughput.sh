#!/usr/bin/env bash
# Outrider output-syslog: events/s from the syslog output (RFC 5424, TCP, octet counting, all fields as structured
# data) into a real rsyslogd on loopback (imtcp -> omfile), counted when rsyslog has written every message.
# usage: N=1000000 BATCH=1000 WARMUP=100000 bash bench/output-syslog-throughput.sh
# Needs rsyslogd (Debian package rsyslog); installed with apt-get when missing and running as root.
set -euo pipefail
N=${N:-1000000}; BATCH=${BATCH:-1000}; WARMUP=${WARMUP:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODULE=$ROOT/output-syslog

if ! command -v rsyslogd >/dev/null && [ ! -x /usr/sbin/rsyslogd ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rsyslog >/dev/null
  else echo "output-syslog throughput: rsyslogd missing; install the Debian package rsyslog" >&2; exit 1; fi
fi

# through the reactor (-am), so that the SPI and the toolkit come from this tree, not from ~/.m2; output-syslog is
# built last and leaves its own class path in the file
CP_FILE=$MODULE/target/bench-classpath.txt
mvn -q -f "$ROOT/pom.xml" -pl output-syslog -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
exec java -Xms1g -Xmx2g -cp "$MODULE/target/classes:$MODULE/target/test-classes:$(cat "$CP_FILE")" \
  io.outrider.plugin.syslog.SyslogThroughputBenchmark "$N" "$BATCH" "$WARMUP"
