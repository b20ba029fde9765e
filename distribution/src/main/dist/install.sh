#!/bin/sh
# Outrider installer. Run as root from the unpacked tarball:
#
#   OUTRIDER_SERVER=https://collector.example OUTRIDER_API_KEY=... ./install.sh
#
# installs the agent to /opt/outrider/releases/VERSION (/opt/outrider/current points at it, /usr/local/bin/outrider
# at its launcher), creates the system user 'outrider', writes /etc/outrider/outrider.yaml (a pipeline to the
# collector given, else to the console), /etc/outrider/agent.env (mode 0600, the key), validates the configuration
# and enables and starts the systemd service. Running it again changes nothing; --uninstall removes what it made.
set -eu

usage() {
  cat <<'USAGE'
usage: install.sh [options]

  --prefix DIR     install location (default /opt/outrider)
  --root DIR       treat DIR as / (a throw-away root: image builds, tests); user and group go into DIR/etc
  --version V      install exactly version V: this bundle when it is V, else an earlier release kept under
                   PREFIX/releases/V, else outrider-V-linux-ARCH.tar.gz (this machine's architecture) or
                   outrider-V.tar.gz from --from
  --from DIR|URL   where outrider-VERSION[-linux-ARCH].tar.gz files are (default: the directory above this bundle)
  --no-systemd     neither install the unit nor call systemctl (containers, hosts without systemd)
  --no-start       enable the service but do not (re)start it
  --format F       the collector's format: litesoc, lognog or ndjson (default: litesoc with LITESOC_KEY, lognog
                   with LOGNOG_*, else ndjson)
  --server URL     the collector (instead of OUTRIDER_SERVER); for litesoc and lognog its base URL
  --api-key-stdin  read the API key from the first line of standard input (instead of OUTRIDER_API_KEY); a key
                   is never taken as an argument, where every user of the machine could read it with ps
  --log-paths LIST the log files to read, comma-separated globs (default: the format's, e.g. /var/log/auth.log
                   and /var/log/secure)
  --uninstall      stop the service and remove everything an install made, the data directory included
  --keep-data      with --uninstall: keep the data directory (events not yet delivered)
  -h, --help       this text

environment:
  OUTRIDER_SERVER, OUTRIDER_API_KEY   written to /etc/outrider/agent.env (mode 0600), never into the config, which
                                      refers to them as ${OUTRIDER_SERVER} and ${OUTRIDER_API_KEY}
  LITESOC_KEY, LITESOC_SERVER         the same for LiteSOC (format litesoc; server default https://api.litesoc.io)
  LOGNOG_SERVER, LOGNOG_API_KEY       the same for LogNog (format lognog)
  JAVA_HOME                           the Java runtime (else the bundled jre/, else java on the PATH); 17 or newer

Without a collector the agent only prints events to the console (its journal): it ships nothing.
USAGE
}

say() { echo "install.sh: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

BUNDLE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/outrider
ROOT=/
WANTED_VERSION=
FROM=
SYSTEMD=yes
START=yes
ACTION=install
KEEP_DATA=no
FORMAT=
SERVER=
KEY_FROM_STDIN=no
LOG_PATHS=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; PREFIX=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT=$2; shift 2 ;;
    --version) [ $# -ge 2 ] || die "--version needs a version"; WANTED_VERSION=$2; shift 2 ;;
    --from) [ $# -ge 2 ] || die "--from needs a directory or URL"; FROM=$2; shift 2 ;;
    --no-systemd) SYSTEMD=no; shift ;;
    --no-start) START=no; shift ;;
    --uninstall) ACTION=uninstall; shift ;;
    --keep-data) KEEP_DATA=yes; shift ;;
    --format) [ $# -ge 2 ] || die "--format needs litesoc, lognog or ndjson"; FORMAT=$2; shift 2 ;;
    --server) [ $# -ge 2 ] || die "--server needs a URL"; SERVER=$2; shift 2 ;;
    --api-key-stdin) KEY_FROM_STDIN=yes; shift ;;
    --api-key|--api-key=*) die "a key on the command line can be read by every user of this machine (ps): set OUTRIDER_API_KEY or use --api-key-stdin" ;;
    --log-paths) [ $# -ge 2 ] || die "--log-paths needs comma-separated paths"; LOG_PATHS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
case "$PREFIX" in /*) ;; *) die "--prefix must be an absolute path, not '$PREFIX'" ;; esac
[ -d "$ROOT" ] || die "--root $ROOT is not a directory"
ROOT=$(cd "$ROOT" && pwd)
[ "$ROOT" = / ] && R= || R=$ROOT

SERVICE_USER=outrider
CONF_DIR=/etc/outrider
DATA_DIR=/var/lib/outrider
UNIT=/etc/systemd/system/outrider.service
MANIFEST=$PREFIX/install-manifest
# on the PATH; /usr/bin belongs to the package manager, so a tarball install links from /usr/local/bin
LINK=/usr/local/bin/outrider
LITESOC_DEFAULT_SERVER=https://api.litesoc.io
IS_ROOT=no
[ "$(id -u)" = 0 ] && IS_ROOT=yes
[ "$IS_ROOT" = yes ] || [ -n "$R" ] || die "run me as root (or with --root DIR to install into a throw-away root)"

# --- what this run made, so that --uninstall removes exactly that --------------------------------------------------
manifest_has() { [ -f "$R$MANIFEST" ] && grep -qxF "$1" "$R$MANIFEST"; }
manifest_add() { manifest_has "$1" || echo "$1" >> "$R$MANIFEST"; }
# creates the missing parents of PATH (under $R), each recorded so --uninstall removes it again if it is empty
make_parents() { # (sh has no local variables, hence no variable here)
  [ -d "$R$(dirname "$1")" ] && return 0
  make_parents "$(dirname "$1")"
  mkdir "$R$(dirname "$1")"
  manifest_add "parent $(dirname "$1")"
}

# --- the user, in $ROOT/etc when --root is given ----------------------------------------------------------------------
prefix_opt() { [ -n "$R" ] && printf '%s\n' "--prefix" "$R"; return 0; }
user_exists() { grep -q "^$SERVICE_USER:" "$R/etc/passwd" 2>/dev/null; }
group_exists() { grep -q "^$1:" "$R/etc/group" 2>/dev/null; }
numeric_id() { # FILE NAME -> the third field of NAME's line
  awk -F: -v name="$2" '$1 == name { print $3 }' "$R/etc/$1"
}
owner() { # PATH USER GROUP: chown when we can; a throw-away root run by a normal user keeps the caller as owner
  [ "$IS_ROOT" = yes ] && user_exists || return 0
  uid=$(numeric_id passwd "$2")
  gid=$(numeric_id group "$3")
  [ -n "$uid" ] && [ -n "$gid" ] || return 0
  chown "$uid:$gid" "$1"
}

ensure_user() {
  if user_exists; then
    return
  fi
  [ -f "$R/etc/passwd" ] || { say "no $R/etc/passwd: not creating the '$SERVICE_USER' user"; return; }
  [ "$IS_ROOT" = yes ] || { say "not root: not creating the '$SERVICE_USER' user"; return; }
  command -v useradd >/dev/null 2>&1 || die "useradd is missing (package passwd/shadow-utils)"
  nologin=/usr/sbin/nologin
  [ -x "$nologin" ] || nologin=/sbin/nologin
  [ -x "$nologin" ] || nologin=/bin/false
  # shellcheck disable=SC2046
  useradd $(prefix_opt) --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell "$nologin" \
    --comment "Outrider agent" "$SERVICE_USER"
  manifest_add "user $SERVICE_USER"
  say "created system user $SERVICE_USER"
}

# --- Java -------------------------------------------------------------------------------------------------------------
check_java() { # DIR of the release
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java
  elif [ -x "$1/jre/bin/java" ]; then java=$1/jre/bin/java
  elif command -v java >/dev/null 2>&1; then java=java
  else die "no Java runtime: install Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
  fi
  spec=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')
  major=${spec%%.*}
  case "$major" in ''|*[!0-9]*) die "cannot tell the version of $java" ;; esac
  [ "$major" -ge 17 ] || die "$java is Java $spec; Outrider needs 17 or newer (set JAVA_HOME to one)"
}

# --- systemd ----------------------------------------------------------------------------------------------------------
check_systemd() {
  systemctl_live || return 0
  command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] \
    || die "systemd is not running here; use --no-systemd and start bin/outrider yourself (or use the container image)"
}
systemctl_live() { # only on the real root: a throw-away root has no running systemd
  [ "$SYSTEMD" = yes ] && [ -z "$R" ]
}

write_unit() { # RELEASE_DIR
  groups=
  for group in adm systemd-journal; do
    group_exists "$group" && groups="$groups $group"
  done
  tmp="$R$UNIT.tmp"
  make_parents "$UNIT"
  sed -e "s#/opt/outrider/#$PREFIX/#g" \
      -e "s#^SupplementaryGroups=.*#SupplementaryGroups=${groups# }#" \
      "$1/systemd/outrider.service" > "$tmp"
  [ -n "$groups" ] || sed -i '/^SupplementaryGroups=$/d' "$tmp"
  if [ -f "$R$UNIT" ] && cmp -s "$tmp" "$R$UNIT"; then
    rm -f "$tmp"
    return 1
  fi
  chmod 0644 "$tmp"
  mv "$tmp" "$R$UNIT"
  manifest_add "file $UNIT"
  return 0
}

# --- the collector: flags, then OUTRIDER_*, then the LiteSOC and LogNog agents' own variable names ----------------------
env_file_has() { # NAME: whether the installed env file sets NAME to something
  [ -f "$R$CONF_DIR/agent.env" ] && grep -q "^$1=..*" "$R$CONF_DIR/agent.env"
}

# sets SERVER, API_KEY (empty when not given on this run), FORMAT (empty when neither --format nor an alias says),
# COLLECTOR_GIVEN (yes when this run names a collector); dies on contradictions before anything is changed
resolve_collector() {
  API_KEY=
  if [ "$KEY_FROM_STDIN" = yes ]; then
    [ ! -t 0 ] || { printf 'API key: ' >&2; stty -echo 2>/dev/null || true; }
    IFS= read -r API_KEY || true
    [ ! -t 0 ] || { stty echo 2>/dev/null || true; echo >&2; }
    API_KEY=$(printf '%s' "$API_KEY" | tr -d '\r')
    [ -n "$API_KEY" ] || die "--api-key-stdin: standard input held no key"
  fi
  litesoc=no
  lognog=no
  [ -z "${LITESOC_KEY:-}${LITESOC_SERVER:-}" ] || litesoc=yes
  [ -z "${LOGNOG_SERVER:-}${LOGNOG_API_KEY:-}" ] || lognog=yes
  if [ "$litesoc" = yes ] && [ "$lognog" = yes ] && [ -z "$FORMAT" ]; then
    die "both LITESOC_* and LOGNOG_* variables are set; choose one with --format litesoc or --format lognog"
  fi
  [ "$litesoc" = no ] || [ -n "$FORMAT" ] || FORMAT=litesoc
  [ "$lognog" = no ] || [ -n "$FORMAT" ] || FORMAT=lognog
  case "$FORMAT" in
    ''|litesoc|lognog|ndjson) ;;
    *) die "--format is '$FORMAT'; use litesoc, lognog or ndjson" ;;
  esac
  [ -n "$API_KEY" ] || API_KEY=${OUTRIDER_API_KEY:-}
  [ -n "$SERVER" ] || SERVER=${OUTRIDER_SERVER:-}
  case "$FORMAT" in
    litesoc)
      [ -n "$API_KEY" ] || API_KEY=${LITESOC_KEY:-}
      [ -n "$SERVER" ] || SERVER=${LITESOC_SERVER:-}
      # LiteSOC's own agent sends to its cloud unless told otherwise
      [ -n "$SERVER" ] || [ -z "$API_KEY" ] || env_file_has OUTRIDER_SERVER || SERVER=$LITESOC_DEFAULT_SERVER
      ;;
    lognog)
      [ -n "$API_KEY" ] || API_KEY=${LOGNOG_API_KEY:-}
      [ -n "$SERVER" ] || SERVER=${LOGNOG_SERVER:-}
      ;;
  esac
  if [ -n "$LOG_PATHS" ] && [ -z "$(printf '%s' "$LOG_PATHS" | tr -d ', ')" ]; then
    die "--log-paths '$LOG_PATHS' names no file"
  fi
  COLLECTOR_GIVEN=no
  [ -z "$SERVER$API_KEY" ] || COLLECTOR_GIVEN=yes
  [ -n "$SERVER" ] || env_file_has OUTRIDER_SERVER || [ -z "$API_KEY" ] \
    || die "an API key is given but no collector: set OUTRIDER_SERVER (or --server, LITESOC_SERVER, LOGNOG_SERVER)"
  [ -z "$FORMAT" ] || [ -n "$SERVER" ] || env_file_has OUTRIDER_SERVER \
    || die "format $FORMAT needs the collector's address: set OUTRIDER_SERVER (or --server)"
  if [ "$FORMAT" = litesoc ] || [ "$FORMAT" = lognog ]; then
    [ -n "$API_KEY" ] || env_file_has OUTRIDER_API_KEY \
      || die "format $FORMAT needs an API key: set OUTRIDER_API_KEY (or use --api-key-stdin)"
  fi
  case "$SERVER" in
    *"'"*|*'"'*|*' '*|*'\'*) die "the collector's address must not contain quotes, spaces or backslashes: '$SERVER'" ;;
  esac
  return 0
}

# --- the configuration ------------------------------------------------------------------------------------------------
# a YAML double-quoted string holding a literal value: the agent reads "$" as the start of ${...}, so "$" is "$$"
yaml_quote() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\$/$$/g')"
}

yaml_list() { # comma-separated -> ["a", "b"]
  list=
  old_ifs=$IFS
  IFS=,
  for item in $1; do
    item=$(printf '%s' "$item" | sed -e 's/^ *//' -e 's/ *$//')
    [ -n "$item" ] || continue
    list="${list:+$list, }$(yaml_quote "$item")"
  done
  IFS=$old_ifs
  printf '[%s]' "$list"
}

