#!/bin/sh
# Entrypoint of the Outrider container image: turns environment variables into a configuration, then runs
# bin/outrider. Arguments are an outrider command (default: run); -c is added unless given. The agent and this script
# log to standard error only (docker logs, kubectl logs); no log file is written unless a mounted configuration asks.
#
# A configuration mounted at $OUTRIDER_CONFIG (default /etc/outrider/outrider.yaml) is used as it is. Without one,
# the entrypoint writes $OUTRIDER_DATA_DIR/run/outrider.yaml in one of three modes, chosen by the variables set:
#
# LogNog In's variables (LOGNOG_SERVER and LOGNOG_API_KEY) behave as LogNog In does:
#   every line of the watched files goes to LogNog (no parser, nothing dropped), and file integrity monitoring runs.
#   LOGNOG_WATCH_PATHS    comma-separated globs (default, under the host mount: var/log/**/*.log, var/log/syslog,
#                         var/log/messages)
#   LOGNOG_FIM_ENABLED    true | false (default true)
#   LOGNOG_FIM_PATHS      comma-separated paths or globs (default, under the host mount: etc, usr/local/bin)
#   LOGNOG_BATCH_SIZE     events per request; LOGNOG_BATCH_INTERVAL seconds to wait for a batch to fill
#   LOGNOG_DEBUG          true: debug logging
#
# LiteSOC's variables (LITESOC_KEY, optionally LITESOC_SERVER, default https://api.litesoc.io) behave as LiteSOC
#   Sentinel does: SSH authentication events of the host's auth.log / secure through the sshd parser, with the
#   heartbeat; other lines are dropped.
#
# Otherwise, and to adjust either mode:
#   OUTRIDER_SERVER      collector URL (base URL for litesoc and lognog); unset: events go to the console (stdout)
#   OUTRIDER_API_KEY     collector API key; the generated file says ${OUTRIDER_API_KEY}, never the key itself
#   OUTRIDER_FORMAT      litesoc | lognog | ndjson | json (default: from the variables above, else ndjson)
#   OUTRIDER_LOG_PATHS   comma-separated globs of log files (default: LogNog's or LiteSOC's above, else
#                        the host's var/log/auth.log and var/log/secure)
#   OUTRIDER_PARSERS     comma-separated parser types applied in order (default sshd; none for no parser; LogNog: none)
#   OUTRIDER_UNMATCHED   keep | drop: events no parser recognised (default drop with parsers, keep without; LogNog: keep)
#   OUTRIDER_JOURNAL_DIR a host journal directory mounted in the container, e.g. /host/var/log/journal (optional)
#   OUTRIDER_HOST_NAME   the host name events carry (default: the container's; in Kubernetes use the node name)
#   OUTRIDER_HOST_ROOT   where the host's file system is mounted (default /host: /var/log at /host/var/log, ...)
#   OUTRIDER_STATUS_LISTEN  the status endpoint, loopback only (default 127.0.0.1:8686); container/healthcheck.sh
#                        asks it, for the image's HEALTHCHECK and the DaemonSet's probes
#
# OUTRIDER_* always wins over LogNog's and LiteSOC's names.
#
# Everything the agent writes goes to $OUTRIDER_DATA_DIR (a volume), so the root filesystem may be read-only.
set -eu

OUTRIDER_HOME=${OUTRIDER_HOME:-/opt/outrider}
OUTRIDER_DATA_DIR=${OUTRIDER_DATA_DIR:-/var/lib/outrider}
OUTRIDER_CONFIG=${OUTRIDER_CONFIG:-/etc/outrider/outrider.yaml}
export OUTRIDER_HOME OUTRIDER_DATA_DIR

fail() {
  echo "docker-entrypoint: $*" >&2
  exit 2
}

# --- aliases ----------------------------------------------------------------------------------------------------------
format_hint=
if [ -n "${LITESOC_KEY:-}" ] && [ -n "${LOGNOG_API_KEY:-}${LOGNOG_SERVER:-}" ] && [ -z "${OUTRIDER_FORMAT:-}" ]; then
  fail "both LITESOC_* and LOGNOG_* variables are set; set OUTRIDER_FORMAT to litesoc or lognog"
