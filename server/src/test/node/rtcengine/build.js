// Bundles the original RTCEngine JavaScript SDK (RTCEngine-js-sdk at commit 8b4af07, kept unchanged in
// ../shared/rtcengine-js-sdk) for the browser, as RtcEngineSdkTest loads it: esbuild, one IIFE, `global` = window,
// its runtime dependencies from this folder's node_modules (package.json pins them, and every package below them,
// to the versions of the SDK's own package-lock.json; `npm ci` here is part of .ci/test's online preparation).
//
//   node build.js --sdk <the SDK's folder> --out <bundle.js>
//
// Nothing of the SDK is changed, copied or patched: esbuild reads lib/index.js where it lies. After bundling, every
// package that went into the bundle is checked against the SDK's package-lock.json (name and version); a package the
// lock does not pin at that version fails the build, so the test never runs the SDK on other libraries than its own.
// Prints one JSON line: {"bundle", "bytes", "sdkLibSha256", "esbuild", "packages": ["name@version", ...], "warnings"}.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

function arg(name) {
    const i = process.argv.indexOf('--' + name);
    if (i < 0 || i + 1 >= process.argv.length) {
        throw new Error('usage: node build.js --sdk <RTCEngine-js-sdk folder> --out <bundle.js>');
    }
    return path.resolve(process.argv[i + 1]);
}

/** Every name@version the SDK's lockfile (v1: nested "dependencies") pins, at any depth. */
function pinned(lock) {
    const all = new Set();
    const walk = (deps) => {
        for (const [name, d] of Object.entries(deps || {})) {
            all.add(name + '@' + d.version);
            walk(d.dependencies);
        }
    };
    walk(lock.dependencies);
    return all;
}

/** The package folder a bundled file belongs to (the part after its last node_modules/, scoped names included). */
function packageDirOf(file) {
    const marker = path.sep + 'node_modules' + path.sep;
    const at = file.lastIndexOf(marker);
    if (at < 0) return null;
    const rest = file.slice(at + marker.length).split(path.sep);
    const depth = rest[0].startsWith('@') ? 2 : 1;
    return file.slice(0, at + marker.length) + rest.slice(0, depth).join(path.sep);
}

function libSha256(sdk) {
    const h = crypto.createHash('sha256');
    const lib = path.join(sdk, 'lib');
    for (const f of fs.readdirSync(lib).sort()) {
        h.update(f + '\0');
        h.update(fs.readFileSync(path.join(lib, f)));
    }
    return h.digest('hex');
}

async function main() {
    const sdk = arg('sdk');
    const out = arg('out');
    const esbuild = require('esbuild');
    const lock = JSON.parse(fs.readFileSync(path.join(sdk, 'package-lock.json'), 'utf8'));
    const sdkPackage = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8'));
    const modules = path.join(__dirname, 'node_modules');

    // The SDK's direct runtime dependencies are installed here at exactly the lock's top-level versions.
    const problems = [];
    for (const name of Object.keys(sdkPackage.dependencies)) {
        const want = lock.dependencies[name] && lock.dependencies[name].version;
        let have = null;
        try {
            have = JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version;
        } catch (e) {
            // reported below
        }
        if (have !== want) problems.push(name + ': installed ' + have + ', the SDK\'s lock pins ' + want);
    }

    fs.mkdirSync(path.dirname(out), { recursive: true });
    const result = await esbuild.build({
        entryPoints: [path.join(sdk, 'lib', 'index.js')],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        define: { global: 'window' },
        nodePaths: [modules],
        outfile: out,
        metafile: true,
        absWorkingDir: __dirname,
        logLevel: 'silent',
        banner: { js: '/* RTCEngine JavaScript SDK (RTCEngine-js-sdk 8b4af07, MIT), unchanged, bundled by RoomDeck\'s tests with esbuild */' },
    });
    // The SDK's own code draws warnings (`!stream instanceof RTCStream` in engine.js): said, not fixed.
    const warnings = result.warnings.map((w) => (w.location ? w.location.file + ':' + w.location.line + ': ' : '') + w.text);

    const lockPins = pinned(lock);
    const bundled = new Set();
    for (const input of Object.keys(result.metafile.inputs)) {
        // "(disabled):..." is a module the package's own "browser" field maps to nothing (engine.io-client's ws): not bundled.
        if (input.startsWith('(disabled):')) continue;
        const dir = packageDirOf(path.resolve(__dirname, input));
        if (!dir) continue;
        const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
        bundled.add(p.name + '@' + p.version);
    }
    for (const p of bundled) {
        if (!lockPins.has(p)) problems.push('bundled ' + p + ', a version the SDK\'s package-lock.json does not pin');
    }
    if (problems.length) {
        throw new Error('the bundle is not the SDK with its own dependencies:\n  ' + problems.join('\n  '));
    }
    process.stdout.write(JSON.stringify({
        bundle: out,
        bytes: fs.statSync(out).size,
        sdkLibSha256: libSha256(sdk),
        esbuild: esbuild.version,
        packages: [...bundled].sort(),
        warnings,
    }) + '\n');
}

main().catch((e) => {
    process.stderr.write(String(e && e.message || e) + '\n');
    process.exit(1);
});
