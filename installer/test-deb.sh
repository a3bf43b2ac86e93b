#!/usr/bin/env bash
# Checks the Linux package end to end: builds the .deb (installer/build.sh), unpacks it into a temporary root
# (dpkg-deb -x, nothing is installed), starts the unpacked launcher headless on free ports bound to 127.0.0.1 with
# a temporary data folder, checks /health over HTTPS (and that the generated certificate is valid for
# 127.0.0.1), then stops it with SIGTERM as systemd would. Only loopback is ever contacted.
#
#   installer/test-deb.sh                        build everything, then check
#   ROOMDECK_SKIP_MAVEN=1 installer/test-deb.sh  package the jars already built
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
started=$(date +%s)

for tool in curl fakeroot dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "test-deb: $tool is missing (apt-get install curl fakeroot dpkg-dev)" >&2; exit 1; }
done

bash "$here/build.sh"
deb=$(ls -t "$out"/roomdeck_*.deb | head -1)

tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test-deb: FAILED: $*" >&2; [ -f "$tmp/log" ] && sed 's/^/  | /' "$tmp/log" >&2; exit 1; }

log "unpacking $deb into $tmp/root"
dpkg-deb -x "$deb" "$tmp/root"
for f in opt/roomdeck/bin/roomdeck lib/systemd/system/roomdeck.service etc/default/roomdeck \
         opt/roomdeck/lib/roomdeck-roomdeck.desktop opt/roomdeck/lib/roomdeck.png; do
  [ -e "$tmp/root/$f" ] || fail "the package has no /$f"
done
[ "$(readlink "$tmp/root/usr/bin/roomdeck")" = /opt/roomdeck/bin/roomdeck ] || fail "/usr/bin/roomdeck is not the launcher"
grep -q '^ExecStart=/opt/roomdeck/bin/roomdeck --headless' "$tmp/root/lib/systemd/system/roomdeck.service" \
  || fail "the systemd unit does not run the launcher headless"
if [ -f "$tmp/root/opt/roomdeck/lib/app/roomdeck-console.jar" ]; then
  depends=$(dpkg-deb -f "$deb" Depends)
  for lib in libgtk-3-0 libglib2.0-0 libpango-1.0-0 libfontconfig1 libx11-6 libxtst6 libgl1; do
    [[ ", $depends," == *", $lib"[,\ ]* ]] || fail "Depends lacks $lib (JavaFX needs it): $depends"
  done
fi

log "starting the unpacked launcher headless on 127.0.0.1"
"$tmp/root/opt/roomdeck/bin/roomdeck" --headless --bind 127.0.0.1 --http-port 0 --https-port 0 --media-port 0 \
    --data-dir "$tmp/data" >"$tmp/log" 2>&1 &
pid=$!
ports=
for _ in $(seq 1 120); do
  ports=$(sed -n 's/.*RoomDeck listening: http [0-9.]*:\([0-9]*\) https [0-9.]*:\([0-9]*\) media udp \([0-9]*\).*/\1 \2 \3/p' "$tmp/log")
  [ -n "$ports" ] && break
  kill -0 "$pid" 2>/dev/null || fail "the launcher exited"
  sleep 0.5
done
[ -n "$ports" ] || fail "no 'RoomDeck listening' line within 60 s"
read -r http_port https_port media_port <<<"$ports"
echo "listening: http $http_port, https $https_port, media $media_port"

health=$(curl -sk --max-time 10 "https://127.0.0.1:$https_port/health") || fail "no answer over HTTPS"
echo "https /health: $health"
[[ $health == *'"status":"ok"'* ]] || fail "unexpected /health: $health"
# Without -k: the generated certificate in the data folder must be valid for 127.0.0.1.
curl -s --max-time 10 --cacert "$tmp/data/tls/roomdeck.crt" -o /dev/null "https://127.0.0.1:$https_port/health" \
  || fail "the generated certificate is not valid for https://127.0.0.1"
page=$(curl -sk --max-time 10 "https://127.0.0.1:$https_port/") || fail "no web client over HTTPS"
[[ $page == *"<title>RoomDeck"* ]] || fail "the HTTPS page is not the web client"
curl -sf --max-time 10 -o /dev/null "http://127.0.0.1:$http_port/health" || fail "plain HTTP /health does not answer"

log "stopping it (SIGTERM)"
kill -TERM "$pid"
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then fail "still running 20 s after SIGTERM"; fi
wait "$pid" 2>/dev/null || true
pid=
grep -q "RoomDeck stopped" "$tmp/log" || fail "no clean stop in the log"
echo "test-deb: OK in $(( $(date +%s) - started )) s (package: $(du -sm "$deb" | cut -f1) MB)"