fi
if [ -n "${LITESOC_KEY:-}" ]; then
  format_hint=litesoc
  [ -n "${OUTRIDER_API_KEY:-}" ] || OUTRIDER_API_KEY=$LITESOC_KEY
  [ -n "${OUTRIDER_SERVER:-}" ] || OUTRIDER_SERVER=${LITESOC_SERVER:-https://api.litesoc.io}
fi
if [ -n "${LOGNOG_API_KEY:-}${LOGNOG_SERVER:-}" ]; then
  format_hint=lognog
  [ -n "${OUTRIDER_API_KEY:-}" ] || OUTRIDER_API_KEY=${LOGNOG_API_KEY:-}
  [ -n "${OUTRIDER_SERVER:-}" ] || OUTRIDER_SERVER=${LOGNOG_SERVER:-}
fi
format=${OUTRIDER_FORMAT:-${format_hint:-ndjson}}
case "$format" in
  litesoc|lognog|ndjson|json) ;;
  *) fail "OUTRIDER_FORMAT is '$format'; use litesoc, lognog, ndjson or json" ;;
esac
host_root=${OUTRIDER_HOST_ROOT:-/host}
host_root=${host_root%/}
# LogNog In's behaviour when its variables chose the format: every line, and FIM
lognog_mode=no
[ "$format_hint" != lognog ] || [ "$format" != lognog ] || lognog_mode=yes

# --- the configuration ------------------------------------------------------------------------------------------------
# a YAML double-quoted string holding a literal value: the agent reads "$" as the start of ${...}, so "$" is "$$"
quote() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\$/$$/g')"
}

# comma-separated list -> [ "a", "b" ]; globs stay globs (no pathname expansion while splitting: the agent expands them)
yaml_list() {
  list=
  old_ifs=$IFS
  IFS=,
  set -f
  for item in $1; do
    item=$(printf '%s' "$item" | sed -e 's/^ *//' -e 's/ *$//')
    [ -n "$item" ] || continue
    list="${list:+$list, }$(quote "$item")"
  done
  set +f
  IFS=$old_ifs
  printf '[%s]' "$list"
}

truthy() {
  case "$1" in true|TRUE|True|yes|on|1) return 0 ;; *) return 1 ;; esac
}

# seconds, possibly with a fraction, -> milliseconds
millis() {
  case "$1" in ''|*[!0-9.]*|*.*.*) fail "$2 is '$1'; use a number of seconds" ;; esac
  awk -v seconds="$1" 'BEGIN { printf "%d", seconds * 1000 }'
}