# prints the configuration install.sh writes for FORMAT (console: no collector, litesoc, lognog or ndjson); the log
# files are PATHS (YAML, as written in the file) when given, else --log-paths, else the format's own
generate_config() { # FORMAT [PATHS]
  case "$1" in
    console|litesoc) paths=${LOG_PATHS:-/var/log/auth.log,/var/log/secure} ;;
    lognog) paths=${LOG_PATHS:-/var/log/syslog,/var/log/messages,/var/log/auth.log,/var/log/secure} ;;
    ndjson) paths=${LOG_PATHS:-/var/log/auth.log,/var/log/secure,/var/log/syslog,/var/log/messages} ;;
  esac
  paths=${2:-$(yaml_list "$paths")}
  cat <<HEADER
# Outrider configuration written by install.sh. Check it with: outrider validate -c $CONF_DIR/outrider.yaml
# The collector's address and key are in $CONF_DIR/agent.env (mode 0600), which the service reads; this file
# refers to them as \${OUTRIDER_SERVER} and \${OUTRIDER_API_KEY}: never write a key here.
# Every setting is explained in $PREFIX/current/config/outrider.yaml; more pipelines are in config/examples/.
# Component ids (auth_log, console, ...) key checkpoints: rename one and it starts over.
HEADER
  case "$1" in
    console) cat <<CONSOLE
