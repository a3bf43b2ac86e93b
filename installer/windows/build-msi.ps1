# Builds RoomDeck-<version>.msi on Windows (cannot be built on Linux: jpackage makes an .msi only on Windows).
#
# Needs: Windows 10/11 x64; a JDK 17+ (jpackage, jlink, jdeps on PATH or JAVA_HOME); Maven; and the WiX Toolset
# that jpackage drives: WiX 3.11/3.14 (candle.exe and light.exe on PATH) with JDK 17-21; WiX 4 or 5
# (wix.exe, `dotnet tool install --global wix`) only with jpackage from JDK 22 or later.
# The Maven build on Windows pulls JavaFX's Windows jars itself.
#
# Unsigned, Windows SmartScreen warns ("Windows protected your PC") on every machine. To sign, set
#   $env:WIN_SIGN_CERT = "C:\path\codesign.pfx"; $env:WIN_SIGN_PASSWORD = "..."
# (an Authenticode code-signing certificate; signtool.exe from the Windows SDK on PATH). The launcher and the .msi
# are signed with a timestamp.
#
# Run: powershell -ExecutionPolicy Bypass -File installer\windows\build-msi.ps1 [-SkipMaven]
param([switch]$SkipMaven)
$ErrorActionPreference = "Stop"
$root = (Resolve-Path "$PSScriptRoot\..\..").Path
$out = if ($env:ROOMDECK_PACKAGE_OUT) { $env:ROOMDECK_PACKAGE_OUT } else { "$root\installer\target" }
$bin = if ($env:JAVA_HOME) { "$env:JAVA_HOME\bin\" } else { "" }
# Modules jdeps cannot see (providers found by name at run time): see installer/common.sh.
$extraModules = "jdk.crypto.ec,jdk.zipfs,jdk.unsupported"
# A fixed upgrade code: a newer .msi replaces the installed version instead of installing beside it.
$upgradeUuid = "6c0e3c8e-5f0b-4b8e-9a51-2d7f3e1a9b40"

[xml]$pom = Get-Content "$root\pom.xml"
$version = ($pom.project.version -replace '-.*$', '')

if (-not $SkipMaven) {
    & mvn -B -q -DskipTests -f "$root\pom.xml" package
    if ($LASTEXITCODE -ne 0) { throw "mvn package failed" }
}
if (Test-Path "$root\gui\target\roomdeck-console.jar") {
    $appDir = "$root\gui\target"; $mainJar = "roomdeck-console.jar"; $mainClass = "dev.roomdeck.console.ConsoleMain"
} else {
    $appDir = "$root\server\target"; $mainJar = "roomdeck-server.jar"; $mainClass = "dev.roomdeck.Main"
}
Write-Host "==> packaging $mainJar ($mainClass)"

Remove-Item -Recurse -Force "$out\input", "$out\runtime", "$out\msi" -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$out\input" | Out-Null
Copy-Item "$appDir\$mainJar" "$out\input\"
Copy-Item -Recurse "$appDir\lib" "$out\input\lib"

$jars = Get-ChildItem "$out\input\lib\*.jar" | ForEach-Object { $_.FullName }
$found = (& "${bin}jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps `
    --class-path "$out\input\lib\*" "$out\input\$mainJar" @jars | Select-Object -Last 1)
$modules = "$found,$extraModules"
Write-Host "==> jlink: $modules"
& "${bin}jlink" --add-modules $modules --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out\runtime"
if ($LASTEXITCODE -ne 0) { throw "jlink failed" }
$size = [math]::Round((Get-ChildItem -Recurse "$out\runtime" | Measure-Object -Property Length -Sum).Sum / 1MB)
Write-Host "runtime: $size MB in $out\runtime"

# The launcher's JVM options, as installer/common.sh gives them for Linux and macOS (heap at most 512 MB, given
# back after a busy hour, young generation at most 48 MB; AWS mapping off).
$javaOptions = @("--java-options", "-Dice4j.harvest.mapping.aws.enabled=false", "--java-options", "-Xmx512m",
                 "--java-options", "-XX:MaxNewSize=48m",
                 "--java-options", "-XX:MinHeapFreeRatio=10", "--java-options", "-XX:MaxHeapFreeRatio=40",
                 "--java-options", "-XX:G1PeriodicGCInterval=60000")
$signLauncher = $env:WIN_SIGN_CERT -and (Get-Command signtool.exe -ErrorAction SilentlyContinue)
if ($signLauncher) {
    # Sign the launcher inside an app image first, then make the .msi from that image.
    & "${bin}jpackage" --type app-image --name RoomDeck --app-version $version --input "$out\input" `
        --main-jar $mainJar --main-class $mainClass --runtime-image "$out\runtime" `
        --icon "$root\assets\icons\roomdeck.ico" @javaOptions `
        --dest "$out\image"
    & signtool.exe sign /f $env:WIN_SIGN_CERT /p $env:WIN_SIGN_PASSWORD /fd sha256 `
        /tr http://timestamp.digicert.com /td sha256 "$out\image\RoomDeck\RoomDeck.exe"
    $source = @("--app-image", "$out\image\RoomDeck")
} else {
    $source = @("--input", "$out\input", "--main-jar", $mainJar, "--main-class", $mainClass,
                "--runtime-image", "$out\runtime", "--icon", "$root\assets\icons\roomdeck.ico") + $javaOptions
}
& "${bin}jpackage" --type msi --name RoomDeck --app-version $version @source `
    --description "Video meetings for one meeting-room PC" --vendor RoomDeck `
    --win-menu --win-menu-group RoomDeck --win-shortcut --win-dir-chooser --win-upgrade-uuid $upgradeUuid `
    --dest "$out\msi"
if ($LASTEXITCODE -ne 0) { throw "jpackage failed (is WiX 3 on PATH? candle.exe, light.exe)" }
$msi = Get-ChildItem "$out\msi\*.msi" | Select-Object -First 1
if ($env:WIN_SIGN_CERT) {
    & signtool.exe sign /f $env:WIN_SIGN_CERT /p $env:WIN_SIGN_PASSWORD /fd sha256 `
        /tr http://timestamp.digicert.com /td sha256 $msi.FullName
}
Write-Host ("msi: {0} MB: {1}" -f [math]::Round($msi.Length / 1MB), $msi.FullName)
