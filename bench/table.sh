#!/usr/bin/env bash
# One table of the footprint and speed figures issue 22 tracks, Outrider beside its peers measured in the same run.
# usage: bash bench/table.sh                 (N=1000000 lines; IDLE_CPU_S=600 s of idle CPU, the two idle agents side by side; FIM=1 adds the FIM rows)
#        REPEAT=3 runs each throughput measurement that many times, Outrider's and the peer's interleaved, and prints
#        the median with (min..max): one run of a 1M-line burst varies by +-10 % on a 2-core machine
#        N_BIG=5000000 the burst size of the 5M rows (N_BIG=0 leaves them out), SYSLOG=0 leaves out the syslog row,
#        DIST=DIR another built distribution; RUNTIME_DIST=DIR the with-runtime layout for its rows (default
#        distribution/target/outrider-with-runtime, which mvn package stages; RUNTIME=0 leaves them out)
# The peers' harnesses are in ../shared/bench (not redistributed); without them the peer columns read "n/a".
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000000}; SEED=${SEED:-42}; IDLE_CPU_S=${IDLE_CPU_S:-600}; IDLE_S=${IDLE_S:-20}
SHARED=${OUTRIDER_SHARED_DIR:-$ROOT/../shared}
DIST=${DIST:-$ROOT/distribution/target/outrider}; export DIST
N_BIG=${N_BIG:-5000000}
LOG=/tmp/outrider-bench/gen-auth-$N-$SEED.log
W=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
[ -x "$DIST/bin/outrider" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
bash "$ROOT/bench/install-step.sh" "$DIST"   # as an operator's install does
mkdir -p /tmp/outrider-bench
[ -s "$LOG" ] || python3 "$ROOT/bench/gen-auth-log.py" -n "$N" --seed "$SEED" -o "$LOG"
CLK=$(getconf CLK_TCK)
field() { sed -n "s|.*$1.*|\\1|p" | head -1; }   # field REGEX-with-one-group < text
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f×", a / b }'; }
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 |"); }
REPEAT=${REPEAT:-3}
med() { printf '%s\n' "$@" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
span() { printf '%s\n' "$@" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR > 1) printf " (%s..%s)", a[1], a[NR] }'; }
shown() { local m; m=$(med "$@"); echo "${m:-n/a}$(span "$@")"; }   # shown VALUES... -> "median (min..max)"

# 1. end to end: file -> sshd -> buffer -> http, tuned batches and shipped defaults; rsyslog file -> tcp on the same log
o_eps=(); d_eps=(); o_cpu=(); d_cpu=(); o_peak=(); o_idle=(); r_lps=(); r_cpu=(); r_peak=(); RS=""
for _ in $(seq "$REPEAT"); do
  E2E=$(N=$N SEED=$SEED bash "$ROOT/bench/e2e-throughput.sh" | tail -1)
  E2E_DEF=$(N=$N SEED=$SEED DEFAULTS=1 bash "$ROOT/bench/e2e-throughput.sh" | tail -1)
  [ -f "$SHARED/bench/peer-rsyslog-file-to-tcp.sh" ] && RS=$(bash "$SHARED/bench/peer-rsyslog-file-to-tcp.sh" "$LOG" 2>/dev/null | tail -1 || true)
  o_eps+=("$(echo "$E2E" | field '= \([0-9]*\) events/s')"); d_eps+=("$(echo "$E2E_DEF" | field '= \([0-9]*\) events/s')")
  o_cpu+=("$(echo "$E2E" | field ', \([0-9.]*\) CPU s')"); d_cpu+=("$(echo "$E2E_DEF" | field ', \([0-9.]*\) CPU s')")
  o_peak+=("$(echo "$E2E" | field 'peak RSS \([0-9]*\) MB')"); o_idle+=("$(echo "$E2E" | field 'idle RSS \([0-9]*\) MB')")
  r_lps+=("$(echo "$RS" | field '= \([0-9]*\) lines/s')"); r_cpu+=("$(echo "$RS" | field 'CPU \([0-9.]*\) s')"); r_peak+=("$(echo "$RS" | field 'peak RSS \([0-9.]*\) MB')")
done
row "e2e $N lines, events/s incl. start (bench batches)" "$(shown "${o_eps[@]}")" "rsyslog $(shown "${r_lps[@]}")" "$(ratio "$(med "${o_eps[@]}")" "$(med "${r_lps[@]}")")"
row "e2e $N lines, events/s incl. start (shipped defaults)" "$(shown "${d_eps[@]}")" "rsyslog $(shown "${r_lps[@]}")" "$(ratio "$(med "${d_eps[@]}")" "$(med "${r_lps[@]}")")"
row "CPU s for $N lines (bench / defaults)" "$(shown "${o_cpu[@]}") / $(shown "${d_cpu[@]}")" "rsyslog $(shown "${r_cpu[@]}")" "$(ratio "$(med "${o_cpu[@]}")" "$(med "${r_cpu[@]}")") / $(ratio "$(med "${d_cpu[@]}")" "$(med "${r_cpu[@]}")")"
row "peak RSS MB during the run (bench batches)" "$(shown "${o_peak[@]}")" "rsyslog $(shown "${r_peak[@]}")" "$(ratio "$(med "${o_peak[@]}")" "$(med "${r_peak[@]}")")"
row "RSS MB ${IDLE_S} s after the run" "$(shown "${o_idle[@]}")" "" ""

# 1b. syslog: file -> sshd -> buffer -> syslog TCP into rsyslogd, beside rsyslog -> rsyslog, same run
if [ "${SYSLOG:-1}" != 0 ]; then
  # shipped defaults (every field as RFC 5424 structured data, about 700 bytes a sshd event), then sd_fields: []
  # (about 150 bytes, what rsyslog's own forwarding sends): the receiver's work differs by 2-3 CPU s per million
  s_lps=(); s_cpu=(); sr_lps=(); sr_cpu=(); n_lps=(); n_cpu=(); nr_lps=()
  for _ in $(seq "$REPEAT"); do
    SY=$(N=$N SEED=$SEED bash "$ROOT/bench/e2e-syslog.sh" 2>/dev/null || true)
    s_out=$(echo "$SY" | grep '^outrider' | head -1); s_rs=$(echo "$SY" | grep '^rsyslog' | head -1)
    s_lps+=("$(echo "$s_out" | field '= \([0-9]*\) lines/s')"); s_cpu+=("$(echo "$s_out" | field ', \([0-9.]*\) CPU s')")
    sr_lps+=("$(echo "$s_rs" | field '= \([0-9]*\) lines/s')"); sr_cpu+=("$(echo "$s_rs" | field ', \([0-9.]*\) CPU s')")
    SN=$(N=$N SEED=$SEED SYSLOG_OPTS='sd_fields: []' bash "$ROOT/bench/e2e-syslog.sh" 2>/dev/null || true)
    n_out=$(echo "$SN" | grep '^outrider' | head -1); n_rs=$(echo "$SN" | grep '^rsyslog' | head -1)
    n_lps+=("$(echo "$n_out" | field '= \([0-9]*\) lines/s')"); n_cpu+=("$(echo "$n_out" | field ', \([0-9.]*\) CPU s')")
    nr_lps+=("$(echo "$n_rs" | field '= \([0-9]*\) lines/s')")
  done
  row "e2e $N lines into rsyslogd over syslog TCP, events/s incl. start (shipped defaults)" "$(shown "${s_lps[@]}")" "rsyslog->rsyslog $(shown "${sr_lps[@]}")" "$(ratio "$(med "${s_lps[@]}")" "$(med "${sr_lps[@]}")")"
  row "CPU s for that" "$(shown "${s_cpu[@]}")" "rsyslog->rsyslog $(shown "${sr_cpu[@]}")" "$(ratio "$(med "${s_cpu[@]}")" "$(med "${sr_cpu[@]}")")"
  row "the same with sd_fields: [] (no structured data, as rsyslog forwards), events/s / CPU s" "$(shown "${n_lps[@]}") / $(shown "${n_cpu[@]}")" "rsyslog->rsyslog $(shown "${nr_lps[@]}")" "$(ratio "$(med "${n_lps[@]}")" "$(med "${nr_lps[@]}")")"
fi

# 1c. a big burst with shipped defaults: throughput against rsyslog on as many lines, peak RSS, and what is left 60 s later
if [ "$N_BIG" != 0 ]; then
  b_eps=(); b_cpu=(); b_peak=(); b_after=(); rb_lps=(); rb_cpu=()
  for _ in $(seq "$REPEAT"); do
    BIG=$(N=$N_BIG SEED=$SEED DEFAULTS=1 AFTER_S=60 W="$W/big" bash "$ROOT/bench/e2e-throughput.sh" | tail -1)
    RSB=""; [ -f "$SHARED/bench/peer-rsyslog-file-to-tcp.sh" ] && RSB=$(N=$N_BIG bash "$SHARED/bench/peer-rsyslog-file-to-tcp.sh" 2>/dev/null | tail -1 || true)
    b_eps+=("$(echo "$BIG" | field '= \([0-9]*\) events/s')"); b_cpu+=("$(echo "$BIG" | field ', \([0-9.]*\) CPU s')")
    b_peak+=("$(echo "$BIG" | field 'peak RSS \([0-9]*\) MB')"); b_after+=("$(echo "$BIG" | field 'idle RSS \([0-9]*\) MB')")
    rb_lps+=("$(echo "$RSB" | field '= \([0-9]*\) lines/s')"); rb_cpu+=("$(echo "$RSB" | field 'CPU \([0-9.]*\) s')")
  done
  row "e2e $N_BIG lines, events/s incl. start (shipped defaults)" "$(shown "${b_eps[@]}")" "rsyslog $(shown "${rb_lps[@]}")" "$(ratio "$(med "${b_eps[@]}")" "$(med "${rb_lps[@]}")")"
  row "CPU s for $N_BIG lines (shipped defaults)" "$(shown "${b_cpu[@]}")" "rsyslog $(shown "${rb_cpu[@]}")" "$(ratio "$(med "${b_cpu[@]}")" "$(med "${rb_cpu[@]}")")"
  row "peak RSS MB during the $N_BIG-line burst / RSS MB 60 s after it" "$(shown "${b_peak[@]}") / $(shown "${b_after[@]}")" "" ""
fi

# 1d. the same two bursts from the with-runtime download's layout (its bundled Java 25 with the AOT cache and its own
# heap flags, bin/outrider): the rsyslog figures above are the peer's
RUNTIME_DIST=${RUNTIME_DIST:-$ROOT/distribution/target/outrider-with-runtime}
if [ "${RUNTIME:-1}" != 0 ] && [ -x "$RUNTIME_DIST/bin/outrider" ]; then
  t_eps=(); t_cpu=(); t_peak=(); tb_eps=(); tb_cpu=(); tb_peak=()
  for _ in $(seq "$REPEAT"); do
    RT1=$(N=$N SEED=$SEED DEFAULTS=1 DIST="$RUNTIME_DIST" W="$W/rt1" bash "$ROOT/bench/e2e-throughput.sh" | tail -1)
    t_eps+=("$(echo "$RT1" | field '= \([0-9]*\) events/s')"); t_cpu+=("$(echo "$RT1" | field ', \([0-9.]*\) CPU s')"); t_peak+=("$(echo "$RT1" | field 'peak RSS \([0-9]*\) MB')")
    if [ "$N_BIG" != 0 ]; then
      RTB=$(N=$N_BIG SEED=$SEED DEFAULTS=1 DIST="$RUNTIME_DIST" W="$W/rtb" bash "$ROOT/bench/e2e-throughput.sh" | tail -1)
      tb_eps+=("$(echo "$RTB" | field '= \([0-9]*\) events/s')"); tb_cpu+=("$(echo "$RTB" | field ', \([0-9.]*\) CPU s')"); tb_peak+=("$(echo "$RTB" | field 'peak RSS \([0-9]*\) MB')")
    fi
  done
  row "with-runtime download (Java 25, AOT cache): e2e $N lines, events/s incl. start (shipped defaults)" "$(shown "${t_eps[@]}")" "rsyslog $(med "${r_lps[@]}") (above)" "$(ratio "$(med "${t_eps[@]}")" "$(med "${r_lps[@]}")")"
  row "with-runtime download: CPU s for $N lines / peak RSS MB" "$(shown "${t_cpu[@]}") / $(shown "${t_peak[@]}")" "rsyslog $(med "${r_cpu[@]}") / $(med "${r_peak[@]}")" "$(ratio "$(med "${t_cpu[@]}")" "$(med "${r_cpu[@]}")")"
  if [ "$N_BIG" != 0 ]; then
    row "with-runtime download: e2e $N_BIG lines, events/s incl. start (shipped defaults)" "$(shown "${tb_eps[@]}")" "rsyslog $(med "${rb_lps[@]}") (above)" "$(ratio "$(med "${tb_eps[@]}")" "$(med "${rb_lps[@]}")")"
    row "with-runtime download: CPU s for $N_BIG lines / peak RSS MB" "$(shown "${tb_cpu[@]}") / $(shown "${tb_peak[@]}")" "rsyslog $(med "${rb_cpu[@]}")" "$(ratio "$(med "${tb_cpu[@]}")" "$(med "${rb_cpu[@]}")")"
  fi
fi

# 2. idle: the built-in default and file -> sshd -> http, RSS after IDLE_S and CPU over IDLE_CPU_S
python3 "$ROOT/bench/ndjson-sink.py" 1000000000 "$W" & SINK=$!
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.1; done
: > "$W/quiet.log"
cat > "$W/http.yaml" <<YAML
agent: { data_dir: $W/data-http }
pipelines:
  ssh:
    inputs: { auth: { type: file, paths: ["$W/quiet.log"] } }
    parsers: { sshd: { type: sshd } }
    outputs: { collector: { type: http, format: ndjson, endpoint: "http://127.0.0.1:$(cat "$W/port")/ingest" } }
YAML
idle() { # NAME ARGS... -> "rss_mb cpu_percent first_event_s"
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  OUTRIDER_DATA_DIR="$W/data-$name" "$DIST/bin/outrider" run "$@" > "$W/$name.out" 2> "$W/$name.err" & local pid=$!
  local first=""
  for _ in $(seq 600); do [ -s "$W/$name.out" ] && { first=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'); break; }; sleep 0.05; done
  sleep "$IDLE_S"
  local rss; rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  : > "$W/$name.rss-read"
  local c0; c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  sleep "$IDLE_CPU_S"
  local c1; c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  kill -TERM $pid; wait $pid || true
  echo "$rss $(awk -v a="$c0" -v b="$c1" -v hz="$CLK" -v s="$IDLE_CPU_S" 'BEGIN { printf "%.3f", (b - a) / hz / s * 100 }') ${first:-n/a}"
}
# side by side, so that 10 minutes of idle CPU take 10 minutes: the second starts once the first's start-up and RSS
# reading are over, and an idle agent's CPU is its own threads' (/proc/PID/stat), whatever else runs
rm -f "$W/default.rss-read"
idle default > "$W/idle-default.res" & IDLE_DEFAULT=$!
while [ ! -e "$W/default.rss-read" ] && kill -0 $IDLE_DEFAULT 2>/dev/null; do sleep 0.5; done
idle http -c "$W/http.yaml" > "$W/idle-http.res"
wait $IDLE_DEFAULT
read -r d_rss d_cpu_idle d_first < "$W/idle-default.res"
read -r h_rss h_cpu_idle _ < "$W/idle-http.res"
kill $SINK 2>/dev/null || true
row "idle RSS MB: built-in default / file->sshd->http" "$d_rss / $h_rss" "rsyslog (harness) $(echo "$RS" | field 'idle RSS \([0-9.]*\) MB')" ""
row "idle CPU % of a core over ${IDLE_CPU_S} s: default / file->sshd->http" "$d_cpu_idle / $h_cpu_idle" "" ""
row "start to first console event, s (built-in default)" "$d_first" "" ""
[ "$N_BIG" != 0 ] && row "RSS 60 s after the $N_BIG-line burst (median) over idle file->sshd->http RSS" "$(med "${b_after[@]}") / $h_rss" "" "$(ratio "$(med "${b_after[@]}")" "$h_rss")"

# 3. FIM baseline against AIDE with the same worker count (slow: builds a 1 GB tree): the whole `outrider fim
# baseline` process, start to exit, against `aide --init -W 2` in the same run of input-fim-baseline.sh
if [ -n "${FIM:-}" ]; then
  FB=$(bash "$ROOT/bench/input-fim-baseline.sh" 2>/dev/null | awk '/^whole process/ { whole = 1; next } whole && NF { print } /^check/ { exit }' || true)
  f_line=$(echo "$FB" | grep '^outrider fim baseline' | head -1); a_line=$(echo "$FB" | grep '^aide --init' | head -1)
  f_s=$(echo "$f_line" | awk '{print $(NF-3)}'); f_cpu=$(echo "$f_line" | awk '{print $(NF-2)}'); f_rss=$(echo "$f_line" | awk '{print $(NF-1)}')
  a_s=$(echo "$a_line" | awk '{print $(NF-3)}'); a_cpu=$(echo "$a_line" | awk '{print $(NF-2)}'); a_rss=$(echo "$a_line" | awk '{print $(NF-1)}')
  row "FIM baseline, 20k files / 1 GB, 2 hashing workers, whole process: s / CPU s / peak RSS MB" "${f_s:-n/a} / ${f_cpu:-n/a} / ${f_rss:-n/a}" "aide ${a_s:-n/a} / ${a_cpu:-n/a} / ${a_rss:-n/a}" "$(ratio "$a_s" "$f_s") (speed)"
fi

echo "| what | Outrider | peer, same run | ratio |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "$(java -version 2>&1 | head -1); $(nproc) cores; REPEAT=$REPEAT; $(date -u +%Y-%m-%dT%H:%MZ); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