#
# No collector was given to install.sh, so this agent only prints events to the console (journalctl -u outrider):
# it ships nothing. To send events, run install.sh again with OUTRIDER_SERVER and OUTRIDER_API_KEY (or LITESOC_KEY,
# or LOGNOG_SERVER and LOGNOG_API_KEY) set, which replaces this file while it is unchanged.

pipelines:
  ssh_auth:
    inputs:
      auth_log:
        type: file
        paths: $paths
    parsers:
      sshd: { type: sshd }
      linux_auth: { type: linux_auth } # sudo, su, PAM logins, account and group changes, lockouts
    unmatched: drop                    # only security events leave this pipeline
    outputs:
      console:
        type: console
        format: text
CONSOLE
      ;;
    litesoc) cat <<LITESOC
#
# LiteSOC: SSH authentication events (logins, failures, invalid users, ...) and the host's other security events
# (sudo, su, PAM logins, account and group changes, lockouts) to {server}/collect, with a heartbeat.

pipelines:
  ssh_auth:
    inputs:
      auth_log:
        type: file
        paths: $paths
    parsers:
      sshd: { type: sshd }
      linux_auth: { type: linux_auth }
    unmatched: drop                    # LiteSOC takes security events only
    outputs:
      litesoc:
        type: http
        format: litesoc
        endpoint: \${OUTRIDER_SERVER}
        api_key: \${OUTRIDER_API_KEY}
        heartbeat_interval: 60s