generate_config() {
  if [ "$lognog_mode" = yes ]; then
    default_paths="$host_root/var/log/**/*.log,$host_root/var/log/syslog,$host_root/var/log/messages"
    log_paths=${OUTRIDER_LOG_PATHS:-${LOGNOG_WATCH_PATHS:-$default_paths}}
    parsers=${OUTRIDER_PARSERS:-none}
  else
    log_paths=${OUTRIDER_LOG_PATHS:-$host_root/var/log/auth.log,$host_root/var/log/secure}
    parsers=${OUTRIDER_PARSERS:-sshd}
  fi
  [ "$parsers" != none ] || parsers=
  if [ -n "$parsers" ] && [ "$lognog_mode" = no ]; then unmatched=${OUTRIDER_UNMATCHED:-drop}; else unmatched=${OUTRIDER_UNMATCHED:-keep}; fi
  case "$unmatched" in keep|drop) ;; *) fail "OUTRIDER_UNMATCHED is '$unmatched'; use keep or drop" ;; esac
  fim=no
  if [ "$lognog_mode" = yes ] && truthy "${LOGNOG_FIM_ENABLED:-true}"; then fim=yes; fi
  delivery=
  if [ "$lognog_mode" = yes ] && [ -n "${LOGNOG_BATCH_SIZE:-}" ]; then
    case "$LOGNOG_BATCH_SIZE" in *[!0-9]*|0) fail "LOGNOG_BATCH_SIZE is '$LOGNOG_BATCH_SIZE'; use a whole number of events" ;; esac
    delivery="max_events: $LOGNOG_BATCH_SIZE"
  fi
  if [ "$lognog_mode" = yes ] && [ -n "${LOGNOG_BATCH_INTERVAL:-}" ]; then
    delivery="${delivery:+$delivery, }max_wait: $(millis "$LOGNOG_BATCH_INTERVAL" LOGNOG_BATCH_INTERVAL)ms"
  fi
  if [ -n "${OUTRIDER_SERVER:-}" ]; then
    if [ -z "${OUTRIDER_API_KEY:-}" ] && { [ "$format" = litesoc ] || [ "$format" = lognog ]; }; then
      fail "OUTRIDER_SERVER is set but no API key: set OUTRIDER_API_KEY (or LITESOC_KEY / LOGNOG_API_KEY)"
    fi
    output="      collector:
        type: http
        format: $format
        endpoint: \${OUTRIDER_SERVER}"
    [ -z "${OUTRIDER_API_KEY:-}" ] || output="$output
        api_key: \${OUTRIDER_API_KEY}"
    [ "$format" != lognog ] || output="$output
        source: lognog-in"
    [ -z "$delivery" ] || output="$output
        delivery: { $delivery }"
  else
    [ -z "${OUTRIDER_API_KEY:-}" ] || fail "an API key is set but no collector: set OUTRIDER_SERVER (or LOGNOG_SERVER)"
    echo "docker-entrypoint: OUTRIDER_SERVER is not set; events go to the console" >&2
    output="      console:
        type: console
        format: text"
  fi

  printf '%s\n' "# generated by docker-entrypoint.sh from the container's environment; mount a file at $OUTRIDER_CONFIG to replace it"
  printf '%s\n' "agent:"
  printf '%s\n' "  data_dir: $(quote "$OUTRIDER_DATA_DIR")"
  [ -z "${OUTRIDER_HOST_NAME:-}" ] || printf '%s\n' "  host_name: $(quote "$OUTRIDER_HOST_NAME")"
  if [ "$lognog_mode" = yes ] && truthy "${LOGNOG_DEBUG:-false}"; then printf '%s\n' "  log: { level: debug }"; fi
  printf '%s\n' "  status: { enabled: true, listen: $(quote "${OUTRIDER_STATUS_LISTEN:-127.0.0.1:8686}") }"
  printf '%s\n' "pipelines:"
  printf '%s\n' "  logs:"
  printf '%s\n' "    inputs:"
  printf '%s\n' "      files:"
  printf '%s\n' "        type: file"
  printf '%s\n' "        paths: $(yaml_list "$log_paths")"
  if [ -n "$parsers" ]; then
    printf '%s\n' "    parsers:"
    old_ifs=$IFS
    IFS=,
    for parser in $parsers; do
      parser=$(printf '%s' "$parser" | tr -d ' ')
      case "$parser" in *[!a-z0-9_]*|'') fail "OUTRIDER_PARSERS has '$parser'; parser types are lower case names" ;; esac
      printf '%s\n' "      $parser: { type: $parser }"
    done
    IFS=$old_ifs
  fi
  printf '%s\n' "    unmatched: $unmatched"
  printf '%s\n' "    outputs:"
  printf '%s\n' "$output"
  if [ "$fim" = yes ]; then
    printf '%s\n' "  integrity:"
    printf '%s\n' "    inputs:"
    printf '%s\n' "      fim:"
    printf '%s\n' "        type: fim"
    printf '%s\n' "        paths: $(yaml_list "${LOGNOG_FIM_PATHS:-$host_root/etc,$host_root/usr/local/bin}")"
    printf '%s\n' "    outputs:"
    printf '%s\n' "$output"
  fi
  if [ -n "${OUTRIDER_JOURNAL_DIR:-}" ]; then
    printf '%s\n' "  journal:"
    printf '%s\n' "    inputs:"
    printf '%s\n' "      journal:"
    printf '%s\n' "        type: journald"
    printf '%s\n' "        directory: $(quote "$OUTRIDER_JOURNAL_DIR")"
    printf '%s\n' "    outputs:"
    printf '%s\n' "$output"
  fi
}

mkdir -p "$OUTRIDER_DATA_DIR/run" "$OUTRIDER_DATA_DIR/tmp"
if [ -f "$OUTRIDER_CONFIG" ]; then
  config=$OUTRIDER_CONFIG
else
  config=$OUTRIDER_DATA_DIR/run/outrider.yaml
  trap 'rm -f "$config.tmp"' EXIT
  generate_config > "$config.tmp"
  mv "$config.tmp" "$config"
fi
[ -z "${OUTRIDER_API_KEY:-}" ] || export OUTRIDER_API_KEY
[ -z "${OUTRIDER_SERVER:-}" ] || export OUTRIDER_SERVER
# the JVM and input-fim's SQLite unpack native libraries into java.io.tmpdir: keep it on the data volume, not on a read-only /
OUTRIDER_EXTRA_JAVA_OPTS="-Djava.io.tmpdir=$OUTRIDER_DATA_DIR/tmp ${OUTRIDER_EXTRA_JAVA_OPTS:-}"
export OUTRIDER_EXTRA_JAVA_OPTS

[ $# -gt 0 ] || set -- run
case "$1" in
  run|validate|status|control|dead-letters|buffer)
    has_config=no
    for arg in "$@"; do
      case "$arg" in -c|--config|--config=*) has_config=yes ;; esac
    done
    [ "$has_config" = yes ] || set -- "$@" -c "$config"
    ;;
esac
exec "$OUTRIDER_HOME/bin/outrider" "$@"
