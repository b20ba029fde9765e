#!/usr/bin/env bash
# Outrider input-fim: baseline build and check over the generated tree of shared/bench/peer-aide-fim.sh (same
# generator, same seed, same mutation: 100 modified, 50 deleted, 50 added, 25 chmod-ed), side by side with
# sha256sum and AIDE on the same files, all from page cache. When the distribution is built (mvn package; DIST
# names another layout), the whole `outrider fim baseline` process, start to exit, is timed against `aide --init`
# with the same number of hashing workers, with CPU seconds and peak RSS (steadier than seconds on a shared machine).
# usage: FILES=20000 TOTAL_MB=1024 SEED=42 HASH_THREADS=2 bash bench/input-fim-baseline.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${OUTRIDER_SHARED_DIR:-$(cd "$ROOT/../shared" && pwd)}
PEER=$SHARED/bench/peer-aide-fim.sh
FILES=${FILES:-20000}; TOTAL_MB=${TOTAL_MB:-1024}; SEED=${SEED:-42}; HASH_THREADS=${HASH_THREADS:-2}
W=/tmp/outrider-bench/input-fim; T=$W/tree
DIST=${DIST:-$ROOT/distribution/target/outrider}

need=""; command -v aide >/dev/null || need="$need aide"; [ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ]; then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >/dev/null; fi

rm -rf "$W"; mkdir -p "$T"
# through the reactor (-am): input-fim alone would take agent-spi from ~/.m2, absent on a fresh clone or stale; every
# module writes the file in turn and input-fim, built last, leaves its own class path in it
mvn -q -f "$ROOT/pom.xml" -pl input-fim -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$W/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="$ROOT/input-fim/target/classes:$ROOT/input-fim/target/test-classes:$(cat "$W/cp.txt")"

# the peer's generator and mutation, taken from its script so that the trees are byte for byte the same
eval "$(awk '/^python3 - "\$T" "\$FILES"/,/^EOF$/' "$PEER")"
sync
NF=$(find "$T" -type f | wc -l); BYTES=$(du -sb "$T" | awk '{print $1}')
find "$T" -type f -print0 | xargs -0 cat > /dev/null   # page cache

# "elapsed cpu" seconds (cpu = user + system of the command and its children): the machine may be shared, and CPU
# seconds per GB do not depend on how busy it is
t() { /usr/bin/time -f "%e %U %S" -o "$W/time.t" "$@" >/dev/null; awk '{printf "%s %.2f", $1, $2 + $3}' "$W/time.t"; }
SUM1=$(t sh -c "find '$T' -type f -print0 | xargs -0 sha256sum")
SUM2=$(t sh -c "find '$T' -type f -print0 | xargs -0 -n 500 -P 2 sha256sum")

cat > "$W/aide.conf" <<CONF
database_in=file:$W/aide.db
database_out=file:$W/aide.db.new
gzip_dbout=no
report_url=stdout
log_level=warning
FileRule = p+u+g+s+m+i+n+ftype+sha256
DirRule = p+u+g+ftype
$T f FileRule
$T d DirRule
CONF
aide_run() { /usr/bin/time -f "%e %U %S %M" -o "$W/time.$1" aide --config="$W/aide.conf" "${@:2}" > "$W/out.$1" 2>&1 || true; tail -1 "$W/time.$1" | awk '{printf "%s %.2f %d", $1, $2 + $3, $4 / 1024}'; }
AIDE_INIT1=$(aide_run init1 --init -W 1); mv "$W/aide.db.new" "$W/aide.db"
AIDE_INIT2=$(aide_run init2 --init -W 2); rm -f "$W/aide.db.new"
AIDE_INITN=$(aide_run initn --init -W "$HASH_THREADS"); rm -f "$W/aide.db.new"

# the whole command-line process, start to exit, as a user runs it
E2E=""
if [ -x "$DIST/bin/outrider" ]; then
    cat > "$W/outrider.yaml" <<CONF
agent:
  data_dir: $W/outrider-data
pipelines:
  fim:
    inputs:
      tree:
        type: fim
        paths: [$T]
        hash_threads: $HASH_THREADS
        watch_agent_files: false
    outputs:
      out:
        type: console
CONF
    /usr/bin/time -f "%e %U %S %M" -o "$W/time.e2e" "$DIST/bin/outrider" fim baseline -c "$W/outrider.yaml" > "$W/out.e2e" 2>&1
    E2E=$(tail -1 "$W/time.e2e" | awk '{printf "%s %.2f %d", $1, $2 + $3, $4 / 1024}')
fi