LITESOC
      ;;
    lognog) cat <<LOGNOG
#
# LogNog: every line of the system logs, and file integrity changes of the system's programs and settings, to
# {server}/api/ingest/agent. As the unprivileged user 'outrider', files only root may read (/etc/shadow, ...) are
# reported as unreadable: see $UNIT for what to add to monitor them.

pipelines:
  logs:
    inputs:
      system_logs:
        type: file
        paths: $paths
        exclude: ["*.gz", "*.[0-9]"]   # rotated copies were read before they were rotated
    unmatched: keep                    # no parser: every line is an event
    outputs:
      lognog:
        type: http
        format: lognog
        endpoint: \${OUTRIDER_SERVER}
        api_key: \${OUTRIDER_API_KEY}
  integrity:
    inputs:
      fim:
        type: fim
        paths: [/etc, /usr/bin, /usr/sbin, /usr/local/bin]
        exclude: [/etc/mtab, "/etc/*.lock", /etc/ld.so.cache]
        rescan_interval: 12h
    outputs:
      lognog:
        type: http
        format: lognog
        endpoint: \${OUTRIDER_SERVER}
        api_key: \${OUTRIDER_API_KEY}
LOGNOG
      ;;
    ndjson)
      cat <<NDJSON
#
# Any collector that takes NDJSON: the authentication and system logs, SSH authentication lines as security events
# (event.action, user.name, source.ip, ...), every other line as it is, one JSON object per line POSTed to the URL.

pipelines:
  logs:
    inputs:
      system_logs:
        type: file
        paths: $paths
        exclude: ["*.gz", "*.[0-9]"]   # rotated copies were read before they were rotated
    parsers:
      sshd: { type: sshd }
    unmatched: keep                    # lines the sshd parser does not know go out as they are
    outputs:
      collector:
        type: http
        format: ndjson
        endpoint: \${OUTRIDER_SERVER}
NDJSON
      if [ "${WITH_KEY:-}" = yes ] || { [ -z "${WITH_KEY:-}" ] && { [ -n "$API_KEY" ] || env_file_has OUTRIDER_API_KEY; }; }; then
        printf '%s\n' "        api_key: \${OUTRIDER_API_KEY}"
      fi
      ;;
  esac
}

