// A stand-in for the RoomDeck server, for browser tests of the web client only: it speaks the same
// WebSocket protocol (docs: the lead's protocol brief) and forwards media with real RTCPeerConnections
// (one per client, server side), all inside one page. It is deliberately simple and strict: anything a
// client does that a real server would reject is counted in `violations`.
//
// Server-side rules it follows, as the real server must: the server answers every client offer; it is
// the polite side in glare (drops its own offer, answers the client's, offers again); remote tracks go
// out as new sendonly m-sections carrying the publisher's msid; room_meta rides on joined/answer/offer;
// join `attributes` come back in every peer_meta; `renegotiate` withdraws an outstanding offer and offers afresh.

export class FakeSfu {
    constructor({ latencyMs = [1, 4] } = {}) {
        this.latencyMs = latencyMs;
        this.peers = new Map();          // peerId → Conn
        this.violations = [];
        this.published = new Set();      // 'peerId/msid' of every stream ever published (addStream)
        this.log = [];
        this.renegotiate = 'offer';      // how `renegotiate` is served: 'offer' (fresh offer), 'refuse' (error), 'ignore'
        this.videoSize = 'accept';       // `videoSize` (extension): 'accept' (recorded, no reply), 'refuse' (unknown-type, as an older server)
    }

    /** A WebSocket-compatible class whose sockets talk to this SFU (pass as RoomClient's `WebSocket` option). */
    socketClass() {
        const sfu = this;
        return class FakeWebSocket {
            constructor(url) {
                this.url = url;
                this.readyState = 0;
                this.onopen = this.onmessage = this.onclose = this.onerror = null;
                this._conn = sfu._accept(this);
                setTimeout(() => {
                    if (this.readyState !== 0) return;
                    this.readyState = 1;
                    if (this.onopen) this.onopen({});
                }, 1);
            }
            send(text) {
                if (this.readyState !== 1) throw new Error('InvalidStateError: socket not open');
                sfu._later(this._conn, 'up', () => sfu._receive(this._conn, text));
            }
            close(code = 1000, reason = '') {
                if (this.readyState >= 2) return;
                this.readyState = 3;
                sfu._later(this._conn, 'up', () => sfu._socketClosed(this._conn));
                setTimeout(() => { if (this.onclose) this.onclose({ code, reason, wasClean: true }); }, 0);
            }
            _deliver(text) {
                if (this.readyState === 1 && this.onmessage) this.onmessage({ data: text });
            }
            _serverClose(code, reason) {
                if (this.readyState === 3) return;
                this.readyState = 3;
                if (this.onclose) this.onclose({ code, reason, wasClean: code === 1000 });
            }
        };
    }

    /** Token source for RoomClient's `tokenProvider` option. */
    tokenProvider() {
        return async ({ room, user }) => `fake-token:${room}:${user}`;
    }

    // ------------------------------------------------------------ operator actions, as the console would do them

    operatorMute(peerId, { audio, video }) {
        const c = this.peers.get(peerId);
        const msid = c && [...c.streams.keys()][0];
        if (!msid) throw new Error('no stream of ' + peerId);
        for (const other of this.peers.values()) {
            this._send(other, 'configure', { id: peerId, msid, local: false, remote: false, audio, video, by: 'operator' });
        }
    }

    kick(peerId, message) {
        const c = this.peers.get(peerId);
        if (!c) throw new Error('no peer ' + peerId);
        this._send(c, 'leave', { reason: 'kicked', message });
        c.dead = true; // what the client still sends is ignored, as a real server closing the session would
        this._later(c, 'down', () => { c.socket._serverClose(1000, 'kicked'); this._removePeer(c); });
    }

    /** The network drops: the client sees an unclean close, the server forgets the peer. */
    drop(peerId) {
        const c = this.peers.get(peerId);
        if (!c) throw new Error('no peer ' + peerId);
        c.dead = true;
        c.socket._serverClose(1006, '');
        this._removePeer(c);
    }

    /** The server's media path to and from this peer dies (its peer connection closes); signalling goes on. */
    silence(peerId) {
        const c = this.peers.get(peerId);
        if (!c) throw new Error('no peer ' + peerId);
        c.silenced = true;
        c.pc.close();
    }

