// A real Socket.IO client for RoomDeck's JUnit tests, driven over stdin/stdout with one JSON object a line.
//
//   node client.js <sio2|sio4> <server-url> [--token=T] [--auth=T] [--reconnect] [--transports=T] [--origin=O]
//
// Connects to <server-url> (path /socket.io/) with ?token=T in the query, as RTCEngine's SDKs do; sio4 can also
// send {token: T} as Socket.IO auth data. Reconnection is off unless --reconnect. Transports: WebSocket only
// unless --transports=default (the client's own default: long-polling first, then the upgrade, as RTCEngine's
// SDKs connect) or a list such as --transports=polling. --origin=O sends the Origin header a page of O would.
// stdin commands:  {"emit": "join", "data": {...}, "ack": true}   {"disconnect": true}
//                  {"emit": "message", "binary": true, "ack": true}   (data {data: <3 bytes>})
// stdout lines:    {"connected": true, "id": ...}  {"event": "joined", "data": {...}}
//                  {"ack": <n>, "args": [...]}     {"disconnected": "<reason>"}  {"connectError": "..."}
//                  {"engine": "ping"|"pong"}       (heartbeat seen by the client)
//                  {"engine": "open"|"upgrade", "transport": "polling"|"websocket"}
'use strict';

const readline = require('readline');
const [flavour, url, ...flags] = process.argv.slice(2);
if ((flavour !== 'sio2' && flavour !== 'sio4') || !url) {
    console.error('usage: node client.js <sio2|sio4> <url> [--token=T] [--auth=T] [--reconnect]');
    process.exit(2);
}
const flag = (name) => {
    const f = flags.find((a) => a === '--' + name || a.startsWith('--' + name + '='));
    return f === undefined ? undefined : (f.includes('=') ? f.slice(f.indexOf('=') + 1) : true);
};
const token = flag('token');
const authToken = flag('auth');
const reconnect = flag('reconnect') === true;
const transports = flag('transports');
const origin = flag('origin');
const lib = require(flavour);
const io = flavour === 'sio4' ? lib.io : lib;

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const options = { reconnection: reconnect, reconnectionDelay: 200, forceNew: true };
if (transports === undefined) options.transports = ['websocket'];
else if (transports !== 'default') options.transports = transports.split(',');
if (origin) options.extraHeaders = { Origin: origin };
if (token) options.query = { token };
if (authToken && flavour === 'sio4') options.auth = { token: authToken };

const socket = io(url, options);

socket.on('connect', () => out({ connected: true, id: socket.id }));
socket.on('disconnect', (reason) => out({ disconnected: reason }));
socket.on('connect_error', (err) => out({ connectError: String(err && err.message || err) }));
// Both versions announce a reconnection attempt on the manager.
socket.io.on('reconnect_attempt', () => out({ reconnecting: true }));
// The Engine.IO connection under the manager: which transport it opened with, and its upgrade.
socket.io.on('open', () => {
    const engine = socket.io.engine;
    out({ engine: 'open', transport: engine.transport.name });
    engine.on('upgrade', (t) => out({ engine: 'upgrade', transport: t.name }));
});
// socket.io-client 2.x reports protocol errors (such as a refused namespace) as 'error'.
socket.on('error', (err) => out({ socketError: String(err && err.message || err) }));
if (flavour === 'sio4') {
    socket.onAny((event, data) => out({ event, data }));
    socket.io.on('ping', () => out({ engine: 'ping' })); // server ping received (Engine.IO 4)
} else {
    // socket.io-client 2.x has no onAny: hook the packet dispatch, which every event goes through.
    const onevent = socket.onevent;
    socket.onevent = function (packet) {
        const args = packet.data || [];
        out({ event: args[0], data: args[1] });
        return onevent.call(this, packet);
    };
    socket.on('pong', () => out({ engine: 'pong' })); // server pong to our ping (Engine.IO 3)
}

let acks = 0;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (!line.trim()) return;
    const cmd = JSON.parse(line);
    if (cmd.emit) {
        // {"binary": true}: the data carries a Buffer, which the client sends as a binary attachment.
        const data = cmd.binary ? { data: Buffer.from([1, 2, 3]) } : cmd.data;
        if (cmd.ack) {
            const n = ++acks;
            socket.emit(cmd.emit, data, (...args) => out({ ack: n, args }));
        } else {
            socket.emit(cmd.emit, data);
        }
    } else if (cmd.disconnect) {
        socket.disconnect();
    }
}).on('close', () => {
    socket.disconnect();
    setTimeout(() => process.exit(0), 100);
});