# prints which configuration install.sh wrote FILE as (console, litesoc, lognog, ndjson), or 'edited'
config_kind() { # FILE RELEASE_DIR
  # the log files as written there, so that a file written with other --log-paths is still recognised
  written_paths=$(sed -n 's/^        paths: \(\[.*\]\)$/\1/p' "$1" | head -n 1)
  for kind in console litesoc lognog ndjson; do
    generate_config "$kind" "$written_paths" > "$WORK/candidate.yaml"
    cmp -s "$1" "$WORK/candidate.yaml" && { echo "$kind"; return; }
  done
  # written for an NDJSON collector that took no key, before one is given
  WITH_KEY=no
  generate_config ndjson "$written_paths" > "$WORK/candidate.yaml"
  WITH_KEY=
  cmp -s "$1" "$WORK/candidate.yaml" && { echo ndjson; return; }
  # an earlier install.sh copied the annotated example, which only prints to the console
  if cmp -s "$1" "$2/config/outrider.yaml"; then echo console; else echo edited; fi
}

# decides the configuration: written when absent; one install.sh wrote (and nobody changed since) is written again
# when this run names another collector, format or log files; one someone edited is kept. Leaves the file to be in
# $WORK/outrider.yaml and sets CONFIG_KIND (console, litesoc, lognog, ndjson or edited) and CONFIG_WRITE (yes/no).
plan_config() { # RELEASE_DIR
  config=$R$CONF_DIR/outrider.yaml
  CONFIG_WRITE=yes
  written_paths=
  if [ -f "$config" ]; then
    CONFIG_KIND=$(config_kind "$config" "$1")
    CONFIG_WRITE=no
    cp "$config" "$WORK/outrider.yaml"
    [ "$CONFIG_KIND" != edited ] || return 0
    wanted=$FORMAT
    if [ -z "$wanted" ]; then
      wanted=$CONFIG_KIND
      [ "$wanted" != console ] || [ "$COLLECTOR_GIVEN" = no ] || wanted=ndjson
    fi
    [ -n "$LOG_PATHS" ] || written_paths=$(sed -n 's/^        paths: \(\[.*\]\)$/\1/p' "$config" | head -n 1)
    [ "$wanted" = "$CONFIG_KIND" ] || [ -n "$LOG_PATHS" ] || written_paths=
  elif [ -n "$FORMAT" ]; then
    wanted=$FORMAT
  elif [ "$COLLECTOR_GIVEN" = yes ] || env_file_has OUTRIDER_SERVER; then
    wanted=ndjson
  else
    wanted=console
  fi
  generate_config "$wanted" "$written_paths" > "$WORK/outrider.yaml"
  CONFIG_KIND=$wanted
  if [ -f "$config" ] && ! cmp -s "$WORK/outrider.yaml" "$config"; then
    CONFIG_WRITE=yes
  fi
  return 0
}

# the env file to be: the installed one (or the template) with this run's server and key; in $WORK/agent.env
plan_env_file() { # RELEASE_DIR
  if [ -f "$R$CONF_DIR/agent.env" ]; then
    (umask 077 && cp "$R$CONF_DIR/agent.env" "$WORK/agent.env")
  else
    (umask 077 && cp "$1/systemd/agent.env" "$WORK/agent.env")
  fi
  [ -z "$SERVER" ] || set_env_var "$WORK/agent.env" OUTRIDER_SERVER "$SERVER"
  [ -z "$API_KEY" ] || set_env_var "$WORK/agent.env" OUTRIDER_API_KEY "$API_KEY"
  return 0
}

# runs outrider validate on the configuration to be, with the variables of the env file to be (as the service will
# see them), before anything is installed; keeps what it said, keys blanked out, in $WORK/validate.txt
validate_config() { # RELEASE_DIR
  (
    unset OUTRIDER_SERVER OUTRIDER_API_KEY LITESOC_KEY LITESOC_SERVER LOGNOG_SERVER LOGNOG_API_KEY
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        [A-Za-z_]*=*) ;;
        *) continue ;;
      esac
      name=${line%%=*}
      case "$name" in *[!A-Za-z0-9_]*) continue ;; esac
      value=${line#*=}
      case "$value" in
        \'*\') value=${value#\'}; value=${value%\'} ;;
        \"*\") value=${value#\"}; value=${value%\"} ;;
      esac
      export "$name=$value"
    done < "$WORK/agent.env"
    # validate starts nothing and writes nothing; the data directory may not exist yet
    OUTRIDER_DATA_DIR=$WORK/data
    export OUTRIDER_DATA_DIR
    status=0
    "$1/bin/outrider" validate -c "$WORK/outrider.yaml" > "$WORK/validate.out" 2>&1 || status=$?
    # the key goes through the environment, not an argument; a literal match, not a pattern
    SECRET=${OUTRIDER_API_KEY:-} WRITTEN=$WORK/outrider.yaml INSTALLED=$CONF_DIR/outrider.yaml awk '
      BEGIN { secret = ENVIRON["SECRET"]; written = ENVIRON["WRITTEN"]; installed = ENVIRON["INSTALLED"] }
      { line = $0
        while (secret != "" && (at = index(line, secret)) > 0) line = substr(line, 1, at - 1) "***" substr(line, at + length(secret))
        while ((at = index(line, written)) > 0) line = substr(line, 1, at - 1) installed substr(line, at + length(written))
        print line }' "$WORK/validate.out" > "$WORK/validate.txt"
    exit "$status"
  )
}

