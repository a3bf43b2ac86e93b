#!/usr/bin/env bash
# Builds RoomDeck for Linux: a trimmed Java runtime (jlink), a jpackage app image, and a .deb with a desktop
# entry, the icon, the libraries JavaFX needs in Depends and a systemd unit for headless use.
#
#   installer/build.sh            jars (mvn package), runtime, app image, .deb
#   installer/build.sh app-image  stop after the app image
#
# Needs: JDK 17+ (jdeps, jlink, jpackage), Maven; for the .deb also fakeroot and dpkg-deb
# (apt-get install fakeroot dpkg-dev). Output in installer/target/ (ROOMDECK_PACKAGE_OUT to change it);
# ROOMDECK_SKIP_MAVEN=1 packages the jars already built.
set -euo pipefail
source "$(dirname "$0")/common.sh"

what=${1:-deb}
name=roomdeck
version=$(app_version)
maintainer=${ROOMDECK_MAINTAINER:-roomdeck@example.invalid}  # jpackage writes "RoomDeck <this>"
summary="Video meetings for one meeting-room PC: WebRTC SFU and operator console"
# JavaFX's native parts (glass GTK 3, prism ES2/software, pango fonts) link these; jpackage's own scan of the
# runtime misses them because the JavaFX libraries sit in jars, unpacked only at run time.
javafx_deps="libgtk-3-0, libglib2.0-0, libpango-1.0-0, libpangocairo-1.0-0, libpangoft2-1.0-0, libcairo2,
  libcairo-gobject2, libgdk-pixbuf-2.0-0 | libgdk-pixbuf2.0-0, libatk1.0-0, libfontconfig1, libfreetype6, libx11-6,
  libxtst6, libxxf86vm1, libgl1"

started=$(date +%s)
build_jars
choose_app
stage_input
make_runtime

log "jpackage app image"
rm -rf "$out/image"
"${jdk_bin}jpackage" --type app-image --name "$name" --app-version "$version" \
    --input "$out/input" --main-jar "$main_jar" --main-class "$main_class" \
    --runtime-image "$out/runtime" --icon "$root/assets/icons/roomdeck-256.png" \
    --description "$summary" --vendor RoomDeck --copyright "RoomDeck contributors" \
    "${java_option_args[@]}" \
    --dest "$out/image"
echo "app image: $(du -sm "$out/image/$name" | cut -f1) MB in $out/image/$name (run: $out/image/$name/bin/$name)"
[ "$what" = app-image ] && exit 0

for tool in fakeroot dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install fakeroot dpkg-dev" >&2; exit 1; }
done

log "jpackage deb"
rm -rf "$out/deb" && mkdir -p "$out/deb"
deps=""
[ "$with_javafx" = 1 ] && deps=$(echo "$javafx_deps" | tr -s ' \n' ' ')
"${jdk_bin}jpackage" --type deb --app-image "$out/image/$name" --name "$name" --app-version "$version" \
    --description "$summary" --vendor RoomDeck --icon "$root/assets/icons/roomdeck-256.png" \
    --linux-package-name "$name" --linux-deb-maintainer "$maintainer" --linux-app-category video \
    --linux-menu-group "AudioVideo;Video;Network;" --linux-shortcut \
    ${deps:+--linux-package-deps "$deps"} \
    --resource-dir "$root/installer/linux/resources" \
    --dest "$out/deb/jpackage"
built=$(ls "$out"/deb/jpackage/*.deb)

# What jpackage cannot do: files outside /opt (the systemd unit, /usr/bin/roomdeck, /etc/default/roomdeck as a
# conffile), a deduplicated Depends and a long description. Unpack, add, pack again.
log "adding the systemd unit, /usr/bin/$name and the long description"
tree=$out/deb/tree
rm -rf "$tree"
dpkg-deb -R "$built" "$tree"
install -D -m 644 "$root/installer/linux/roomdeck.service" "$tree/lib/systemd/system/roomdeck.service"
install -D -m 644 "$root/installer/linux/roomdeck.default" "$tree/etc/default/roomdeck"
echo /etc/default/roomdeck > "$tree/DEBIAN/conffiles"
mkdir -p "$tree/usr/bin"
ln -sf "/opt/$name/bin/$name" "$tree/usr/bin/$name"
size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
awk -v size="$size" -v long="$root/installer/linux/description.txt" '
  /^Depends:/ {
    n = split(substr($0, 10), deps, ",")
    out = ""
    for (i = 1; i <= n; i++) {
      d = deps[i]; gsub(/^[ \t]+|[ \t]+$/, "", d)
      if (d != "" && !(d in seen)) { seen[d] = 1; out = out (out == "" ? "" : ", ") d }
    }
    print "Depends: " out; next
  }
  /^Installed-Size:/ { print "Installed-Size: " size; next }
  /^Provides:/ { next }   # a package provides itself anyway
  /^[ \t]*$/ { next }
  /^Description:/ {
    print
    while ((getline line < long) > 0) print (line ~ /^[ \t]*$/ ? " ." : " " line)
    next
  }
  { print }' "$tree/DEBIAN/control" > "$tree/DEBIAN/control.new"
mv "$tree/DEBIAN/control.new" "$tree/DEBIAN/control"
deb=$out/${name}_${version}_$(dpkg --print-architecture).deb
# gzip: the jars inside are compressed already, xz would take 8x as long to save 6%.
fakeroot dpkg-deb --root-owner-group -Zgzip -b "$tree" "$deb" >/dev/null
rm -rf "$tree"
echo "deb: $(du -sm "$deb" | cut -f1) MB: $deb ($(( $(date +%s) - started )) s)"
dpkg-deb -f "$deb" Depends | sed 's/^/  Depends: /'
