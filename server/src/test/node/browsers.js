// Real browsers for RoomDeck's meeting tests (dev.roomdeck.browser.Meeting), driven over stdin/stdout with one JSON
// object a line. puppeteer-core drives Debian's Chromium over CDP and Firefox ESR over WebDriver BiDi; it never
// downloads a browser. Each page lives in its own browser context (separate storage, so a separate RoomDeck
// identity), and many contexts share one browser process.
//
//   node browsers.js
//
// stdin commands (answered in any order, each by its id):
//   {"id": 1, "cmd": "launch", "browser": "chromium", "product": "chrome"|"firefox", "executablePath": "...",
//    "args": [...], "prefs": {...}, "viewport": {"width": 800, "height": 600}}  -> {"id": 1, "ok": {"version", "pid"}}
//   {"id": 2, "cmd": "open", "page": "p1", "browser": "chromium", "url": "...", "initScript": "..."}
//   {"id": 3, "cmd": "eval", "page": "p1", "expr": "..."}    the expression's value (promises are awaited)
//   {"id": 4, "cmd": "type", "page": "p1", "selector": "#name-input", "text": "Anna"}   clears the field first
//   {"id": 5, "cmd": "click", "page": "p1", "selector": "#join-button"}
//   {"id": 6, "cmd": "reload", "page": "p1"}
//   {"id": 7, "cmd": "close", "page": "p1", "abrupt": true}  abrupt: the page gets no pagehide/unload to say goodbye
//   {"id": 8, "cmd": "log", "page": "p1"}                    the page's console lines so far (kept across reloads)
//   {"id": 10, "cmd": "screenshot", "page": "p1", "path": "/abs/shot.png"}   what the page shows now, as PNG
//   {"id": 9, "cmd": "quit"}
// stdout lines: {"id": n, "ok": value} | {"id": n, "error": "..."}; {"event": "exit"} before a clean exit.
// When stdin ends, every browser is closed and the process exits.
'use strict';

const readline = require('readline');
const puppeteer = require('puppeteer-core');

const NAV_TIMEOUT_MS = 60000;
const LOG_LINES = 3000;
const FRAME_CHARS = 20000;

const browsers = new Map(); // name -> Browser
const pages = new Map();    // page id -> {page, context, browser, log: []}
const started = Date.now();

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function stamp() {
    return ((Date.now() - started) / 1000).toFixed(3).padStart(8);
}

function keep(entry, line) {
    entry.log.push(stamp() + ' ' + line);
    if (entry.log.length > LOG_LINES) entry.log.splice(0, entry.log.length - LOG_LINES);
}

function pageEntry(id) {
    const e = pages.get(id);
    if (!e) throw new Error('no page ' + id);
    return e;
}

const commands = {
    async launch({ browser, product, executablePath, args = [], prefs = {}, viewport = null }) {
        if (browsers.has(browser)) throw new Error('browser ' + browser + ' already launched');
        const options = {
            browser: product,
            executablePath,
            headless: true,
            args,
            defaultViewport: viewport || { width: 800, height: 600 },
            protocolTimeout: 120000,
            // The tests close everything themselves; no signal handlers that would fight Maven's.
            handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
        };
        if (product === 'firefox') options.extraPrefsFirefox = prefs;
        const b = await puppeteer.launch(options);
        browsers.set(browser, b);
        const proc = b.process();
        return { version: await b.version(), pid: proc ? proc.pid : null };
    },

    async open({ page: id, browser, url, initScript }) {
        if (pages.has(id)) throw new Error('page ' + id + ' already open');
        const b = browsers.get(browser);
        if (!b) throw new Error('no browser ' + browser);
        const context = await b.createBrowserContext();
        const page = await context.newPage();
        const entry = { page, context, browser: b, log: [] };
        pages.set(id, entry);
        page.setDefaultTimeout(NAV_TIMEOUT_MS);
        page.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
        page.on('console', (m) => keep(entry, m.type() + ': ' + m.text()));
        page.on('pageerror', (e) => keep(entry, 'pageerror: ' + (e && e.message || e)));
        page.on('load', () => keep(entry, 'load: ' + page.url()));
        if (b.protocol === 'cdp') {
            // The signalling as the page saw it (Chromium only: CDP), so a failed negotiation can be read afterwards.
            const cdp = await page.createCDPSession();
            await cdp.send('Network.enable');
            const frame = (dir) => (e) => keep(entry, dir + ' ' + String(e.response && e.response.payloadData).slice(0, FRAME_CHARS));
            cdp.on('Network.webSocketFrameSent', frame('ws>'));
            cdp.on('Network.webSocketFrameReceived', frame('ws<'));
            cdp.on('Network.webSocketClosed', () => keep(entry, 'ws closed'));
        }
        if (initScript) await page.evaluateOnNewDocument(initScript);
        await page.goto(url, { waitUntil: 'load' });
        return null;
    },

    async eval({ page: id, expr }) {
        const v = await pageEntry(id).page.evaluate(expr);
        return v === undefined ? null : v;
    },

    async type({ page: id, selector, text }) {
        const { page } = pageEntry(id);
        await page.waitForSelector(selector, { visible: true });
        await page.$eval(selector, (e) => { e.value = ''; });
        await page.type(selector, text);
        return null;
    },

    async click({ page: id, selector }) {
        const { page } = pageEntry(id);
        await page.waitForSelector(selector, { visible: true });
        await page.click(selector);
        return null;
    },

    async reload({ page: id }) {
        const e = pageEntry(id);
        keep(e, 'reload');
        await e.page.reload({ waitUntil: 'load' });
        return null;
    },

    async close({ page: id, abrupt }) {
        const e = pageEntry(id);
        if (abrupt) {
            // A tab that dies says no goodbye: swallow pagehide/unload before the page's own listeners see them,
            // so the server only notices the closed WebSocket and the silent media path.
            await e.page.evaluate(() => {
                for (const type of ['pagehide', 'unload', 'beforeunload']) {
                    window.addEventListener(type, (ev) => ev.stopImmediatePropagation(), true);
                }
            });
        }
        keep(e, abrupt ? 'close (abrupt)' : 'close');
        pages.delete(id);
        await e.page.close({ runBeforeUnload: false });
        await e.context.close();
        return null;
    },

    async screenshot({ page: id, path }) {
        await pageEntry(id).page.screenshot({ path, type: 'png' });
        return path;
    },

    async log({ page: id }) {
        return pageEntry(id).log.slice();
    },

    async quit() {
        await shutdown();
        return null;
    },
};

let closing = null;
function shutdown() {
    if (!closing) {
        closing = (async () => {
            for (const b of browsers.values()) {
                try {
                    await b.close();
                } catch (e) {
                    const p = b.process();
                    if (p) p.kill('SIGKILL');
                }
            }
            browsers.clear();
            pages.clear();
        })();
    }
    return closing;
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (!line.trim()) return;
    let cmd;
    try {
        cmd = JSON.parse(line);
    } catch (e) {
        out({ error: 'unparseable command: ' + line });
        return;
    }
    const run = commands[cmd.cmd];
    if (!run) {
        out({ id: cmd.id, error: 'unknown command ' + cmd.cmd });
        return;
    }
    run(cmd).then(
        (v) => out({ id: cmd.id, ok: v === undefined ? null : v }),
        (e) => out({ id: cmd.id, error: String(e && e.stack || e) }));
}).on('close', () => {
    shutdown().then(() => {
        out({ event: 'exit' });
        process.exit(0);
    });
});
