#!/bin/sh
# meson install step: copy default configuration files from SRC to DEST
# (under $DESTDIR) only where DEST has none, as a package manager treats
# conffiles: a reinstall or upgrade keeps the operator's edits.
#   install-conf.sh SRC DEST FILE...   (FILE may name a subfolder of DEST)
set -eu
src=$1 dest=${DESTDIR:-}$2
shift 2
for f in "$@"; do
	base=${f##*/}
	if [ -e "$dest/$f" ]; then
		echo "ids: keeping $dest/$f (the default is $src/$base)"
		continue
	fi
	mkdir -p "$(dirname "$dest/$f")"
	# keys and databases live next to these: keep the folder private
	chmod 0750 "$dest"
	cp "${DESTDIR:-}$src/$base" "$dest/$f"
	chmod 0640 "$dest/$f"
	echo "ids: installed $dest/$f"
done
