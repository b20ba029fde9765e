#!/usr/bin/env bash
# Heap allocation per event, per thread, over bench/e2e-throughput.sh's pipeline (file -> sshd -> buffer -> http
# ndjson, shipped delivery settings): the agent runs with a JFR recording, and JFR's exact per-thread totals
# (jdk.ThreadAllocationStatistics, read at the end of the recording) are divided by the events delivered. The top
# allocation sites come from JFR's sampled allocations (jdk.ObjectAllocationSample, weighted), the frame named being
# the agent's own frame nearest to the allocation.
# usage: N=1000000 bash bench/alloc-per-event.sh          DIST=DIR another built distribution; TOP=12 sites per thread
# Allocation, not speed: the recording costs some CPU, so the events/s line it prints is not a throughput figure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000000}; TOP=${TOP:-12}
W=${W:-/tmp/outrider-bench/alloc}
mkdir -p "$(dirname "$W")"
JFR_FILE=/tmp/outrider-bench/alloc-$$.jfr
command -v jfr >/dev/null || { echo "alloc-per-event: the JDK's jfr tool is not on PATH" >&2; exit 1; }
rm -f "$JFR_FILE"
# per-thread totals every second (the busy threads end before the recording's last chunk) and sampled allocations
cat > "$W.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="outrider alloc-per-event">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">300/s</setting><setting name="stackTrace">true</setting></event>
</configuration>
JFC
# the recording is written when the agent stops (e2e-throughput.sh sends SIGTERM after its idle wait)
OUTRIDER_EXTRA_JAVA_OPTS="${OUTRIDER_EXTRA_JAVA_OPTS:-} -XX:StartFlightRecording=dumponexit=true,filename=$JFR_FILE,settings=$W.jfc" \
    N=$N DEFAULTS=1 AFTER_S=${AFTER_S:-2} W=$W bash "$ROOT/bench/e2e-throughput.sh" | grep '^outrider'
[ -s "$JFR_FILE" ] || { echo "alloc-per-event: the agent wrote no recording to $JFR_FILE" >&2; exit 1; }
jfr print --json --events jdk.ThreadAllocationStatistics "$JFR_FILE" > "$W/threads.json"
jfr print --json --stack-depth 64 --events jdk.ObjectAllocationSample "$JFR_FILE" > "$W/samples.json"
rm -f "$JFR_FILE"
python3 - "$W/threads.json" "$W/samples.json" "$N" "$TOP" <<'EOF'
import collections, json, re, sys
threads_file, samples_file, n, top = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def events(path):
    return json.load(open(path))["recording"]["events"]

def group(name):
    # numbered threads of one kind (the http client's, the JIT's) count together
    return re.sub(r"[-#]?\d+$", "-N", name or "?")

allocated = {}
for event in events(threads_file):
    thread = event["values"]["thread"]
    key = (thread.get("javaThreadId"), thread.get("javaName") or thread.get("osName"))
    allocated[key] = max(allocated.get(key, 0), event["values"]["allocated"])
per_group = collections.Counter()
for (_, name), total in allocated.items():
    per_group[group(name)] += total
total = sum(per_group.values())
print(f"heap allocated over {n} events: {total / 1e6:.0f} MB, {total / n:.0f} bytes per event")
for name, value in per_group.most_common():
    if value / n >= 1:
        print(f"  {value / n:8.0f} B/event  {name}")

sites = collections.defaultdict(collections.Counter)
for event in events(samples_file):
    values = event["values"]
    thread = group((values.get("eventThread") or {}).get("javaName"))
    frames = (values.get("stackTrace") or {}).get("frames") or []
    names = [(f["method"]["type"]["name"].replace("/", "."), f["method"]["name"]) for f in frames]
    own = next((name for name in names if name[0].startswith("io.outrider")), names[0] if names else None)
    where = re.sub(r"\$\$Lambda.*", "$$Lambda", f"{own[0]}.{own[1]}") if own else "?"
    sites[thread][where + " -> " + values["objectClass"]["name"].replace("/", ".")] += values["weight"]
for name, _ in per_group.most_common(3):
    weights = sites.get(name)
    if not weights:
        continue
    sampled = sum(weights.values())
    print(f"where {name} allocates (sampled, share of its sampled bytes):")
    for site, weight in weights.most_common(top):
        print(f"  {100 * weight / sampled:5.1f} %  {site}")
EOF
