# Shared by the .deb's and the .rpm's maintainer scripts (copied into each; a maintainer script cannot source a file
# of the package it belongs to while that package is being removed).
OUTRIDER_USER=outrider
OUTRIDER_CONF_DIR=/etc/outrider
OUTRIDER_DATA_DIR=/var/lib/outrider

outrider_create_user() {
  getent passwd "$OUTRIDER_USER" >/dev/null 2>&1 && return 0
  nologin=/usr/sbin/nologin
  [ -x "$nologin" ] || nologin=/sbin/nologin
  useradd --system --user-group --home-dir "$OUTRIDER_DATA_DIR" --no-create-home --shell "$nologin" \
    --comment "Outrider agent" "$OUTRIDER_USER"
}

# the configuration is readable by the agent, the env file (the API key) only by root: systemd reads it before the
# agent drops to its user
outrider_config_modes() {
  chown root:"$OUTRIDER_USER" "$OUTRIDER_CONF_DIR" "$OUTRIDER_CONF_DIR/outrider.yaml"
  chmod 0750 "$OUTRIDER_CONF_DIR"
  chmod 0640 "$OUTRIDER_CONF_DIR/outrider.yaml"
  chown root:root "$OUTRIDER_CONF_DIR/agent.env"
  chmod 0600 "$OUTRIDER_CONF_DIR/agent.env"
}

# the data directory is the agent's user's alone (the agent warns at every start otherwise); the unit's
# StateDirectoryMode= applies only to a directory systemd creates, so one an older package's service made 0750 is
# narrowed here
outrider_data_dir_mode() {
  if [ -d "$OUTRIDER_DATA_DIR" ]; then chmod 0700 "$OUTRIDER_DATA_DIR"; fi
}

# the class-data sharing archive for the system Java (bin/make-cds-archive, docs/footprint.md), made on every install
# and upgrade (new jars) before the service (re)starts; the agent starts without one, so not making it fails nothing
# (make-cds-archive says why in one line). Its files are not the package's: removing the package removes them.
outrider_make_cds_archive() {
  /opt/outrider/bin/make-cds-archive || true
}
outrider_remove_cds_archive() {
  rm -rf /opt/outrider/lib/cds
}

systemd_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# said on a first install: the shipped configuration prints to the console, and a service that ships nothing must
# not look like one that works
outrider_next_steps() {
  if grep -q '^OUTRIDER_SERVER=..*' "$OUTRIDER_CONF_DIR/agent.env" 2>/dev/null; then
    echo "outrider: installed; check the configuration with 'outrider validate', then: systemctl enable --now outrider"
    return 0
  fi
  cat <<'NEXT'
outrider: installed, not started. With the shipped /etc/outrider/outrider.yaml the agent only prints events to the
console: it ships nothing. To send events to a collector:
  1. set OUTRIDER_SERVER and OUTRIDER_API_KEY in /etc/outrider/agent.env (mode 0600: the key stays there),
  2. put a pipeline that sends there into /etc/outrider/outrider.yaml (ready ones: /opt/outrider/config/examples/;
     from a LiteSOC or LogNog agent: outrider import-config --from litesoc|lognog FILE),
  3. outrider validate, then: systemctl enable --now outrider
NEXT
}

# what the agent and the package made at run time; the package manager removes its own files
outrider_purge() {
  # /opt/outrider: plugins added later (the extras archive, third-party ones) are not the package's files
  rm -rf "$OUTRIDER_DATA_DIR" "$OUTRIDER_CONF_DIR" /opt/outrider /etc/systemd/system/outrider.service.d \
    /etc/systemd/system/multi-user.target.wants/outrider.service
  if getent passwd "$OUTRIDER_USER" >/dev/null 2>&1; then
    userdel "$OUTRIDER_USER" >/dev/null 2>&1 || true
  fi
  if getent group "$OUTRIDER_USER" >/dev/null 2>&1; then
    groupdel "$OUTRIDER_USER" >/dev/null 2>&1 || true
  fi
}
