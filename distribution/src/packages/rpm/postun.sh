# an erase removes everything, as dpkg --purge does; rpm has kept changed configuration files as .rpmsave before
# this runs, and they go too (the key in agent.env must not stay behind on a machine that no longer runs the agent)
if [ "$1" = 0 ]; then outrider_purge; fi
if systemd_running; then systemctl daemon-reload || true; fi
exit 0