    /** Stops forwarding other peers' media to this peer; its own media is still received (and reported on). */
    async stopForwardingTo(peerId) {
        const c = this.peers.get(peerId);
        if (!c) throw new Error('no peer ' + peerId);
        for (const tracks of c.sending.values()) for (const t of tracks) await t.sender.replaceTrack(null);
    }

    /** Sends the client an offer even if nothing changed (used to provoke glare in tests). */
    offerNow(peerId) {
        const c = this.peers.get(peerId);
        if (c) this._serial(c, () => this._offerTo(c));
    }

    roomMeta() {
        return {
            id: 'room',
            peers: [...this.peers.values()].filter(c => c.joined).map(c => this._peerMeta(c)),
        };
    }

    stateOf(peerId) {
        const c = this.peers.get(peerId);
        return c ? { signaling: c.pc.signalingState, connection: c.pc.connectionState, offers: c.offersSent } : null;
    }

    // ------------------------------------------------------------ transport

    _accept(socket) {
        return { socket, pc: null, peerId: null, joined: false, dead: false, chain: Promise.resolve(),
            needOffer: false, offersSent: 0, streams: new Map(), incoming: new Map(), sending: new Map(),
            attributes: undefined, renegotiations: [], due: { up: 0, down: 0 }, queued: { up: [], down: [] } };
    }

    _later(conn, dir, fn) {
        const [lo, hi] = this.latencyMs;
        const now = performance.now();
        const due = Math.max(conn.due[dir], now + lo + Math.random() * (hi - lo));
        conn.due[dir] = due;
        // Each timer runs the oldest step, not its own: timers rounded to whole milliseconds can fire out of the
        // order of their due times (a kick's close overtook its leave message), and a socket keeps its order.
        conn.queued[dir].push(fn);
        setTimeout(() => conn.queued[dir].shift()(), due - now);
    }

    _send(conn, type, data, id) {
        if (conn.dead) return;
        const msg = { type, data };
        if (id !== undefined) msg.id = id;
        const text = JSON.stringify(msg);
        this.log.push(['down', conn.peerId, type]);
        this._later(conn, 'down', () => conn.socket._deliver(text));
    }

    _violation(conn, what) {
        this.violations.push(`${conn.peerId || '?'}: ${what}`);
    }

    _serial(conn, fn) {
        conn.chain = conn.chain.then(fn).catch(e => this._violation(conn, 'server step failed: ' + (e && e.message || e)));
        return conn.chain;
    }

    _receive(conn, text) {
        if (conn.dead) return;
        let msg;
        try { msg = JSON.parse(text); } catch (e) { this._violation(conn, 'bad json'); return; }
        this.log.push(['up', conn.peerId, msg.type]);
        this._serial(conn, () => this._handle(conn, msg));
    }

    _socketClosed(conn) {
        if (conn.dead) return;
        conn.dead = true;
        this._removePeer(conn);
    }

    // ------------------------------------------------------------ protocol

