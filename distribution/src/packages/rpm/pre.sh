# the user exists before the files are unpacked, so that they get their group (root:outrider) from the package
outrider_create_user
exit 0
