#!/usr/bin/env bash
# Checks the native packages the way a Debian or Fedora administrator meets them, after `mvn package` built them:
#   - the .deb is installed for real (dpkg -i), its launcher on the PATH runs (outrider --version), the configuration
#     it installs is valid (outrider validate), the system user, the file modes and the conffiles are as documented,
#     and dpkg --purge leaves nothing behind (files, user, group, data, configuration);
#   - outrider-with-runtime's .deb depends on no Java, runs on its own jre/ with no java on the PATH, and purges clean;
#   - the .rpm's file list, modes, config flags, dependencies and scripts are read with rpm -qp (Debian has rpm, not
#     dnf; installing it for real needs an RPM-based machine);
#   - there is a .deb (amd64, arm64) and an .rpm (x86_64, aarch64) per architecture, each saying its architecture and
#     carrying the native libraries (SQLite's in lib/native/, JNA's) of that one only; this machine's are installed
#     (the .deb) and read in detail (the .rpm).
# Needs root, a Debian-like machine with Java 17+ from a package (the .deb depends on it), and rpm (apt-get install
# rpm). Refuses to run where an outrider is installed already: it would remove it.
# usage: check-packages.sh [DIR]   (DIR: where the packages are; default distribution/target)
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/../../.." && pwd)/target}
fail() { echo "check-packages: FAILED: $*" >&2; exit 1; }
step() { echo "check-packages: $*"; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs the .deb"
command -v dpkg >/dev/null || fail "dpkg is missing: this check runs on Debian or Ubuntu"
command -v rpm >/dev/null || fail "rpm is missing: apt-get install rpm"
shopt -s nullglob
deb_arch=$(dpkg --print-architecture)
case "$deb_arch" in
  amd64) arch=x86_64 ;;
  arm64) arch=aarch64 ;;
  *) fail "the packages are built for amd64 and arm64, not for this $deb_arch machine" ;;
