# Shared by the packaging scripts (sourced, not run): which jar to package, the version, the trimmed runtime.
# Bash; needs a JDK 17+ with jdeps, jlink and jpackage on PATH (or JAVA_HOME set).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${ROOMDECK_PACKAGE_OUT:-$root/installer/target}
jdk_bin=${JAVA_HOME:+$JAVA_HOME/bin/}

# Modules jdeps cannot see: providers looked up by name at run time.
#   jdk.crypto.ec   EC keys and ECDHE for HTTPS/DTLS (SunEC); without it browsers find no common cipher
#   jdk.zipfs       Jetty serves the web client out of the jar through the zip file system
#   jdk.unsupported sun.misc.Unsafe (JavaFX, JNA)
extra_modules=jdk.crypto.ec,jdk.zipfs,jdk.unsupported

# The launcher's JVM options, as jpackage arguments. The heap: at most 512 MB (a meeting room's peers need tens of
# MB; 410 connected peers about 60 MB live, see docs/performance.md), and given back after a busy hour: G1 keeps at
# most 40 % of the committed heap free, checked by a collection at least once a minute. The young generation at most
# 48 MB: the packet path allocates ~3 MB/s, and without the cap a burst of arrivals made G1 commit (and keep) a young
# generation of 100 MB and more. AWS mapping stays off.
java_option_args=()
for o in -Dice4j.harvest.mapping.aws.enabled=false -Xmx512m -XX:MaxNewSize=48m -XX:MinHeapFreeRatio=10 \
    -XX:MaxHeapFreeRatio=40 -XX:G1PeriodicGCInterval=60000; do
  java_option_args+=(--java-options "$o")
done

log() { printf '==> %s\n' "$*" >&2; }

# The version jpackage wants: numbers only (0.1.0-SNAPSHOT -> 0.1.0), from the parent pom.
app_version() {
  sed -n 's:.*<version>\([0-9][0-9.]*\).*</version>.*:\1:p' "$root/pom.xml" | head -1
}

# Builds the jars unless ROOMDECK_SKIP_MAVEN=1. Extra Maven flags in MVN_FLAGS (e.g. -o).
build_jars() {
  if [ "${ROOMDECK_SKIP_MAVEN:-0}" = 1 ]; then
    return
  fi
  log "building the jars (mvn package, tests skipped)"
  local mvn=(mvn -B -q -DskipTests ${MVN_FLAGS:-} -f "$root/pom.xml" package)
  if command -v flock >/dev/null; then
    flock /tmp/roomdeck-mvn.lock "${mvn[@]}"
  else
    "${mvn[@]}"
  fi
}

# Picks what to package: the console (JavaFX window, also runs --headless) when it was built, else the headless
# server. Sets app_dir, main_jar, main_class, with_javafx.
choose_app() {
  if [ -f "$root/gui/target/roomdeck-console.jar" ]; then
    app_dir=$root/gui/target main_jar=roomdeck-console.jar main_class=dev.roomdeck.console.ConsoleMain with_javafx=1
  elif [ -f "$root/server/target/roomdeck-server.jar" ]; then
    app_dir=$root/server/target main_jar=roomdeck-server.jar main_class=dev.roomdeck.Main with_javafx=0
  else
    echo "no jar to package: build with 'mvn -DskipTests package' first" >&2
    exit 1
  fi
  log "packaging $main_jar ($main_class)"
}

# Copies the main jar and its lib/ into $out/input (jpackage takes a whole folder).
stage_input() {
  rm -rf "$out/input"
  mkdir -p "$out/input"
  cp "$app_dir/$main_jar" "$out/input/"
  cp -r "$app_dir/lib" "$out/input/lib"
}

# The JDK modules the app needs: what jdeps finds in the jars, plus the ones it cannot see.
app_modules() {
  local found
  found=$("${jdk_bin}jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
      --class-path "$out/input/lib/*" "$out/input/$main_jar" "$out/input"/lib/*.jar 2>/dev/null | tail -1)
  echo "$found,$extra_modules" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -
}

# A runtime with only those modules, without debug symbols, man pages and headers: $out/runtime.
make_runtime() {
  local modules
  modules=$(app_modules)
  log "jlink: $modules"
  rm -rf "$out/runtime"
  "${jdk_bin}jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
      --output "$out/runtime"
  local full trimmed
  full=$(du -sm "$("${jdk_bin}java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.home = //p')" | cut -f1)
  trimmed=$(du -sm "$out/runtime" | cut -f1)
  echo "runtime: ${trimmed} MB (the full JDK here: ${full} MB) in $out/runtime"
}
