#!/bin/sh
# Installs what a plugin author builds and tests against into the local Maven repository: the agent's SPI jar
# (lib/agent-spi-VERSION.jar, the very classes this agent shares with its plugins), the plugin kit POM
# (io.outrider:outrider-plugin-parent), the test kit (sdk/agent-spi-testkit-VERSION.jar) and the configuration
# binder its ConfigBinding binds with (lib/agent-config-VERSION.jar, the agent's own, and lib/plugin-support-VERSION.jar,
# which it uses), with their POMs and the parent those name (io.outrider:outrider-parent), so that Maven finds their
# dependencies (SnakeYAML).
# After this, `mvn package` works in a plugin project whose parent is the kit, its tests included.
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

require() {
  [ -f "$1" ] || { echo "install-sdk: $1 is missing" >&2; exit 1; }
}
kit_pom="$SDK_DIR/outrider-plugin-parent-$version.pom"
parent_pom="$SDK_DIR/outrider-parent-$version.pom"
config_jar="$HOME_DIR/lib/agent-config-$version.jar"
config_pom="$SDK_DIR/agent-config-$version.pom"
support_jar="$HOME_DIR/lib/plugin-support-$version.jar"
support_pom="$SDK_DIR/plugin-support-$version.pom"
testkit_jar="$SDK_DIR/agent-spi-testkit-$version.jar"
testkit_pom="$SDK_DIR/agent-spi-testkit-$version.pom"
spi_sources="$SDK_DIR/agent-spi-$version-sources.jar"
testkit_sources="$SDK_DIR/agent-spi-testkit-$version-sources.jar"
for file in "$kit_pom" "$parent_pom" "$config_jar" "$config_pom" "$support_jar" "$support_pom" "$testkit_jar" "$testkit_pom" "$spi_sources" "$testkit_sources"; do
  require "$file"
done

"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$spi_jar" \
  -DgroupId=io.outrider -DartifactId=agent-spi -Dversion="$version" -Dpackaging=jar -DgeneratePom=true -Dsources="$spi_sources"
"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$kit_pom" -DpomFile="$kit_pom"
"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$parent_pom" -DpomFile="$parent_pom"
"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$config_jar" -DpomFile="$config_pom"
"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$support_jar" -DpomFile="$support_pom"
"$MVN" -B -q "$INSTALL_PLUGIN" "$@" -Dfile="$testkit_jar" -DpomFile="$testkit_pom" -Dsources="$testkit_sources"
echo "installed io.outrider:agent-spi:$version (with its sources: the SPI's Javadoc in your IDE), io.outrider:outrider-plugin-parent:$version and its parent io.outrider:outrider-parent:$version"
echo "installed io.outrider:plugin-support:$version (the plugin toolkit), io.outrider:agent-spi-testkit:$version and io.outrider:agent-config:$version (tests)"
