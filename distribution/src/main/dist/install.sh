#!/bin/sh
# Outrider installer. Run as root from the unpacked tarball:
#
#   OUTRIDER_SERVER=https://collector.example OUTRIDER_API_KEY=... ./install.sh
#
# installs the agent to /opt/outrider/releases/VERSION (/opt/outrider/current points at it), creates the system user
# 'outrider', writes /etc/outrider/outrider.yaml (only if absent) and /etc/outrider/agent.env (mode 0600, the key),
# and enables and starts the systemd service. Running it again changes nothing; --uninstall removes what it made.
set -eu

usage() {
  cat <<'USAGE'
usage: install.sh [options]

  --prefix DIR     install location (default /opt/outrider)
  --root DIR       treat DIR as / (a throw-away root: image builds, tests); user and group go into DIR/etc
  --version V      install exactly version V: this bundle when it is V, else an earlier release kept under
                   PREFIX/releases/V, else outrider-V.tar.gz from --from
  --from DIR|URL   where outrider-VERSION.tar.gz files are (default: the directory above this bundle)
  --no-systemd     neither install the unit nor call systemctl (containers, hosts without systemd)
  --no-start       enable the service but do not (re)start it
  --uninstall      stop the service and remove everything an install made, the data directory included
  --keep-data      with --uninstall: keep the data directory (events not yet delivered)
  -h, --help       this text

environment:
  OUTRIDER_SERVER, OUTRIDER_API_KEY   written to /etc/outrider/agent.env (mode 0600), never into the config
  JAVA_HOME                           the Java runtime (else the bundled jre/, else java on the PATH); 17 or newer
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
  archive=outrider-$1.tar.gz
  case "$source_dir" in
    http://*|https://*)
      command -v curl >/dev/null 2>&1 || die "curl is needed to download $source_dir/$archive"
      curl -fsSL -o "$WORK/$archive" "${source_dir%/}/$archive" || die "cannot download ${source_dir%/}/$archive"
      ;;
    *)
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

install_agent() {
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  version=${WANTED_VERSION:-$(bundle_version "$BUNDLE")}
  release=$(locate_release "$version")
  check_java "$release"
  check_systemd
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
  if [ "$release" != "$target" ]; then
    if [ -d "$target" ] && [ "$(cd "$release" && find . -type f -exec cksum {} + | sort)" = "$(cd "$target" && find . -type f -exec cksum {} + | sort)" ]; then
      : # the same files are there already
    else
      rm -rf "$target.new"
      mkdir -p "$R$PREFIX/releases"
      cp -R "$release" "$target.new"
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

  if [ ! -d "$R$CONF_DIR" ]; then
    make_parents "$CONF_DIR"
    mkdir "$R$CONF_DIR"
    manifest_add "dir $CONF_DIR"
  fi
  chmod 0750 "$R$CONF_DIR"
  owner "$R$CONF_DIR" root "$SERVICE_USER"
  if [ ! -f "$R$CONF_DIR/outrider.yaml" ]; then
    cp "$target/config/outrider.yaml" "$R$CONF_DIR/outrider.yaml"
    manifest_add "file $CONF_DIR/outrider.yaml"
    say "wrote $CONF_DIR/outrider.yaml (edit it, then: $PREFIX/current/bin/outrider validate -c $CONF_DIR/outrider.yaml)"
  fi
  chmod 0640 "$R$CONF_DIR/outrider.yaml"
  owner "$R$CONF_DIR/outrider.yaml" root "$SERVICE_USER"
  env_file=$R$CONF_DIR/agent.env
  if [ ! -f "$env_file" ]; then
    (umask 077 && cp "$target/systemd/agent.env" "$env_file")
    manifest_add "file $CONF_DIR/agent.env"
  fi
  chmod 0600 "$env_file"
  owner "$env_file" root root
  before=$(cksum < "$env_file")
  [ -z "${OUTRIDER_SERVER:-}" ] || set_env_var "$env_file" OUTRIDER_SERVER "$OUTRIDER_SERVER"
  [ -z "${OUTRIDER_API_KEY:-}" ] || set_env_var "$env_file" OUTRIDER_API_KEY "$OUTRIDER_API_KEY"
  [ "$before" = "$(cksum < "$env_file")" ] || { changed=yes; say "updated $CONF_DIR/agent.env"; }

  if [ ! -d "$R$DATA_DIR" ]; then
    make_parents "$DATA_DIR"
    mkdir "$R$DATA_DIR"
    manifest_add "dir $DATA_DIR"
  fi
  chmod 0750 "$R$DATA_DIR"
  owner "$R$DATA_DIR" "$SERVICE_USER" "$SERVICE_USER"

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
