// Loaded by the RTCEngine test page before the SDK bundle: it watches and never steers. It changes nothing in the SDK
// (no wrapper, no patch): it adds listeners of its own to objects the SDK makes (the socket.io-client Socket and its
// Engine.IO socket, the RTCPeerConnection in rtcEngine._peerconnection) and reads them, for RtcEngineSdkTest:
//
//   - the SDK's own log lines (its `debug` loggers, enabled here) and every page error reach the console, which the
//     browser driver keeps per page;
//   - every Socket.IO packet the SDK sends and receives, on whatever Engine.IO transport (long-polling, WebSocket),
//     is logged as "sio> ..." / "sio< ..." and counted; transport changes, connect errors and disconnects too;
//   - sdkTest.probe() samples the SDK's RTCPeerConnection twice, 2 s apart: per inbound track its kind, mid, the msid
//     the remote SDP gives that mid, and how many frames it decoded and packets it received meanwhile; what the page
//     sends; the connection's states; what the server offered. The SDK's own page cannot show remote video at this
//     commit (its ontrack reads event.stream, which Chromium's RTCTrackEvent does not have), so decoding is measured
//     there.
'use strict';

// The SDK logs through `debug` (lib/Logger.js: RTCEngine:<part>, RTCEngine:WARN:<part>, RTCEngine:ERROR:<part>),
// which reads this key once, when the bundle loads.
try {
    localStorage.setItem('debug', 'RTCEngine:*');
} catch (e) {
    // no storage: the SDK stays quiet
}

