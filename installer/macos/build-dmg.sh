#!/usr/bin/env bash
# Builds RoomDeck.dmg on a Mac (cannot be built on Linux: jpackage makes a .dmg only on macOS).
#
# Needs: macOS 12+, a JDK 17+ for the Mac's own architecture (arm64 or x64; jpackage, jlink, jdeps), Maven, and
# the Xcode command line tools (xcode-select --install: hdiutil, codesign, xcrun). The Maven build on the Mac
# pulls JavaFX's macOS jars itself. Build once per architecture (or make two .dmg files).
#
# Unsigned, the .dmg works on the build Mac; anywhere else Gatekeeper refuses it ("cannot be opened because the
# developer cannot be verified"). To ship it, set:
#   MAC_SIGNING_IDENTITY="Developer ID Application: Your Org (TEAMID)"   (a Developer ID certificate in the keychain)
#   MAC_NOTARY_PROFILE=roomdeck   (made once: xcrun notarytool store-credentials roomdeck --apple-id ... --team-id ...)
# The script then signs with the hardened runtime and the entitlements in entitlements.plist, notarizes and staples.
set -euo pipefail
source "$(dirname "$0")/../common.sh"

[ "$(uname -s)" = Darwin ] || { echo "build-dmg.sh runs on macOS only" >&2; exit 1; }
version=$(app_version)
build_jars
choose_app
stage_input
make_runtime

sign=()
if [ -n "${MAC_SIGNING_IDENTITY:-}" ]; then
  sign=(--mac-sign --mac-signing-key-user-name "${MAC_SIGNING_IDENTITY#Developer ID Application: }"
        --mac-entitlements "$root/installer/macos/entitlements.plist")
fi

log "jpackage dmg"
rm -rf "$out/dmg"
"${jdk_bin}jpackage" --type dmg --name RoomDeck --app-version "$version" \
    --input "$out/input" --main-jar "$main_jar" --main-class "$main_class" \
    --runtime-image "$out/runtime" --icon "$root/assets/icons/roomdeck.icns" \
    --description "Video meetings for one meeting-room PC" --vendor RoomDeck \
    --mac-package-identifier dev.roomdeck.console --mac-package-name RoomDeck \
    "${java_option_args[@]}" \
    "${sign[@]}" --dest "$out/dmg"
dmg=$(ls "$out"/dmg/*.dmg)

if [ -n "${MAC_SIGNING_IDENTITY:-}" ] && [ -n "${MAC_NOTARY_PROFILE:-}" ]; then
  log "notarizing (takes minutes)"
  xcrun notarytool submit "$dmg" --keychain-profile "$MAC_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
fi
echo "dmg: $(du -sm "$dmg" | cut -f1) MB: $dmg"