esac
# ARCH DEB-ARCH JNA-FOLDER, one line per architecture the packages are built for
platforms="x86_64 amd64 linux-x86-64
aarch64 arm64 linux-aarch64"
while read -r platform platform_deb jna_folder; do
  debs=("$dir"/outrider_*_"$platform_deb".deb)
  rpms=("$dir"/outrider-*."$platform".rpm)
  [ ${#debs[@]} = 1 ] || fail "expected one outrider_*_$platform_deb.deb in $dir, found ${#debs[@]} (run mvn package first)"
  [ ${#rpms[@]} = 1 ] || fail "expected one outrider-*.$platform.rpm in $dir, found ${#rpms[@]} (run mvn package first)"
  step "$(basename "${debs[0]}") and $(basename "${rpms[0]}"): $platform only"
  [ "$(dpkg-deb -f "${debs[0]}" Architecture)" = "$platform_deb" ] \
    || fail "$(basename "${debs[0]}") says Architecture: $(dpkg-deb -f "${debs[0]}" Architecture)"
  [ "$(rpm -qp --qf '%{ARCH}' "${rpms[0]}" 2>/dev/null)" = "$platform" ] \
    || fail "$(basename "${rpms[0]}") says arch $(rpm -qp --qf '%{ARCH}' "${rpms[0]}" 2>/dev/null)"
  for package in "${debs[0]}" "${rpms[0]}"; do
    if [[ "$package" == *.deb ]]; then
      listed=$(dpkg-deb --fsys-tarfile "$package" | tar -t | sed 's|^\./|/|')
      jna_jar=$(mktemp -d)
      dpkg-deb --fsys-tarfile "$package" | tar -x -C "$jna_jar" --wildcards './opt/outrider/plugins/input-journald/jna-*.jar'
    else
      listed=$(rpm -qlp "$package" 2>/dev/null)
      jna_jar=$(mktemp -d)
      rpm2archive - < "$package" | tar -xz -C "$jna_jar" --wildcards './opt/outrider/plugins/input-journald/jna-*.jar'
    fi
    native=$(grep '^/opt/outrider/lib/native/.*\.so$' <<< "$listed" | LC_ALL=C sort | tr '\n' ' ')
    [ "$native" = "/opt/outrider/lib/native/Linux-Musl-$platform/libsqlitejdbc.so /opt/outrider/lib/native/Linux-$platform/liblz4-java.so /opt/outrider/lib/native/Linux-$platform/libsqlitejdbc.so " ] \
      || fail "$(basename "$package") has the native libraries '$native'"
    jna=$(unzip -Z1 "$jna_jar"/opt/outrider/plugins/input-journald/jna-*.jar | grep 'jnidispatch' | tr '\n' ' ')
    rm -rf "$jna_jar"
    [ "$jna" = "com/sun/jna/$jna_folder/libjnidispatch.so " ] || fail "$(basename "$package")'s JNA has the libraries '$jna'"
  done
done <<< "$platforms"
deb=$(echo "$dir"/outrider_*_"$deb_arch".deb)
rpm_file=$(echo "$dir"/outrider-*."$arch".rpm)
runtime_debs=("$dir"/outrider-with-runtime_*_"$deb_arch".deb)
[ ${#runtime_debs[@]} = 1 ] || fail "expected one outrider-with-runtime_*_$deb_arch.deb in $dir, found ${#runtime_debs[@]}"
extras=("$dir"/outrider-*-extras.tar.gz)
[ ${#extras[@]} = 1 ] || fail "expected one outrider-*-extras.tar.gz in $dir, found ${#extras[@]}"
status=$(dpkg-query -W -f='${Status}' outrider outrider-with-runtime 2>/dev/null || true)
if [[ "$status" == *installed* ]] || [ -e /opt/outrider ] || [ -e /etc/outrider ] \
  || getent passwd outrider >/dev/null; then
  fail "an outrider is installed here already (package, /opt/outrider, /etc/outrider or user outrider); not touching it"
fi

mode_of() { stat -c '%a %U:%G' "$1"; }
expect_mode() { # PATH "MODE USER:GROUP"
  actual=$(mode_of "$1")
  [ "$actual" = "$2" ] || fail "$1 is $actual, expected $2"
}

# --- .deb -------------------------------------------------------------------------------------------------------------
step "dpkg -i $(basename "$deb")"
purged=no
cleanup() {
  if [ "$purged" = no ]; then dpkg --purge outrider >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
expect_purged() { # what a purge must leave: nothing
  for path in /opt/outrider /etc/outrider /var/lib/outrider /usr/bin/outrider /lib/systemd/system/outrider.service \
    /etc/systemd/system/multi-user.target.wants/outrider.service; do
    if [ -e "$path" ] || [ -L "$path" ]; then fail "$path is still there after dpkg --purge"; fi
  done
  if getent passwd outrider >/dev/null; then fail "user outrider is still there after dpkg --purge"; fi
  if getent group outrider >/dev/null; then fail "group outrider is still there after dpkg --purge"; fi
  if dpkg-query -W "$1" >/dev/null 2>&1; then fail "dpkg still knows $1 after --purge"; fi
}
dpkg -i "$deb" > "$dir/dpkg-install.log" 2>&1 || { cat "$dir/dpkg-install.log" >&2; fail "dpkg -i"; }
grep -q "it ships nothing" "$dir/dpkg-install.log" \
  || { cat "$dir/dpkg-install.log" >&2; fail "the first install did not say that the shipped configuration ships nothing"; }

step "outrider --version (the launcher on the PATH)"
[ "$(command -v outrider)" = /usr/bin/outrider ] || fail "outrider on the PATH is '$(command -v outrider || true)', not /usr/bin/outrider"
version=$(outrider --version)
want=$(cat /opt/outrider/VERSION)
[[ "$version" == *"$want"* ]] || fail "outrider --version printed '$version', expected it to name $want"

installed_native=$(ls /opt/outrider/lib/native | LC_ALL=C sort | tr '\n' ' ')
[ "$installed_native" = "Linux-Musl-$arch Linux-$arch " ] || fail "/opt/outrider/lib/native has $installed_native"

step "the class-data sharing archive for the system Java: made by the postinst, used by the launcher"
grep -q '^make-cds-archive: made /opt/outrider/lib/cds/outrider.jsa ' "$dir/dpkg-install.log" \
  || { cat "$dir/dpkg-install.log" >&2; fail "the postinst did not make /opt/outrider/lib/cds/outrider.jsa"; }
expect_mode /opt/outrider/lib/cds/outrider.jsa "644 root:root"
/opt/outrider/bin/make-cds-archive --check || fail "bin/outrider does not use the archive the postinst made"
# as the service runs it: user outrider, its classes from the archive
cds_log=$(mktemp -d)
chmod 0777 "$cds_log"
cds_version=$(su -s /bin/sh outrider -c "OUTRIDER_EXTRA_JAVA_OPTS=-Xlog:class+load=info:file=$cds_log/classes.log outrider --version" 2>&1) \
  || fail "outrider --version as user outrider, class loading logged: $cds_version"
[ "$cds_version" = "$(outrider --version)" ] || fail "outrider --version with the archive printed '$cds_version'"
grep -q 'io.outrider.core.cli.Main source: shared objects file$' "$cds_log/classes.log" \
  || fail "the installed agent (user outrider) did not load its classes from /opt/outrider/lib/cds/outrider.jsa"
rm -rf "$cds_log"

step "outrider validate (the installed /etc/outrider/outrider.yaml)"
validate_out=$(outrider validate 2>&1) || { echo "$validate_out" >&2; fail "outrider validate"; }

step "SQLite in a plugin from the agent's one sqlite-jdbc, stripped of natives: input-fim's baseline"
work=$(mktemp -d)
mkdir "$work/tree" && echo one > "$work/tree/a" && echo two > "$work/tree/b"
# no temporary directory at all: sqlite-jdbc's extraction of its library would fail, so only lib/native/ can serve.
# (Looking for extracted files in /tmp proves nothing: sqlite-jdbc deletes them at exit, and other JVMs on the machine
# extract theirs there.)
tmp_opts="-Djava.io.tmpdir=$work/no-tmp"
cat > "$work/outrider.yaml" <<YAML
agent: { data_dir: $work/data }
pipelines:
  integrity:
    inputs:
      tree: { type: fim, paths: ["$work/tree"], watch_agent_files: false }
    outputs:
      out: { type: console, format: text }
YAML
baseline=$(OUTRIDER_EXTRA_JAVA_OPTS=$tmp_opts outrider run-once --exit-code -c "$work/outrider.yaml" 2>&1) \
  || { echo "$baseline" >&2; fail "outrider run-once, the baseline (without a temporary directory: SQLite from /opt/outrider/lib/native only)"; }
grep -q 'integrity.tree .* round complete, 0 events' <<< "$baseline" || fail "outrider run-once (the baseline) said: $baseline"
echo changed > "$work/tree/a"
check_status=0
check=$(OUTRIDER_EXTRA_JAVA_OPTS=$tmp_opts outrider run-once --exit-code -c "$work/outrider.yaml" 2>&1) || check_status=$?
[ "$check_status" = 1 ] && grep -q "modified.*$work/tree/a" <<< "$check" || { echo "$check" >&2; fail "outrider run-once --exit-code, the check (exit $check_status)"; }
rm -rf "$work"

step "user, groups, file modes, conffiles"
getent passwd outrider | grep -q ':/var/lib/outrider:' || fail "no system user outrider with home /var/lib/outrider: $(getent passwd outrider || true)"
uid=$(id -u outrider)
[ "$uid" -lt 1000 ] || fail "outrider is uid $uid, not a system user"
expect_mode /etc/outrider "750 root:outrider"
expect_mode /etc/outrider/outrider.yaml "640 root:outrider"
expect_mode /etc/outrider/agent.env "600 root:root"
expect_mode /opt/outrider/bin/outrider "755 root:root"
expect_mode /lib/systemd/system/outrider.service "644 root:root"
conffiles=$(dpkg-query -W -f='${Conffiles}' outrider | awk '{ print $1 }' | sort | tr '\n' ' ')
[ "$conffiles" = "/etc/outrider/agent.env /etc/outrider/outrider.yaml " ] || fail "conffiles are '$conffiles'"
grep -qx 'ExecStart=/opt/outrider/bin/outrider run -c /etc/outrider/outrider.yaml' /lib/systemd/system/outrider.service \
  || fail "the unit does not start /opt/outrider/bin/outrider"
grep -qx 'ExecStartPre=-+/opt/outrider/bin/make-cds-archive --if-stale' /lib/systemd/system/outrider.service \
  || fail "the unit does not make a stale class-data sharing archive again before it starts"
if command -v systemd-analyze >/dev/null; then
  exposure=$(systemd-analyze security --offline=true --no-pager /lib/systemd/system/outrider.service 2>&1 \
    | sed -n 's/.*Overall exposure level for outrider\.service: \([0-9.]*\).*/\1/p')
  [ -n "$exposure" ] || fail "systemd-analyze security rated nothing for the installed unit"
  awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "the installed unit's exposure is $exposure, above 2.0"
  step "systemd-analyze security: the installed unit's exposure is $exposure"
fi
# the agent as the service runs it: as user outrider, reading what the unit gives it
su -s /bin/sh outrider -c 'outrider validate -c /etc/outrider/outrider.yaml' >/dev/null 2>&1 \
  || fail "user outrider cannot validate /etc/outrider/outrider.yaml"
if su -s /bin/sh outrider -c 'cat /etc/outrider/agent.env' >/dev/null 2>&1; then
  fail "user outrider can read agent.env (the API key)"
fi

step "an edited conffile survives a reinstall, and the data directory an older package's service made is narrowed"
echo "OUTRIDER_SERVER=http://127.0.0.1:9" >> /etc/outrider/agent.env
# systemd applies StateDirectoryMode= only to a directory it creates; older packages had 0750, which the agent warns about
install -d -m 0750 -o outrider -g outrider /var/lib/outrider
dpkg -i --force-confold "$deb" > "$dir/dpkg-reinstall.log" 2>&1 || { cat "$dir/dpkg-reinstall.log" >&2; fail "dpkg -i (again)"; }
grep -qx 'OUTRIDER_SERVER=http://127.0.0.1:9' /etc/outrider/agent.env || fail "the reinstall replaced the edited agent.env"
expect_mode /etc/outrider/agent.env "600 root:root"
expect_mode /var/lib/outrider "700 outrider:outrider"
grep -q '^make-cds-archive: made /opt/outrider/lib/cds/outrider.jsa ' "$dir/dpkg-reinstall.log" \
  || { cat "$dir/dpkg-reinstall.log" >&2; fail "the reinstall did not make the class-data sharing archive again"; }

step "a Java upgrade (files under /usr/lib/jvm: the .deb's file trigger) makes the archive again"
echo "the key of another Java" > /opt/outrider/lib/cds/outrider.jsa.key
if /opt/outrider/bin/make-cds-archive --check; then fail "bin/outrider uses an archive whose key is another Java's"; fi
dpkg-trigger --no-await /usr/lib/jvm
dpkg --triggers-only outrider > "$dir/dpkg-trigger.log" 2>&1 || { cat "$dir/dpkg-trigger.log" >&2; fail "dpkg --triggers-only outrider"; }
grep -q '^make-cds-archive: made /opt/outrider/lib/cds/outrider.jsa ' "$dir/dpkg-trigger.log" \
  || { cat "$dir/dpkg-trigger.log" >&2; fail "the trigger on /usr/lib/jvm did not make the archive again"; }
/opt/outrider/bin/make-cds-archive --check || fail "bin/outrider does not use the archive the trigger made"

step "the extras archive adds its plugins with one command"
plugins_before=$(outrider plugins 2>&1)
if grep -q output-kafka <<< "$plugins_before"; then fail "output-kafka is in the standard package: $plugins_before"; fi
tar -xzf "${extras[0]}" -C /opt/outrider
plugins_after=$(outrider plugins 2>&1)
grep -q output-kafka <<< "$plugins_after" || fail "output-kafka is not listed after adding the extras: $plugins_after"

step "dpkg --remove takes the class-data sharing archive along, dpkg --purge leaves nothing"
dpkg --remove outrider > "$dir/dpkg-remove.log" 2>&1 || { cat "$dir/dpkg-remove.log" >&2; fail "dpkg --remove"; }
if [ -e /opt/outrider/lib/cds ]; then fail "/opt/outrider/lib/cds is still there after dpkg --remove"; fi
if grep -q "/opt/outrider/lib' not empty" "$dir/dpkg-remove.log"; then cat "$dir/dpkg-remove.log" >&2; fail "dpkg --remove left a directory behind"; fi
mkdir -p /var/lib/outrider && echo data > /var/lib/outrider/buffer.db   # what a run of the service leaves
dpkg --purge outrider > "$dir/dpkg-purge.log" 2>&1 || { cat "$dir/dpkg-purge.log" >&2; fail "dpkg --purge"; }
purged=yes
expect_purged outrider

# --- the .deb with its own runtime ----------------------------------------------------------------------------------
runtime_deb=${runtime_debs[0]}
step "dpkg -i $(basename "$runtime_deb") (no Java dependency; runs on its jre/ with no java on the PATH)"
depends=$(dpkg-deb -f "$runtime_deb" Depends)
if grep -qi 'java\|jre' <<< "$depends"; then fail "outrider-with-runtime depends on Java: $depends"; fi
purged=no
cleanup() {
  if [ "$purged" = no ]; then dpkg --purge outrider-with-runtime >/dev/null 2>&1 || true; fi
}
dpkg -i "$runtime_deb" > "$dir/dpkg-install-runtime.log" 2>&1 || { cat "$dir/dpkg-install-runtime.log" >&2; fail "dpkg -i $(basename "$runtime_deb")"; }
tools=$(mktemp -d)
for tool in dirname readlink uname grep; do ln -s "$(command -v "$tool")" "$tools/$tool"; done
if env -i PATH="$tools" /bin/sh -c 'command -v java' >/dev/null; then fail "java is on the PATH $tools"; fi
runtime_version=$(env -i PATH="$tools" /usr/bin/outrider --version 2>&1) || { echo "$runtime_version" >&2; fail "outrider --version without a java on the PATH"; }
[[ "$runtime_version" == *"$want"* ]] || fail "outrider --version (with-runtime) printed '$runtime_version'"
env -i PATH="$tools" /usr/bin/outrider validate >/dev/null 2>&1 || fail "outrider validate (with-runtime) failed"
# a bundled Java 25+ starts the agent from the AOT cache the build made elsewhere (bin/outrider, docs/footprint.md)
if [ -f /opt/outrider/lib/outrider.aot ]; then
  step "the installed with-runtime agent starts from its AOT cache (and has no class-data sharing archive)"
  if [ -e /opt/outrider/lib/cds ]; then fail "the with-runtime package made /opt/outrider/lib/cds beside its AOT cache"; fi
  class_log=$(mktemp)
  env -i PATH="$tools" OUTRIDER_EXTRA_JAVA_OPTS="-Xlog:class+load=info:file=$class_log" /usr/bin/outrider --version >/dev/null 2>&1 \
    || fail "outrider --version (with-runtime, class loading logged) failed"
  grep -q 'io.outrider.core.cli.Main source: shared objects file' "$class_log" \
    || fail "the installed with-runtime agent did not load its classes from /opt/outrider/lib/outrider.aot"
  rm -f "$class_log"
fi
rm -rf "$tools"
expect_mode /opt/outrider/jre/bin/java "755 root:root"
expect_mode /etc/outrider/agent.env "600 root:root"
dpkg --purge outrider-with-runtime > "$dir/dpkg-purge-runtime.log" 2>&1 || { cat "$dir/dpkg-purge-runtime.log" >&2; fail "dpkg --purge outrider-with-runtime"; }
purged=yes
expect_purged outrider-with-runtime

# --- .rpm -------------------------------------------------------------------------------------------------------------
step "rpm -qp $(basename "$rpm_file")"
dump=$(rpm -qp --dump "$rpm_file" 2>/dev/null)
rpm_mode() { # PATH -> "MODE USER:GROUP CONFIG"; --dump: path size mtime digest mode owner group isconfig isdoc ...
  awk -v path="$1" '$1 == path { print substr($5, length($5) - 2) " " $6 ":" $7 " " $8 }' <<< "$dump"
}
expect_rpm() { # PATH "MODE USER:GROUP CONFIG"
  actual=$(rpm_mode "$1")
  [ "$actual" = "$2" ] || fail "in the .rpm, $1 is '$actual', expected '$2'"
}
expect_rpm /opt/outrider/bin/outrider "755 root:root 0"
expect_rpm /etc/outrider "750 root:outrider 0"
expect_rpm /etc/outrider/outrider.yaml "640 root:outrider 1"
expect_rpm /etc/outrider/agent.env "600 root:root 1"
expect_rpm /usr/lib/systemd/system/outrider.service "644 root:root 0"
# lists read into variables first: grep -q stops reading early, and with pipefail rpm's SIGPIPE would fail the check
files=$(rpm -qlp "$rpm_file" 2>/dev/null)
grep -qx /usr/bin/outrider <<< "$files" || fail "the .rpm has no /usr/bin/outrider"
[ "$(rpm -qp --qf '[%{FILELINKTOS}\n]' "$rpm_file" 2>/dev/null | grep -v '^$')" = /opt/outrider/bin/outrider ] \
  || fail "/usr/bin/outrider in the .rpm does not point at /opt/outrider/bin/outrider"
if grep -q '^/opt/outrider/\(install\.sh\|container\)' <<< "$files"; then
  fail "the .rpm carries the tarball's installer or container files"
fi
config_files=$(rpm -qcp "$rpm_file" 2>/dev/null | sort | tr '\n' ' ')
[ "$config_files" = "/etc/outrider/agent.env /etc/outrider/outrider.yaml " ] || fail "the .rpm's config files are '$config_files'"
flags=$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm_file" 2>/dev/null)
[ "$(grep -c '^cn /etc/outrider/' <<< "$flags")" = 2 ] \
  || fail "the .rpm's config files are not %config(noreplace)"
requires=$(rpm -qp --requires "$rpm_file" 2>/dev/null)
grep -qx 'jre-headless >= 1:17' <<< "$requires" || fail "the .rpm does not require jre-headless >= 1:17: $requires"
scripts=$(rpm -qp --scripts "$rpm_file" 2>/dev/null)
grep -q '^preinstall scriptlet' <<< "$scripts" && grep -q 'useradd --system' <<< "$scripts" \
  || fail "the .rpm creates no system user before installing"
grep -q '^postuninstall scriptlet' <<< "$scripts" && grep -q 'userdel' <<< "$scripts" \
  || fail "the .rpm's erase does not remove the user"
for script in preinstall postinstall preuninstall postuninstall; do
  body=$(awk -v name="$script" '$1 == name { on = 1; next } /^[a-z]+ scriptlet/ { on = 0 } on' <<< "$scripts")
  sh -n <<< "$body" || fail "the .rpm's $script scriptlet is not valid sh"
done

step "OK: $(basename "$deb") ($(du -h "$deb" | cut -f1)) and $(basename "$runtime_deb") ($(du -h "$runtime_deb" | cut -f1)) installed, run and purged; $(basename "$rpm_file") ($(du -h "$rpm_file" | cut -f1)) checked"
