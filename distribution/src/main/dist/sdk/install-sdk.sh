#!/bin/sh
# Installs what a plugin author builds against into the local Maven repository: the agent's SPI jar
# (lib/agent-spi-VERSION.jar, the very classes this agent shares with its plugins) and the plugin kit POM
# (io.outrider:outrider-plugin-parent). After this, `mvn package` works in a plugin project whose parent is the kit.
#
#   sdk/install-sdk.sh [MAVEN OPTIONS...]      e.g.  sdk/install-sdk.sh -Dmaven.repo.local=/tmp/repo
#
# Extra arguments go to every mvn call. See docs/plugin-authors.md.
set -eu
SDK_DIR=$(cd "$(dirname "$0")" && pwd)
HOME_DIR=$(dirname "$SDK_DIR")
MVN=${MVN:-mvn}
INSTALL_PLUGIN=org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file

command -v "$MVN" >/dev/null 2>&1 || { echo "install-sdk: Maven ($MVN) is not on the PATH; install Maven 3.8 or newer" >&2; exit 1; }

spi_jar=
for candidate in "$HOME_DIR"/lib/agent-spi-*.jar; do
  [ -f "$candidate" ] && spi_jar=$candidate
done
[ -n "$spi_jar" ] || { echo "install-sdk: no lib/agent-spi-*.jar in $HOME_DIR" >&2; exit 1; }
version=$(basename "$spi_jar" .jar)
version=${version#agent-spi-}
kit_pom="$SDK_DIR/outrider-plugin-parent-$version.pom"
[ -f "$kit_pom" ] || { echo "install-sdk: $kit_pom is missing" >&2; exit 1; }

"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$spi_jar" \
  -DgroupId=io.outrider -DartifactId=agent-spi -Dversion="$version" -Dpackaging=jar -DgeneratePom=true
"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$kit_pom" -DpomFile="$kit_pom"
echo "installed io.outrider:agent-spi:$version and io.outrider:outrider-plugin-parent:$version"
