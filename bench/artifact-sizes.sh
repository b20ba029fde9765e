#!/usr/bin/env bash
# Prints the size of every artifact the distribution module builds (the Linux tarballs for both architectures and per
# architecture, the with-runtime archive, the Windows zip, the extras, the .deb and .rpm per architecture) and what
# takes the space in each: the unpacked size by area (lib/, lib/native/, plugins/NAME, jre/, ...) and the largest files.
# Run after `mvn -B -pl distribution -am package -DskipTests` (no build, no benchmark load: it only reads archives).
#   bench/artifact-sizes.sh [DIR]   (default distribution/target)  TOP=N: the N largest files per artifact (default 8)
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/distribution/target}
top=${TOP:-8}
shopt -s nullglob
artifacts=("$dir"/outrider-*.tar.gz "$dir"/outrider-*.zip "$dir"/outrider_*.deb "$dir"/outrider-with-runtime_*.deb "$dir"/outrider-*.rpm)
[ ${#artifacts[@]} -gt 0 ] || { echo "artifact-sizes: no artifacts in $dir; build them with mvn -B -pl distribution -am package -DskipTests" >&2; exit 1; }

# "SIZE PATH" lines of the files in an artifact, unpacked, with the package's or tarball's top directory removed
listing() {
  case "$1" in
    *.tar.gz) tar -tvzf "$1" | awk '$1 !~ /^d/ { sub(/^[^\/]*\//, "", $6); print $3, $6 }' ;;
    *.zip) unzip -Z -l "$1" | awk '$1 !~ /^d/ && NF >= 10 { sub(/^[^\/]*\//, "", $10); print $4, $10 }' ;;
    *.deb) dpkg-deb --fsys-tarfile "$1" | tar -tv | awk '$1 !~ /^d/ { sub(/^\.\//, "/", $6); print $3, $6 }' ;;
    *.rpm) rpm -qp --dump "$1" 2>/dev/null | awk '$5 !~ /^04/ { print $2, $1 }' ;;
  esac
}

# the area a file counts to: plugins/NAME, lib/native, lib/desktop, lib, jre, else its first directory (a package's
# files outside /opt/outrider: their directory)
area() {
  awk '{ path = $2; sub(/^\/opt\/outrider\//, "", path)
         n = split(path, part, "/")
         if (part[1] == "") { key = path; sub(/\/[^\/]*$/, "/", key) }
         else if (part[1] == "plugins" && n > 2) key = "plugins/" part[2]
         else if (part[1] == "lib" && (part[2] == "native" || part[2] == "desktop") && n > 2) key = "lib/" part[2]
         else if (n > 1) key = part[1] "/"
         else key = path
         size[key] += $1 }
       END { for (key in size) printf "%d %s\n", size[key], key }' | sort -rn
}

human() { awk '{ printf "%8.2f MB  %s\n", $1 / 1048576, substr($0, index($0, " ") + 1) }'; }

printf '%-55s %10s %12s\n' artifact download unpacked
for artifact in "${artifacts[@]}"; do
  if [[ "$artifact" == *.deb ]] && ! command -v dpkg-deb >/dev/null; then continue; fi
  if [[ "$artifact" == *.rpm ]] && ! command -v rpm >/dev/null; then continue; fi
  unpacked=$(listing "$artifact" | awk '{ s += $1 } END { print s + 0 }')
  printf '%-55s %7.2f MB %9.2f MB\n' "$(basename "$artifact")" "$(echo "$(stat -c %s "$artifact") / 1048576" | bc -l)" "$(echo "$unpacked / 1048576" | bc -l)"
done
for artifact in "${artifacts[@]}"; do
  if [[ "$artifact" == *.deb ]] && ! command -v dpkg-deb >/dev/null; then continue; fi
  if [[ "$artifact" == *.rpm ]] && ! command -v rpm >/dev/null; then continue; fi
  echo
  echo "== $(basename "$artifact"): unpacked size by area"
  listing "$artifact" | area | human
  echo "-- the $top largest files"
  listing "$artifact" | sort -rn | head -n "$top" | human
done