# --- outrider on the PATH ---------------------------------------------------------------------------------------------
# a relative link, so that it also resolves in a --root tree seen from outside
link_target() {
  printf '%s%s/current/bin/outrider' "$(dirname "$LINK" | sed -e 's#/[^/]*#../#g' -e 's#/$##')" "$PREFIX"
}

install_link() { # returns 0 when it made or changed the link
  link_to=$(link_target)
  if [ -L "$R$LINK" ] && [ "$(readlink "$R$LINK")" = "$link_to" ]; then
    return 1
  fi
  if { [ -e "$R$LINK" ] || [ -L "$R$LINK" ]; } && ! manifest_has "file $LINK"; then
    say "kept $LINK, which install.sh did not make; the agent is $PREFIX/current/bin/outrider"
    return 1
  fi
  make_parents "$LINK"
  ln -sfn "$link_to" "$R$LINK.new"
  mv -T "$R$LINK.new" "$R$LINK"
  manifest_add "file $LINK"
  return 0
}

# --- the release to install -------------------------------------------------------------------------------------------
bundle_version() { tr -d ' \n' < "$1/VERSION"; }

# prints the directory holding release $1, fetching and unpacking it when needed
locate_release() {
  if [ "$(bundle_version "$BUNDLE")" = "$1" ]; then
    echo "$BUNDLE"; return
  fi
  if [ -f "$R$PREFIX/releases/$1/VERSION" ]; then
    echo "$R$PREFIX/releases/$1"; return
  fi
  source_dir=${FROM:-$(dirname "$BUNDLE")}
  # the download for this machine's architecture (its native libraries only) when there is one, else the one for both
  case "$(uname -m)" in
    x86_64|amd64) platform_archive=outrider-$1-linux-x86_64.tar.gz ;;
    aarch64|arm64) platform_archive=outrider-$1-linux-aarch64.tar.gz ;;
    *) platform_archive= ;;
  esac
  archive=outrider-$1.tar.gz
  case "$source_dir" in
    http://*|https://*)
      command -v curl >/dev/null 2>&1 || die "curl is needed to download $source_dir/$archive"
      # quiet: a release site without per-architecture archives answers 404, and the one for both is what counts
      if [ -n "$platform_archive" ] && curl -fsSL -o "$WORK/$platform_archive" "${source_dir%/}/$platform_archive" 2>/dev/null; then
        archive=$platform_archive
      else
        curl -fsSL -o "$WORK/$archive" "${source_dir%/}/$archive" || die "cannot download ${source_dir%/}/$archive"
      fi
      ;;
    *)
      if [ -n "$platform_archive" ] && [ -f "$source_dir/$platform_archive" ]; then
        archive=$platform_archive
      fi
      [ -f "$source_dir/$archive" ] || die "version $1 is neither this bundle ($(bundle_version "$BUNDLE")) nor installed; $source_dir/$archive does not exist (use --from)"
      cp "$source_dir/$archive" "$WORK/"
      ;;
  esac
  tar -xzf "$WORK/$archive" -C "$WORK"
  [ -f "$WORK/outrider-$1/VERSION" ] && [ "$(bundle_version "$WORK/outrider-$1")" = "$1" ] \
    || die "$archive does not contain outrider-$1/VERSION with version $1"
  echo "$WORK/outrider-$1"
}

