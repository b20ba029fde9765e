# $1 is the number of versions left after this one goes: 0 is an erase, not an upgrade
if [ "$1" = 0 ]; then
  if systemd_running; then systemctl stop outrider.service || true; fi
  systemctl disable outrider.service >/dev/null 2>&1 || true
  # before rpm removes the package's files, so that lib/ is empty then and goes with them
  outrider_remove_cds_archive
fi
exit 0
