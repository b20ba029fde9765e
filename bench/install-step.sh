#!/usr/bin/env bash
# What an operator's install does to a layout before the agent runs (install.sh, the .deb's postinst, the .rpm's
# %post): the class-data sharing archive for the Java it runs on, bin/make-cds-archive. A layout without that script
# (an older build) runs as it is. Says one line; exits 1 when the step fails, so a benchmark never measures a layout
# the install would have left otherwise.
# usage: bash bench/install-step.sh DIST
set -euo pipefail
DIST=$1
if [ -x "$DIST/bin/make-cds-archive" ]; then
  if "$DIST/bin/make-cds-archive" --check; then
    echo "bench: $DIST: bin/make-cds-archive --check: the archive there is in use (or the layout's bundled runtime needs none)"
  else
    made=$("$DIST/bin/make-cds-archive") || { echo "bench: $DIST: the install-time step failed: $made" >&2; exit 1; }
    echo "bench: $DIST: ran the install-time step: $made"
  fi
else
  echo "bench: $DIST has no bin/make-cds-archive: no class-data sharing archive made"
fi
