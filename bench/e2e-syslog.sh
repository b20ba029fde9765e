#!/usr/bin/env bash
# End to end into a real rsyslog: N generated sshd auth-log lines -> Outrider (file input -> sshd parser -> SQLite
# buffer -> syslog output, RFC 5424 over TCP, octet counting) -> rsyslogd (imtcp -> omfile), beside the peer path
# rsyslogd (imfile -> omfwd TCP, RFC 5424) -> the same receiving rsyslogd, in the same run. Prints one line per
# sender: events/s from start until the receiver has written every line, the sender's CPU seconds and peak RSS, and
# the receiving rsyslogd's CPU seconds (on a small machine the receiver competes with the sender for the cores).
# usage: N=1000000 bash bench/e2e-syslog.sh     (builds the distribution first when it is missing)
#        DIST=DIR runs another built distribution (A/B against an older build), W=DIR another work folder
#        SYSLOG_OPTS='sd_fields: []' adds settings to the syslog output (flow-style YAML), e.g. to send what the peer
#        sends (no structured data: the default sends every field, about 700 bytes per sshd event against 150)
#        THREADS=1 also prints the CPU seconds of the busiest agent threads and how long each waited for a core
# Needs rsyslogd (Debian package rsyslog); installed with apt-get when missing and running as root.
set -euo pipefail
N=${N:-1000000}; SEED=${SEED:-42}; TIMEOUT_S=${TIMEOUT_S:-900}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-/tmp/outrider-bench/e2e-syslog}; LOG=/tmp/outrider-bench/gen-auth-$N-$SEED.log
DIST=${DIST:-$ROOT/distribution/target/outrider}
if ! command -v rsyslogd >/dev/null && [ ! -x /usr/sbin/rsyslogd ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rsyslog >/dev/null
  else echo "e2e-syslog: rsyslogd missing; install the Debian package rsyslog" >&2; exit 1; fi
fi
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
mkdir -p /tmp/outrider-bench; rm -rf "$W"; mkdir -p "$W"
[ -x "$DIST/bin/outrider" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
[ -s "$LOG" ] || python3 "$ROOT/bench/gen-auth-log.py" -n "$N" --seed "$SEED" -o "$LOG"
CLK=$(getconf CLK_TCK)
cpu() { awk -v t="$CLK" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done' EXIT

# the receiver: one rsyslogd per sender run, so both start from an empty file and a fresh daemon
start_receiver() { # $1 = directory; sets PORT
  local dir=$1 port; port=$(free_port); mkdir -p "$dir/work"
  cat > "$dir/receiver.conf" <<CONF
global(workDirectory="$dir/work")
module(load="imtcp")
template(name="body" type="string" string="%msg%\n")
ruleset(name="keep") { action(type="omfile" file="$dir/received.log" template="body" asyncWriting="on" ioBufferSize="256k" flushOnTXEnd="off") }
input(type="imtcp" address="127.0.0.1" port="$port" ruleset="keep")
CONF
  "$RSYSLOGD" -n -f "$dir/receiver.conf" -i "$dir/receiver.pid" > /dev/null 2> "$dir/receiver.err" & RECEIVER=$!; PIDS+=($RECEIVER)
  for _ in $(seq 100); do ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port " && break; sleep 0.05; done
  PORT=$port
}
wait_for_lines() { # $1 = file, $2 = sender pid; returns when the file has N lines, or fails
  local deadline=$(( $(date +%s) + TIMEOUT_S ))
  while :; do
    local got; got=$( { wc -l < "$1"; } 2>/dev/null || echo 0)
    [ "$got" -ge "$N" ] && return 0
    kill -0 "$2" 2>/dev/null || { echo "sender died with $got of $N lines received" >&2; return 1; }
    [ "$(date +%s)" -gt "$deadline" ] && { echo "timed out with $got of $N lines received" >&2; return 1; }
    sleep 0.2
  done
}
report() { # name t0 t1 cpu peak-kB receiver-cpu
  awk -v name="$1" -v n="$N" -v t0="$2" -v t1="$3" -v cpu="$4" -v peak="$5" -v rcpu="$6" 'BEGIN {
    printf "%s: %d lines in %.2f s = %.0f lines/s (incl. start), %.1f CPU s, peak RSS %.0f MB; receiver %.1f CPU s\n", name, n, t1 - t0, n / (t1 - t0), cpu, peak / 1024, rcpu }'
}

# 1. Outrider
mkdir -p "$W/outrider"; start_receiver "$W/outrider"
cat > "$W/outrider/outrider.yaml" <<YAML
agent: { data_dir: $W/outrider/data, shutdown_timeout: 5s }
pipelines:
  ssh:
    inputs:
      auth: { type: file, paths: ["$LOG"], read_from: beginning }
    parsers:
      sshd: { type: sshd }
    outputs:
      rsyslog: { type: syslog, host: 127.0.0.1, port: $PORT, transport: tcp${SYSLOG_OPTS:+, $SYSLOG_OPTS} }
YAML
"$DIST/bin/outrider" validate -c "$W/outrider/outrider.yaml" >/dev/null
T0=$(date +%s.%N)
"$DIST/bin/outrider" run -c "$W/outrider/outrider.yaml" > "$W/outrider/agent.out" 2> "$W/outrider/agent.err" & AGENT=$!; PIDS+=($AGENT)
wait_for_lines "$W/outrider/received.log" "$AGENT" || { tail -20 "$W/outrider/agent.err"; exit 1; }
T1=$(date +%s.%N); C=$(cpu $AGENT); P=$(hwm $AGENT); R=$(cpu $RECEIVER)
if [ -n "${THREADS:-}" ]; then # CPU seconds per agent thread, busiest first, with the kernel's share (socket writes)
  # and the time it was ready to run but waited for a core (schedstat), which says whether the cores are the limit;
  # a thread's name may hold spaces ("C2 CompilerThre"): its stat is read after the name, utime and stime are $12, $13
  for t in /proc/$AGENT/task/*; do # a thread may end while it is listed: skip it, do not stop the script
    wait_ns=$(cut -d' ' -f2 "$t/schedstat" 2>/dev/null) || continue
    sed 's/.*) //' "$t/stat" 2>/dev/null | awk -v t="$CLK" -v name="$(cat "$t/comm" 2>/dev/null)" -v wait="$wait_ns" \
      '{printf "%8.2f s  %s (user %.2f, sys %.2f, waited for a core %.2f s)\n", ($12 + $13) / t, name, $12 / t, $13 / t, wait / 1e9}' || true
  done | sort -rn | head -12
fi
kill $AGENT; wait $AGENT 2>/dev/null || true
report "outrider file->sshd->buffer->syslog tcp->rsyslog" "$T0" "$T1" "$C" "$P" "$R"

# 2. rsyslog -> rsyslog
mkdir -p "$W/peer/work"; start_receiver "$W/peer"
cat > "$W/peer/sender.conf" <<CONF
global(workDirectory="$W/peer/work")
module(load="imfile" mode="inotify")
ruleset(name="fwd") { action(type="omfwd" target="127.0.0.1" port="$PORT" protocol="tcp" template="RSYSLOG_SyslogProtocol23Format" TCP_Framing="octet-counted") }
input(type="imfile" file="$LOG" tag="sshd" ruleset="fwd" freshStartTail="off")
CONF
T0=$(date +%s.%N)
"$RSYSLOGD" -n -f "$W/peer/sender.conf" -i "$W/peer/sender.pid" 2> "$W/peer/sender.err" & SENDER=$!; PIDS+=($SENDER)
wait_for_lines "$W/peer/received.log" "$SENDER" || { head -20 "$W/peer/sender.err"; exit 1; }
T1=$(date +%s.%N); C=$(cpu $SENDER); P=$(hwm $SENDER); R=$(cpu $RECEIVER); kill $SENDER; wait $SENDER 2>/dev/null || true
report "rsyslog imfile->omfwd tcp->rsyslog ($("$RSYSLOGD" -v | head -1 | awk '{print $2}'))" "$T0" "$T1" "$C" "$P" "$R"
