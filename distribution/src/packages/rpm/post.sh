outrider_config_modes
outrider_data_dir_mode
outrider_make_cds_archive
if systemd_running; then systemctl daemon-reload || true; fi
if [ "$1" = 1 ]; then
  outrider_next_steps
elif systemd_running; then
  # an upgrade restarts a running agent on the new version
  systemctl try-restart outrider.service || true
fi
exit 0