    async _handle(conn, { type, data = {}, id }) {
        if (conn.dead) return;
        if (type !== 'join' && !conn.joined) { this._send(conn, 'error', { code: 'not-joined', message: 'join first', request: type }, id); return; }
        switch (type) {
            case 'join': return this._join(conn, data, id);
            case 'addStream': return this._clientOffer(conn, data, id, () => {
                const s = data.stream || {};
                if (s.id !== conn.peerId) this._violation(conn, 'addStream for another peer id: ' + s.id);
                if (!Number.isInteger(s.bitrate)) this._violation(conn, 'bitrate not an int: ' + s.bitrate);
                conn.streams.set(s.msid, { bitrate: s.bitrate, attributes: s.attributes });
                this.published.add(s.id + '/' + s.msid);
            }, s => {
                this._send(conn, 'streamAdded', { msid: data.stream.msid });
                for (const other of this.peers.values()) {
                    if (other === conn || !other.joined) continue;
                    this._subscribe(other, conn, data.stream.msid);
                    this._serial(other, () => this._offerTo(other));
                }
            });
            case 'removeStream': return this._clientOffer(conn, data, id, () => {
                conn.streams.delete(data.stream && data.stream.msid);
            }, () => {
                for (const other of this.peers.values()) {
                    if (other === conn) continue;
                    this._unsubscribe(other, conn.peerId + '/' + data.stream.msid);
                    this._serial(other, () => this._offerTo(other));
                }
            });
            case 'offer': return this._clientOffer(conn, data, id, null, null);
            case 'renegotiate':
                if (typeof data.reason !== 'string' || !data.reason) this._violation(conn, 'renegotiate without reason');
                if (typeof data.message !== 'string' || data.message.length > 500) this._violation(conn, 'renegotiate message not a string of ≤ 500');
                conn.renegotiations.push({ reason: data.reason, message: data.message });
                if (this.renegotiate === 'refuse') {
                    this._send(conn, 'error', { code: 'unknown-type', message: 'unknown message renegotiate', request: type }, id);
                    return;
                }
                if (this.renegotiate === 'ignore') return;
                // The client could not apply our offer: withdraw it and offer everything afresh.
                if (conn.pc.signalingState === 'have-local-offer') await conn.pc.setLocalDescription({ type: 'rollback' });
                return this._offerTo(conn);
            case 'answer':
                if (conn.pc.signalingState !== 'have-local-offer') {
                    this._violation(conn, 'answer while server is ' + conn.pc.signalingState + ' (answered a dropped offer?)');
                    return;
                }
                await conn.pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
                if (conn.needOffer) await this._offerTo(conn);
                return;
            case 'configure':
                if (data.local) {
                    if (data.id !== conn.peerId) this._violation(conn, 'configure local for someone else');
                    if (!conn.streams.has(data.msid)) this._violation(conn, 'configure local before addStream');
                    for (const other of this.peers.values()) if (other !== conn && other.joined) this._send(other, 'configure', { ...data, by: 'peer' });
                } else if (data.remote) {
                    conn.remoteChoices = conn.remoteChoices || [];
                    conn.remoteChoices.push(data);
                } else this._violation(conn, 'configure neither local nor remote');
                return;
            case 'videoSize': {
                // The size a receiver wants of one stream: {id: publisher, msid, width, height}; 0x0 = no video now.
                conn.videoSizes = conn.videoSizes || [];
                conn.videoSizes.push({ ...data, at: Math.round(performance.now()) });
                // A client told that the server does not know the message stops sending it (those already on their
                // way when the refusal went out excepted).
                if (conn.videoSizeRefusedAt && performance.now() - conn.videoSizeRefusedAt > 500) {
                    this._violation(conn, 'videoSize again after the server refused it');
                }
                if (this.videoSize === 'refuse') {
                    conn.videoSizeRefusedAt = conn.videoSizeRefusedAt || performance.now();
                    this._send(conn, 'error', { code: 'unknown-type', message: 'unknown message videoSize', request: type }, id);
                    return;
                }
                const size = v => Number.isInteger(v) && v >= 0 && v <= 16384;
                if (!size(data.width) || !size(data.height) || (data.width === 0) !== (data.height === 0)) {
                    this._violation(conn, 'videoSize with a bad size: ' + JSON.stringify(data));
                }
                // Ever published, not necessarily now: the stream may have gone while the message was on its way.
                if (typeof data.id !== 'string' || typeof data.msid !== 'string' || !this.published.has(data.id + '/' + data.msid)) {
                    this._violation(conn, 'videoSize for no stream of the room: ' + JSON.stringify(data));
                } else if (data.id === conn.peerId) {
                    this._violation(conn, 'videoSize for its own stream');
                }
                return;
            }
            case 'message':
                for (const other of this.peers.values()) if (other !== conn && other.joined) this._send(other, 'message', { data: data.data, from: conn.peerId });
                return;
            case 'leave':
                conn.dead = true;
                this._removePeer(conn);
                conn.socket._serverClose(1000, 'left');
                return;
            default:
                this._send(conn, 'error', { code: 'unknown-type', message: 'unknown message ' + type, request: type }, id);
        }
    }