set_env_var() { # FILE NAME VALUE: replaces NAME=... (or its commented template line) or appends it
  case "$3" in
    *"'"*|*"
"*) die "$2 must not contain a single quote or a line break" ;;
  esac
  tmp="$1.tmp"
  # the value goes through the environment, not awk -v, which would interpret backslashes; it is never printed
  (umask 077 && ENV_NAME=$2 ENV_VALUE=$3 awk '
    BEGIN { done = 0; line = ENVIRON["ENV_NAME"] "=\047" ENVIRON["ENV_VALUE"] "\047" }
    !done && ($0 ~ "^" ENVIRON["ENV_NAME"] "=" || $0 ~ "^# " ENVIRON["ENV_NAME"] "=") { print line; done = 1; next }
    { print }
    END { if (!done) print line }' "$1" > "$tmp")
  chmod 0600 "$tmp"
  cat "$tmp" > "$1"
  rm -f "$tmp"
}

# the release's files as checksums, without the class-data sharing archive made after it was installed
release_files() { # DIR
  (cd "$1" && find . -path ./lib/cds -prune -o -type f -exec cksum {} + | sort)
}

# the class-data sharing archive of a system Java (bin/make-cds-archive, docs/footprint.md): made when the release was
# installed by this run, and again when bin/outrider does not take the one there (none, or the Java was upgraded or
# replaced); the agent starts without one, so not making it fails nothing (make-cds-archive says why in one line).
# With --root the Java of this machine need not be the one that runs the agent there.
make_cds_archive() { # RELEASE_DIR COPIED
  if [ -n "$R" ]; then
    [ "$2" = no ] || say "no class-data sharing archive with --root: run $PREFIX/current/bin/make-cds-archive where the agent runs"
  elif [ "$2" = yes ] || ! "$1/bin/make-cds-archive" --check; then
    "$1/bin/make-cds-archive" || true
  fi
}

install_agent() {
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  version=${WANTED_VERSION:-$(bundle_version "$BUNDLE")}
  release=$(locate_release "$version")
  check_java "$release"
  check_systemd
  resolve_collector
  # the configuration and env file to be are checked before anything changes: an invalid one changes nothing
  plan_env_file "$release"
  plan_config "$release"
  if ! validate_config "$release"; then
    {
      echo "install.sh: the configuration would not be valid, so nothing was installed or changed; outrider validate says:"
      cat "$WORK/validate.txt"
      echo "install.sh: fix what it says (the collector's address or key, --log-paths, or $CONF_DIR/outrider.yaml), then run install.sh again"
    } >&2
    exit 1
  fi
  # warnings do not stop the install, but a log path that matches nothing means an agent that reads nothing: say them
  if grep -q '^Configuration has [0-9]* warning' "$WORK/validate.txt"; then
    {
      echo "install.sh: outrider validate warns (the agent is installed and starts anyway):"
      sed -n '/^Configuration has [0-9]* warning/,$p' "$WORK/validate.txt" | grep '^[0-9][0-9]*) '
    } >&2
  fi
  # the manifest lives in PREFIX, so PREFIX's own missing parents are noted once it exists
  missing=
  parent=$(dirname "$PREFIX")
  while [ ! -d "$R$parent" ]; do missing="$parent $missing"; parent=$(dirname "$parent"); done
  mkdir -p "$R$PREFIX"
  for parent in $missing; do manifest_add "parent $parent"; done
  manifest_add "dir $PREFIX"
  ensure_user
  changed=no

  target=$R$PREFIX/releases/$version
  copied=no
  if [ "$release" != "$target" ]; then
    if [ -d "$target" ] && [ "$(release_files "$release")" = "$(release_files "$target")" ]; then
      : # the same files are there already
    else
      copied=yes
      rm -rf "$target.new"
      mkdir -p "$R$PREFIX/releases"
      cp -R "$release" "$target.new"
      rm -rf "$target.new/lib/cds"
      rm -rf "$target"
      mv "$target.new" "$target"
      changed=yes
      say "installed Outrider $version to $PREFIX/releases/$version"
    fi
  fi
  current=$(readlink "$R$PREFIX/current" 2>/dev/null || true)
  if [ "$current" != "releases/$version" ]; then
    # the release replaced now stays for a rollback (install.sh --version OLD); older ones go below
    [ -z "$current" ] || echo "${current#releases/}" > "$R$PREFIX/.previous"
    ln -sfn "releases/$version" "$R$PREFIX/current.new"
    mv -T "$R$PREFIX/current.new" "$R$PREFIX/current"
    changed=yes
    say "$PREFIX/current -> releases/$version"
  fi

  make_cds_archive "$target" "$copied"

  if [ ! -d "$R$CONF_DIR" ]; then
    make_parents "$CONF_DIR"
    mkdir "$R$CONF_DIR"
    manifest_add "dir $CONF_DIR"
  fi
  chmod 0750 "$R$CONF_DIR"
  owner "$R$CONF_DIR" root "$SERVICE_USER"
  env_file=$R$CONF_DIR/agent.env
  if [ ! -f "$env_file" ]; then
    (umask 077 && cp "$WORK/agent.env" "$env_file")
    manifest_add "file $CONF_DIR/agent.env"
  elif ! cmp -s "$WORK/agent.env" "$env_file"; then
    cat "$WORK/agent.env" > "$env_file"
    changed=yes
    say "updated $CONF_DIR/agent.env"
  fi
  chmod 0600 "$env_file"
  owner "$env_file" root root

  config=$R$CONF_DIR/outrider.yaml
  if [ "$CONFIG_WRITE" = yes ]; then
    [ -f "$config" ] || manifest_add "file $CONF_DIR/outrider.yaml"
    cp "$WORK/outrider.yaml" "$config.tmp"
    chmod 0640 "$config.tmp"
    mv "$config.tmp" "$config"
    changed=yes
    case "$CONFIG_KIND" in
      console) say "wrote $CONF_DIR/outrider.yaml (edit it, then: outrider validate -c $CONF_DIR/outrider.yaml)" ;;
      *) say "wrote $CONF_DIR/outrider.yaml: events go to ${SERVER:-the collector of $CONF_DIR/agent.env} in the $CONFIG_KIND format (the address and key are in $CONF_DIR/agent.env)" ;;
    esac
  elif [ "$CONFIG_KIND" = edited ] && { [ "$COLLECTOR_GIVEN" = yes ] || [ -n "$FORMAT" ] || [ -n "$LOG_PATHS" ]; }; then
    say "kept $CONF_DIR/outrider.yaml, which was changed since install.sh wrote it; the collector given is in $CONF_DIR/agent.env: refer to it in outrider.yaml as \${OUTRIDER_SERVER} and \${OUTRIDER_API_KEY}"
  fi
  chmod 0640 "$config"
  owner "$config" root "$SERVICE_USER"
  if [ "$CONFIG_KIND" = console ]; then
    say "no collector given (OUTRIDER_SERVER and OUTRIDER_API_KEY, or LITESOC_KEY, or LOGNOG_SERVER and LOGNOG_API_KEY): the agent will only print events to the console and ship nothing"
  fi

  if [ ! -d "$R$DATA_DIR" ]; then
    make_parents "$DATA_DIR"
    mkdir "$R$DATA_DIR"
    manifest_add "dir $DATA_DIR"
  fi
  chmod 0700 "$R$DATA_DIR"
  owner "$R$DATA_DIR" "$SERVICE_USER" "$SERVICE_USER"

  if install_link; then
    changed=yes
    say "linked $LINK -> $PREFIX/current/bin/outrider"
  fi

  if [ "$SYSTEMD" = yes ]; then
    if write_unit "$target"; then
      changed=yes
      say "wrote $UNIT"
    fi
    if systemctl_live; then
      systemctl daemon-reload
      systemctl enable outrider.service >/dev/null 2>&1
      if [ "$START" = yes ]; then
        if [ "$changed" = yes ] || ! systemctl is-active --quiet outrider.service; then
          systemctl restart outrider.service
          say "outrider.service (re)started; journalctl -u outrider shows its log"
        fi
      fi
    fi
  fi
  previous=$(cat "$R$PREFIX/.previous" 2>/dev/null || true)
  for old in "$R$PREFIX"/releases/*; do
    [ -d "$old" ] || continue
    name=$(basename "$old")
    [ "$name" = "$version" ] || [ "$name" = "$previous" ] || rm -rf "$old"
  done
  [ "$changed" = yes ] || say "Outrider $version is installed already; nothing changed"
}

uninstall_agent() {
  if [ ! -f "$R$MANIFEST" ]; then
    say "nothing to uninstall under $ROOT (no $MANIFEST)"
    return
  fi
  if systemctl_live && [ -f "$R$UNIT" ]; then
    systemctl disable --now outrider.service >/dev/null 2>&1 || true
  fi
  # in reverse order of creation: files before the directories that hold them
  tac "$R$MANIFEST" | while read -r kind path; do
    case "$kind" in
      file) rm -f "$R$path" ;;
      dir)
        if [ "$path" = "$DATA_DIR" ] && [ "$KEEP_DATA" = yes ]; then
          say "kept $DATA_DIR (--keep-data)"
        elif [ "$path" = "$PREFIX" ]; then
          # tac has read the whole manifest already
          rm -rf "$R$PREFIX/releases" "$R$PREFIX/current" "$R$PREFIX/.previous" "$R$MANIFEST"
          rmdir "$R$PREFIX" 2>/dev/null || say "kept $PREFIX: it holds files the installer did not make"
        else
          rm -rf "$R$path"
        fi
        ;;
      parent) rmdir "$R$path" 2>/dev/null || true ;;
      user)
        if [ "$KEEP_DATA" = yes ]; then
          say "kept user $path: it owns $DATA_DIR"
        else
          # shellcheck disable=SC2046
          userdel $(prefix_opt) "$path" 2>/dev/null || true
          # shellcheck disable=SC2046
          ! grep -q "^$path:" "$R/etc/group" 2>/dev/null || groupdel $(prefix_opt) "$path"
        fi
        ;;
    esac
  done
  if systemctl_live; then
    systemctl daemon-reload
  fi
  say "uninstalled"
}

case "$ACTION" in
  install) install_agent ;;
  uninstall) uninstall_agent ;;
esac