(() => {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const LINE_CHARS = 20000;
    const KNOWN_SDK_BUG = /reading 'id'|stream is undefined|Cannot read propert(y|ies) of undefined/;

    const state = {
        pageErrors: [],        // uncaught errors and unhandled rejections, in order
        token: null,           // {claims} or {error}
        signalling: [],        // {t, dir: '>'|'<', kind: 'event'|'ack'|'connect'|..., name, bytes}
        serverErrors: [],      // `error` events the server sent (the SDK takes them for a lost connection)
        transports: [],        // {t, name} each time the Engine.IO transport changes
        socketEvents: [],      // {t, what}: connect, connect_error, disconnect, reconnect_attempt, ...
        pcEvents: [],          // {t, what}: signaling/ICE/connection state changes, track events
        lastSentSdp: null,     // {name, t, sections} of the last message with an SDP the SDK sent
    };

    const say = (line) => console.info('[sdk-test] ' + line);
    const clip = (s) => (s.length > LINE_CHARS ? s.slice(0, LINE_CHARS) + '…' : s);

    addEventListener('error', (e) => {
        const text = (e.error && e.error.stack) || e.message || String(e.type);
        state.pageErrors.push({ t: ms(), text: 'error: ' + text, knownSdkBug: KNOWN_SDK_BUG.test(text) && /ontrack|_peerconnection|engine/.test(text) });
    }, true);
    addEventListener('unhandledrejection', (e) => {
        const text = (e.reason && (e.reason.stack || e.reason.message)) || String(e.reason);
        state.pageErrors.push({ t: ms(), text: 'unhandled rejection: ' + text, knownSdkBug: false });
    });

    /** One Engine.IO packet as Socket.IO sees it: "42["offer",{...}]" is an event, "43n[...]" an ack, ... */
    function socketIoPacket(packet) {
        if (packet.type !== 'message') return { kind: 'engine.io ' + packet.type, name: '', text: String(packet.data || '') };
        const data = typeof packet.data === 'string' ? packet.data : '(binary ' + (packet.data && packet.data.byteLength) + ' bytes)';
        const type = data.charAt(0);
        const kinds = { 0: 'connect', 1: 'disconnect', 2: 'event', 3: 'ack', 4: 'error', 5: 'binary event', 6: 'binary ack' };
        let name = '';
        if (type === '2') {
            const m = /^2(?:\/[^,]*,)?\d*(\[.*)$/s.exec(data);
            try {
                name = m ? String(JSON.parse(m[1])[0]) : '?';
            } catch (e) {
                name = '?';
            }
        }
        return { kind: kinds[type] || 'unknown', name, text: data };
    }

    function watchEngineIo(eio) {
        if (!eio || eio.__sdkTestWatched) return;
        eio.__sdkTestWatched = true;
        const noteTransport = () => {
            const name = eio.transport && eio.transport.name;
            const last = state.transports[state.transports.length - 1];
            if (name && (!last || last.name !== name)) {
                state.transports.push({ t: ms(), name });
                say('engine.io transport ' + name);
            }
        };
        noteTransport();
        eio.on('open', noteTransport);
        eio.on('upgrade', (t) => { noteTransport(); say('engine.io upgraded to ' + (t && t.name)); });
        eio.on('upgradeError', (e) => say('engine.io upgrade error: ' + (e && (e.message || e.type) || e)));
        eio.on('error', (e) => say('engine.io error: ' + (e && (e.message || e.type) || e) + (e && e.description ? ' (' + e.description + ')' : '')));
        eio.on('close', (reason, desc) => say('engine.io close: ' + reason + (desc ? ' (' + (desc.message || desc) + ')' : '')));
        const record = (dir) => (packet) => {
            noteTransport();
            const p = socketIoPacket(packet);
            if (p.kind === 'engine.io ping' || p.kind === 'engine.io pong') return;
            state.signalling.push({ t: ms(), dir, kind: p.kind, name: p.name, bytes: p.text.length });
            if (dir === '<' && p.kind === 'event' && p.name === 'error') {
                state.serverErrors.push(p.text);
            }
            if (dir === '>' && p.kind === 'event') {
                // The last SDP the SDK sent (join, addStream, removeStream, offer): what the server knows of this page.
                try {
                    const data = JSON.parse(p.text.replace(/^2(?:\/[^,]*,)?\d*/, ''))[1];
                    if (data && typeof data.sdp === 'string') state.lastSentSdp = { name: p.name, t: ms(), sections: sections(data.sdp) };
                } catch (e) {
                    // not JSON: nothing to keep
                }
            }
            say('sio' + dir + ' [' + (eio.transport && eio.transport.name) + '] ' + clip(p.text));
        };
        eio.on('packetCreate', record('>'));
        eio.on('packet', record('<'));
    }

    function watchPeerConnection(pc) {
        if (!pc || pc.__sdkTestWatched) return;
        pc.__sdkTestWatched = true;
        const note = (what) => { state.pcEvents.push({ t: ms(), what }); say('pc ' + what); };
        pc.addEventListener('signalingstatechange', () => note('signaling ' + pc.signalingState));
        pc.addEventListener('iceconnectionstatechange', () => note('ICE ' + pc.iceConnectionState));
        pc.addEventListener('connectionstatechange', () => note('connection ' + pc.connectionState));
        pc.addEventListener('track', (e) => note('track ' + e.track.kind + ' mid ' + (e.transceiver && e.transceiver.mid)
            + ' streams [' + e.streams.map((s) => s.id).join(', ') + ']'));
    }

    /** mid -> {kind, direction, msid} of an SDP's m-sections. */
    function sections(sdp) {
        const out = [];
        if (!sdp) return out;
        for (const block of sdp.split(/\r?\nm=/).slice(1)) {
            const lines = block.split(/\r?\n/);
            const kind = lines[0].split(' ')[0];
            const port = lines[0].split(' ')[1];
            const get = (re) => { for (const l of lines) { const m = re.exec(l); if (m) return m; } return null; };
            const mid = get(/^a=mid:(\S+)/);
            const msid = get(/^a=msid:(\S+)(?: (\S+))?/);
            const ssrcMsid = get(/^a=ssrc:\d+ msid:(\S+)(?: (\S+))?/);
            const direction = get(/^a=(sendrecv|sendonly|recvonly|inactive)$/);
            const ssrcs = [...new Set(lines.map((l) => /^a=ssrc:(\d+) /.exec(l)).filter((m) => m).map((m) => Number(m[1])))];
            out.push({
                mid: mid ? mid[1] : null, kind, rejected: port === '0',
                direction: direction ? direction[1] : null,
                msid: msid ? msid[1] : ssrcMsid ? ssrcMsid[1] : null,
                trackId: msid ? msid[2] || null : ssrcMsid ? ssrcMsid[2] || null : null,
                ssrcs,
            });
        }
        return out;
    }

    const engineOf = () => (typeof rtcEngine !== 'undefined' ? rtcEngine : null); // the page's global (index.html)

    window.sdkTest = {
        state,

        /** generateTestToken's answer, as the page's callback got it. */
        tokenReply(error, token) {
            if (error) {
                const e = error;
                state.token = {
                    error: String((e && e.message) || e),
                    status: e && e.response ? e.response.status : null,
                    body: e && e.response ? JSON.stringify(e.response.data).slice(0, 500) : null,
                };
                say('generateTestToken failed: ' + JSON.stringify(state.token));
                return;
            }
            try {
                const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
                const claims = JSON.parse(decodeURIComponent(escape(atob(part))));
                state.token = { claims };
                say('token claims: ' + JSON.stringify(claims));
            } catch (e) {
                state.token = { error: 'the token is not a JWT the page can read: ' + e };
                say(state.token.error);
            }
        },

        /** Right after joinRoom: the SDK's socket exists from here on (socket.io-client connects at once). */
        watch(engine) {
            const socket = engine._socket;
            if (!socket) {
                say('joinRoom made no socket (the SDK logged why above)');
                return;
            }
            const manager = socket.io;
            watchEngineIo(manager.engine);
            manager.on('open', () => watchEngineIo(manager.engine));
            const note = (what) => { state.socketEvents.push({ t: ms(), what }); say('socket ' + what); };
            socket.on('connect', () => {
                note('connect (id ' + socket.id + ')');
                watchPeerConnection(engine._peerconnection); // the SDK's own connect handler has just made it
            });
            for (const ev of ['connect_error', 'connect_timeout', 'reconnect_attempt', 'reconnect_error', 'reconnect_failed',
                'reconnect', 'disconnect', 'error']) {
                socket.on(ev, (x) => note(ev + (x === undefined ? '' : ': ' + ((x && (x.message || x.description || x.type)) || JSON.stringify(x)))));
            }
            engine.on('state', (s) => note('RTCEngine state ' + s));
        },

        /** What the SDK's page has and receives: two getStats() 2 s apart on the SDK's RTCPeerConnection. */
        async probe() {
            const engine = engineOf();
            const pc = engine && engine._peerconnection;
            if (pc) watchPeerConnection(pc);
            const sample = async () => {
                const s = { inbound: {}, outbound: {}, transport: null, pairs: {}, candidates: {} };
                if (!pc || pc.signalingState === 'closed') return s;
                (await pc.getStats()).forEach((r) => {
                    if (r.type === 'inbound-rtp') s.inbound[r.id] = r;
                    else if (r.type === 'outbound-rtp') s.outbound[r.id] = r;
                    else if (r.type === 'transport') s.transport = r;
                    else if (r.type === 'candidate-pair') s.pairs[r.id] = r;
                    else if (r.type === 'local-candidate' || r.type === 'remote-candidate') s.candidates[r.id] = r;
                });
                return s;
            };
            const a = await sample();
            await new Promise((r) => setTimeout(r, 2000));
            const b = await sample();
            const remote = sections(pc && pc.remoteDescription && pc.remoteDescription.sdp);
            const local = sections(pc && pc.localDescription && pc.localDescription.sdp);
            const byMid = new Map(remote.map((s) => [s.mid, s]));
            const transceivers = pc ? pc.getTransceivers() : [];
            const midOfTrack = new Map(transceivers.filter((t) => t.receiver && t.receiver.track).map((t) => [t.receiver.track.id, t.mid]));
            const d = (x, y, k) => (y[k] || 0) - ((x && x[k]) || 0);
            const inbound = Object.values(b.inbound).map((y) => {
                const x = a.inbound[y.id];
                const mid = y.mid != null ? y.mid : midOfTrack.get(y.trackIdentifier);
                const section = byMid.get(mid) || {};
                return {
                    kind: y.kind, mid, msid: section.msid || null, trackIdentifier: y.trackIdentifier || null, ssrc: y.ssrc,
                    framesDecoded: d(x, y, 'framesDecoded'), packetsReceived: d(x, y, 'packetsReceived'),
                    keyFramesDecoded: d(x, y, 'keyFramesDecoded'), packetsLost: d(x, y, 'packetsLost'),
                    nackCount: d(x, y, 'nackCount'), pliCount: d(x, y, 'pliCount'),
                    totalFramesDecoded: y.framesDecoded || 0, totalPacketsReceived: y.packetsReceived || 0,
                    frameWidth: y.frameWidth || 0, frameHeight: y.frameHeight || 0,
                };
            });
            const outbound = Object.values(b.outbound).map((y) => {
                const x = a.outbound[y.id];
                return {
                    kind: y.kind, mid: y.mid, ssrc: y.ssrc, packetsSent: d(x, y, 'packetsSent'), framesEncoded: d(x, y, 'framesEncoded'),
                    frameWidth: y.frameWidth || 0, limitation: y.qualityLimitationReason || null,
                };
            });
            let path = null;
            const pair = b.transport && b.pairs[b.transport.selectedCandidatePairId];
            if (pair) {
                const l = b.candidates[pair.localCandidateId] || {};
                const r = b.candidates[pair.remoteCandidateId] || {};
                path = (l.address || l.ip) + ':' + l.port + ' -> ' + (r.address || r.ip) + ':' + r.port + ' ' + (l.protocol || '');
            }
            const socket = engine && engine._socket;
            const eio = socket && socket.io && socket.io.engine;
            return {
                url: location.href,
                origin: location.origin,
                user: typeof user !== 'undefined' ? user : null,
                rtcEngineState: engine ? engine.getState() : null,
                published: !!(engine && localStream && engine._localStreams.get(localStream.streamId)),
                msid: typeof localStream !== 'undefined' && localStream && localStream._hasMedia ? localStream.streamId : null,
                peersKnown: engine ? Array.from(engine._peers.keys()) : [],
                remoteStreamsShown: engine ? Array.from(engine._remoteStreams.keys()) : [],
                token: state.token,
                socket: socket ? { connected: socket.connected, id: socket.id || null, transport: eio && eio.transport ? eio.transport.name : null,
                    uri: socket.io && socket.io.uri } : null,
                transports: state.transports,
                socketEvents: state.socketEvents,
                signalling: state.signalling,
                serverErrors: state.serverErrors,
                pc: pc ? {
                    connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState,
                    signalingState: pc.signalingState, dtlsState: b.transport ? b.transport.dtlsState : null, path,
                    transceivers: transceivers.map((t) => ({
                        mid: t.mid, kind: t.receiver && t.receiver.track ? t.receiver.track.kind : null,
                        direction: t.direction, currentDirection: t.currentDirection, sending: !!(t.sender && t.sender.track),
                    })),
                    remoteType: pc.remoteDescription ? pc.remoteDescription.type : null,
                    remote, local,
                } : null,
                pcEvents: state.pcEvents,
                lastSentSdp: state.lastSentSdp,
                inbound,
                outbound,
                pageErrors: state.pageErrors,
            };
        },
    };
})();