    async _join(conn, data, id) {
        for (const k of ['appkey', 'room', 'user', 'token', 'sdp']) {
            if (typeof data[k] !== 'string') { this._violation(conn, 'join without ' + k); }
        }
        if (data.planb !== false) this._violation(conn, 'join planb is not false');
        if (data.user === 'refuse-me') {
            this._send(conn, 'error', { code: 'forbidden', message: 'You are not welcome here.', request: 'join' }, id);
            return;
        }
        const old = this.peers.get(data.user);
        if (old && old !== conn) {
            this._send(old, 'leave', { reason: 'replaced', message: 'joined elsewhere' });
            old.dead = true;
            setTimeout(() => old.socket._serverClose(1000, 'replaced'), 10);
            this._removePeer(old);
        }
        if (data.attributes !== undefined && (typeof data.attributes !== 'object' || Array.isArray(data.attributes))) {
            this._violation(conn, 'join attributes not an object');
        }
        conn.peerId = data.user;
        conn.attributes = data.attributes || undefined;
        this.peers.set(conn.peerId, conn);
        const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
        conn.pc = pc;
        pc.ontrack = e => {
            const stream = e.streams[0];
            if (!stream) { this._violation(conn, 'published track without msid'); return; }
            const entry = conn.incoming.get(stream.id) || { stream, tracks: [] };
            entry.tracks.push(e.track);
            conn.incoming.set(stream.id, entry);
        };
        await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        conn.joined = true;
        this._send(conn, 'joined', { sdp: pc.localDescription.sdp, room: this.roomMeta() }, id);
        for (const other of this.peers.values()) {
            if (other === conn || !other.joined) continue;
            this._send(other, 'peerConnected', { peer: this._peerMeta(conn) });
            for (const msid of other.streams.keys()) this._subscribe(conn, other, msid);
        }
        if (conn.sending.size) await this._offerTo(conn);
    }

    /** A client offer (join excepted): polite in glare, answer, then offer again if we had to drop ours. */
    async _clientOffer(conn, data, id, before, after) {
        if (typeof data.sdp !== 'string') { this._violation(conn, 'offer without sdp'); return; }
        const pc = conn.pc;
        if (pc.signalingState === 'have-local-offer') {
            await pc.setLocalDescription({ type: 'rollback' });
            conn.needOffer = true;
            this.log.push(['glare', conn.peerId]);
        }
        if (before) before();
        await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        this._send(conn, 'answer', { sdp: pc.localDescription.sdp, room: this.roomMeta() }, id);
        if (after) after();
        if (conn.needOffer) await this._offerTo(conn);
    }

    async _offerTo(conn) {
        if (conn.dead || !conn.joined || conn.silenced) return;
        const pc = conn.pc;
        if (pc.signalingState !== 'stable') { conn.needOffer = true; return; }
        conn.needOffer = false;
        await pc.setLocalDescription(await pc.createOffer());
        conn.offersSent++;
        this._send(conn, 'offer', { sdp: pc.localDescription.sdp, room: this.roomMeta() });
    }

    _subscribe(sub, pub, msid) {
        const key = pub.peerId + '/' + msid;
        const incoming = pub.incoming.get(msid);
        if (!incoming || sub.sending.has(key)) return;
        sub.sending.set(key, incoming.tracks.map(track =>
            sub.pc.addTransceiver(track, { direction: 'sendonly', streams: [incoming.stream] })));
    }

    _unsubscribe(sub, key) {
        const ts = sub.sending.get(key);
        if (!ts) return;
        sub.sending.delete(key);
        for (const t of ts) t.stop();
    }

    _removePeer(conn) {
        if (this.peers.get(conn.peerId) !== conn) return;
        this.peers.delete(conn.peerId);
        const meta = this._peerMeta(conn);
        if (conn.pc) conn.pc.close();
        for (const other of this.peers.values()) {
            if (!other.joined) continue;
            this._send(other, 'peerRemoved', { peer: meta });
            let changed = false;
            for (const key of [...other.sending.keys()]) {
                if (key.startsWith(conn.peerId + '/')) { this._unsubscribe(other, key); changed = true; }
            }
            if (changed) this._serial(other, () => this._offerTo(other));
        }
    }

    _peerMeta(conn) {
        const meta = {
            id: conn.peerId,
            streams: [...conn.streams].map(([msid, s]) => ({ id: msid, bitrate: s.bitrate, attributes: s.attributes })),
        };
        if (conn.attributes) meta.attributes = conn.attributes;
        return meta;
    }
}
