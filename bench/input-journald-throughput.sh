#!/usr/bin/env bash
# Throughput of the journald input: entries/s read from the head of a 1,000,000-entry journal (realistic sshd/cron/
# sudo/su/logind entries of 23 fields each, from bench/gen-auth-log.py), made with systemd-journal-remote from
# Journal Export Format. Prints, side by side in the same run, `journalctl -o json` and `journalctl -o export` over
# the same journal (what a journalctl-child-process design would have to read and parse).
# usage: N=1000000 SEED=42 bash bench/input-journald-throughput.sh
# needs: systemd-journal-remote (apt-get install systemd-journal-remote), python3, bc, maven; journalctl (systemd) for the peers.
set -euo pipefail
N=${N:-1000000}; SEED=${SEED:-42}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd); MODULE=$ROOT/input-journald
B=/tmp/journald-bench; J=$B/journal-gen-auth-$N-$SEED; LOG=$B/gen-auth-$N-$SEED.log
REMOTE=$(ls /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote 2>/dev/null | head -1 || true)
[ -n "$REMOTE" ] || { echo "systemd-journal-remote is missing: apt-get install systemd-journal-remote" >&2; exit 1; }
mkdir -p "$B"

# --- input: auth.log -> export format -> journal files ---
if [ ! -s "$J/done" ]; then
  rm -rf "$J"; mkdir -p "$J"
  [ -s "$LOG" ] || python3 "$ROOT/bench/gen-auth-log.py" -n "$N" --seed "$SEED" -o "$LOG"
  python3 - "$LOG" "$J/entries.export" "$J/count" <<'PY'
import re, sys, struct
line_re = re.compile(r'^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\S+) ([^\[:]+)(?:\[(\d+)\])?: (.*)$')
months = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
units = {"sshd": "ssh.service", "CRON": "cron.service", "systemd-logind": "systemd-logind.service", "sudo": "session-1.scope"}
boot = "6cb4f1a3b0e44c2fa4c6b2a1d3e5f708"; machine = "3d1219c7c4c5404aaa1f6d2a48adfda4"
base = 1763769600  # 2025-11-22T00:00:00Z
count = 0
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "wb") as out:
    for n, line in enumerate(src):
        m = line_re.match(line.rstrip("\n"))
        if not m:
            continue
        _, day, hh, mm, ss, host, ident, pid, msg = m.groups()
        secs = base + (int(day) - 22) * 86400 + int(hh) * 3600 + int(mm) * 60 + int(ss)
        usec = secs * 1_000_000 + n % 1_000_000
        pid = pid or "1"
        unit = units.get(ident, ident + ".service")
        fields = [
            ("__REALTIME_TIMESTAMP", str(usec)), ("__MONOTONIC_TIMESTAMP", str(usec - base * 1_000_000 + 5_000_000)),
            ("_BOOT_ID", boot), ("_TRANSPORT", "syslog"), ("PRIORITY", "6"), ("SYSLOG_FACILITY", "10"),
            ("SYSLOG_IDENTIFIER", ident), ("SYSLOG_PID", pid), ("SYSLOG_TIMESTAMP", line[:16]), ("MESSAGE", msg),
            ("_PID", pid), ("_UID", "0"), ("_GID", "0"), ("_COMM", ident.lower()), ("_EXE", "/usr/sbin/" + ident.lower()),
            ("_CMDLINE", ident.lower() + ": " + msg.split(" ")[0]), ("_CAP_EFFECTIVE", "1ffffffffff"),
            ("_SELINUX_CONTEXT", "unconfined"), ("_SYSTEMD_CGROUP", "/system.slice/" + unit),
            ("_SYSTEMD_UNIT", unit), ("_SYSTEMD_SLICE", "system.slice"),
            ("_SYSTEMD_INVOCATION_ID", "%032x" % (sum(map(ord, unit)) * 7919)), ("_MACHINE_ID", machine),
            ("_HOSTNAME", host), ("_SOURCE_REALTIME_TIMESTAMP", str(usec - 17)),
        ]
        out.write("".join("%s=%s\n" % kv for kv in fields).encode("utf-8") + b"\n")
        count += 1
with open(sys.argv[3], "w") as c:
    c.write("%d\n" % count)
PY
  t0=$(date +%s.%N)
  "$REMOTE" --output="$J/system.journal" "$J/entries.export" 2>"$J/remote.log" || { cat "$J/remote.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  rm -f "$J/entries.export"
  echo "made $(ls "$J"/*.journal* | wc -l) journal file(s), $(du -sh "$J" | cut -f1), in $(echo "$t1 - $t0" | bc) s" >&2
  echo ok > "$J/done"
fi
COUNT=$(cat "$J/count")

# --- build the module (no tests) and its test classpath ---
(cd "$ROOT" && mvn -B -q -pl input-journald -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$B/classpath.txt" -Dmdep.includeScope=test >/dev/null)
CP="$MODULE/target/classes:$MODULE/target/test-classes:$(cat "$B/classpath.txt")"

# --- peers: journalctl decoding the same journal ---
TIMEFORMAT='%R %U %S'
command -v journalctl >/dev/null || echo "journalctl is missing (package systemd): no peer figures" >&2
for fmt in $(command -v journalctl >/dev/null && echo json export); do
  read -r real user sys < <({ time journalctl --directory="$J" -q --all -o $fmt >/dev/null; } 2>&1)
  echo "journalctl -o $fmt: $COUNT entries in $real s wall = $(printf '%.0f' "$(echo "$COUNT / $real" | bc -l)") entries/s; CPU $(echo "$user + $sys" | bc) s = $(printf '%.0f' "$(echo "$COUNT / ($user + $sys)" | bc -l)") entries per CPU-second"
done

# --- ours ---
java -Xmx512m -cp "$CP" io.outrider.plugin.journald.JournaldThroughput "$J" "$COUNT"