fim() {
    /usr/bin/time -f "%U %S" -o "$W/time.fim" java -Xmx512m -cp "$CP" io.outrider.plugin.fim.FimScanBenchmark "$T" "$1" "$HASH_THREADS" "$2" 2>/dev/null
    awk '{printf " cpu_s=%.2f\n", $1 + $2}' "$W/time.fim"
}
kv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
BASE=$(fim "$W/fim-data" false | tr -d '\n')
cp -r "$W/fim-data" "$W/fim-data-trusting"

eval "$(awk '/^python3 - "\$T" "\$SEED" "\$W"/,/^EOF$/' "$PEER")"
sync
AIDE_CHECK2=$(aide_run check2 --check -W 2)
CHECK=$(fim "$W/fim-data" false | tr -d '\n')
CHECK_TRUST=$(fim "$W/fim-data-trusting" true | tr -d '\n')

BASE_MS=$(kv "$BASE" scan_ms); CHECK_MS=$(kv "$CHECK" scan_ms); TRUST_MS=$(kv "$CHECK_TRUST" scan_ms)
awk -v nf="$NF" -v by="$BYTES" -v s1="$SUM1" -v s2="$SUM2" -v a1="$AIDE_INIT1" -v a2="$AIDE_INIT2" -v ac="$AIDE_CHECK2" \
    -v bms="$BASE_MS" -v brun="$(kv "$BASE" run_ms)" -v bcpu="$(kv "$BASE" cpu_s)" -v ccpu="$(kv "$CHECK" cpu_s)" -v tcpu="$(kv "$CHECK_TRUST" cpu_s)" \
    -v cms="$CHECK_MS" -v tms="$TRUST_MS" -v threads="$HASH_THREADS" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v cpus="$(nproc)" \
    -v e2e="$E2E" -v an="$AIDE_INITN" 'BEGIN { mb = by / 1e6;
  fim = mb / (bms / 1000);
  printf "tree: %d files, %.0f MB (page cache), %d CPUs, load average %s\n", nf, mb, cpus, load;
  printf "%-44s %8s %8s %8s %10s\n", "", "seconds", "MB/s", "fim x", "CPU s/GB";
  printf "%-44s %8.2f %8.0f %8s %10s\n", "outrider fim baseline (hash_threads=" threads ")", bms / 1000, fim, "1.00", "";
  printf "%-44s %8.2f %8.0f %8s %10.2f\n", "  same, whole JVM run incl. startup and JIT", brun / 1000, mb / (brun / 1000), "", bcpu / (mb / 1000);
  split(s1, x); printf "%-44s %8.2f %8.0f %8.2f %10.2f\n", "sha256sum, 1 process", x[1], mb / x[1], fim / (mb / x[1]), x[2] / (mb / 1000);
  split(s2, x); printf "%-44s %8.2f %8.0f %8.2f %10.2f\n", "sha256sum, 2 processes", x[1], mb / x[1], fim / (mb / x[1]), x[2] / (mb / 1000);
  split(a1, x); printf "%-44s %8.2f %8.0f %8.2f %10.2f\n", "aide --init -W 1", x[1], mb / x[1], fim / (mb / x[1]), x[2] / (mb / 1000);
  split(a2, x); printf "%-44s %8.2f %8.0f %8.2f %10.2f\n", "aide --init -W 2", x[1], mb / x[1], fim / (mb / x[1]), x[2] / (mb / 1000);
  if (e2e != "") {
    split(e2e, e); split(an, a);
    printf "whole process, start to exit:                    seconds  CPU s  peak RSS MB  aide s/s\n";
    printf "%-44s %11.2f %6.2f %12d %8.2f\n", "outrider fim baseline (hash_threads=" threads ")", e[1], e[2], e[3], a[1] / e[1];
    printf "%-44s %11.2f %6.2f %12d %8s\n", "aide --init -W " threads, a[1], a[2], a[3], "1.00";
  }
  printf "check with 1%% changed (100 modified, 50 deleted, 50 added, 25 chmod):          CPU s\n";
  printf "%-44s %8.2f %28.2f\n", "outrider fim check (re-hash everything)", cms / 1000, ccpu;
  printf "%-44s %8.2f %28.2f\n", "outrider fim check (trust_ctime: true)", tms / 1000, tcpu;
  split(ac, x); printf "%-44s %8.2f %28.2f\n", "aide --check -W 2", x[1], x[2];
}'
echo "outrider baseline: $BASE"
echo "outrider check:    $CHECK"
echo "outrider check, trust_ctime: $CHECK_TRUST"
rm -rf "$T"
