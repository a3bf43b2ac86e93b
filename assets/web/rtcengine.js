// RoomDeck browser client: the RTCEngine signalling protocol over one WebSocket, unified-plan,
// one RTCPeerConnection per session (our tracks go up as sendonly, everyone else's come down as the
// server's sendonly m-sections). No dependencies; usable by any page:
//
//   import { RoomClient, openLocalMedia } from './rtcengine.js';
//   const { stream } = await openLocalMedia();
//   const client = new RoomClient();
//   client.addEventListener('streamadded', e => show(e.detail.stream));
//   await client.join({ room: 'main', user: 'u-3f9c01d2a7b4e865', attributes: { name: 'Alice' }, localStream: stream });
//
// `user` is the seat: one connection per user and room, a second join with the same user replaces the first.
// Choose it per person and device (e.g. a random id kept in the browser's storage), never from a typed name;
// the name travels in `attributes` and is what displayName() returns.

const TOKEN_OK = 10000;
// Leaves after which the client tries again by itself: media trouble, or a server that is stopping or restarting
// (it retries with backoff until the server is back, so rooms refill after a restart). The others are final:
// `kicked`, and `replaced` (our own user joined again elsewhere: rejoining would fight that tab for the seat).
const RECOVERABLE_LEAVES = new Set(['timeout', 'media-failed', 'shutdown', 'restart']);
// Close codes that end the session even if their `leave` message was lost: never reconnect after them.
const FINAL_CLOSES = { 4001: 'kicked', 4002: 'replaced' };
// The browser's error text sent with `renegotiate` is for the operator's log: bounded.
const MAX_REPORT_CHARS = 500;

// Simulcast for our camera (issue 17): the same picture at three sizes, listed low → high, so that the server can
// forward each receiver the smallest one that fills its tile. The lower layers have fixed rates; the top one gets
// what they leave of the stream's cap (options.bitrate), since the cap is what the whole sender may use.
// How many layers: Chrome's own simulcast limit by resolution (three from 960x540, two from 480x270, else one;
// with more encodings than that it silently sends none of the top ones), by the short side so that a portrait
// camera counts like a landscape one: 720p sends q, h, f; 640x480 sends h, f; a smaller camera one encoding. The
// top layer is always the full picture. The lowest layer also goes while the top one would get less than the
// layer under it.
// Screen shares always send one encoding: text must stay readable, and the server forwards it whole.
const SIMULCAST_LAYERS = [
    { rid: 'q', scaleResolutionDownBy: 4, kbps: 150 },
    { rid: 'h', scaleResolutionDownBy: 2, kbps: 500 },
    { rid: 'f', scaleResolutionDownBy: 1, kbps: 0 }, // the rest of the cap
];
const THREE_LAYERS_PX = 540;
const TWO_LAYERS_PX = 270;
// videoSize wishes wait this long for the tile's size to settle (a resize or a layout change moves it many times).
const VIDEO_SIZE_DEBOUNCE_MS = 100;
// Refusals of `videoSize` that do not mean "this server does not know it": keep asking.
const VIDEO_SIZE_TRANSIENT = new Set(['unknown-stream', 'rate-limited', 'not-joined']);

/** The display name in an attributes object ({name}), or ''. */
function nameIn(attributes) {
    const n = attributes && typeof attributes === 'object' ? attributes.name : null;
    return typeof n === 'string' ? n.trim().slice(0, 128) : '';
}

/** Client states, in the order a session normally goes through them. */
export const State = Object.freeze({
    IDLE: 'idle',
    JOINING: 'joining',
    JOINED: 'joined',
    RECONNECTING: 'reconnecting',
    LEFT: 'left',
    FAILED: 'failed',
});

/** An `error` message from the server, or a failure of one of our requests. */
export class RoomError extends Error {
    constructor(code, message, request) {
        super(message || code);
        this.name = 'RoomError';
        this.code = code;
        this.request = request;
    }
}

/**
 * Camera and microphone, degrading gracefully: both, else whichever one works, else nothing.
 * Resolves to { stream: MediaStream|null, problems: [string] } and never rejects.
 */
export async function openLocalMedia({ audio = true, video = true, videoConstraints } = {}) {
    const problems = [];
    const md = globalThis.navigator && navigator.mediaDevices;
    if (!md || !md.getUserMedia) {
        problems.push(globalThis.isSecureContext === false
            ? 'Camera and microphone need a secure page (HTTPS or localhost); you are joining to watch and listen only.'
            : 'This browser gives no access to camera or microphone; you are joining to watch and listen only.');
        return { stream: null, problems };
    }
    const v = video ? (videoConstraints || { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } }) : false;
    const attempts = [];
    if (audio && v) attempts.push({ audio: true, video: v });
    if (v) attempts.push({ audio: false, video: v });
    if (audio) attempts.push({ audio: true, video: false });
    let lastError = null;
    for (const constraints of attempts) {
        try {
            const stream = await md.getUserMedia(constraints);
            if (lastError) problems.push(describeMediaError(lastError, audio && v && !(constraints.audio && constraints.video)
                ? (constraints.video ? 'microphone' : 'camera') : 'camera and microphone'));
            return { stream, problems };
        } catch (e) {
            lastError = lastError || e;
        }
    }
    if (attempts.length) problems.push(describeMediaError(lastError, 'camera and microphone') + ' You are joining to watch and listen only.');
    return { stream: null, problems };
}

/**
 * The send encodings of a camera track with the stream's cap `capKbps`: the simulcast layers low → high (see
 * SIMULCAST_LAYERS), or null for one encoding (a small picture, a low cap, or a browser that does not say the size).
 */
export function cameraEncodings(track, capKbps) {
    const settings = track && track.getSettings ? track.getSettings() : {};
    // The short side, so that a portrait camera counts like a landscape one.
    const side = Math.min(settings.width || 0, settings.height || 0);
    const count = side >= THREE_LAYERS_PX ? 3 : side >= TWO_LAYERS_PX ? 2 : 1;
    let layers = SIMULCAST_LAYERS.slice(SIMULCAST_LAYERS.length - count);
    const below = ls => ls.slice(0, -1).reduce((sum, l) => sum + l.kbps, 0);
    while (layers.length > 1 && capKbps - below(layers) < layers[layers.length - 2].kbps) layers = layers.slice(1);
    if (layers.length < 2) return null;
    const top = capKbps - below(layers);
    return layers.map((l, i) => ({
        rid: l.rid, scaleResolutionDownBy: l.scaleResolutionDownBy,
        maxBitrate: Math.round((i === layers.length - 1 ? top : l.kbps) * 1000),
    }));
}

function describeMediaError(e, what) {
    switch (e && e.name) {
        case 'NotAllowedError': return `Access to the ${what} was denied.`;
        case 'NotFoundError': return `No ${what} found.`;
        case 'NotReadableError': return `The ${what} is in use by another application.`;
        case 'OverconstrainedError': return `The ${what} does not support the requested settings.`;
        default: return `Could not open the ${what}${e && e.message ? ': ' + e.message : '.'}`;
    }
}

/** The default token source: POST /api/generateToken on the page's own server. */
export async function fetchToken({ appkey, room, user, baseUrl = '' }) {
    let response;
    try {
        response = await fetch(baseUrl + '/api/generateToken', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ appkey, room, user }),
        });
    } catch (e) {
        throw new RoomError('server-unreachable', 'The RoomDeck server cannot be reached.', 'generateToken');
    }
    let body = null;
    try { body = await response.json(); } catch (e) { /* reported below */ }
    if (!body || body.s !== TOKEN_OK || !body.d || !body.d.token) {
        const why = body && body.e ? body.e : `HTTP ${response.status}`;
        throw new RoomError('token-refused', `The server refused to let you in: ${why}`, 'generateToken');
    }
    return body.d.token;
}

/** The WebSocket address of the page's own server. */
export function defaultSocketUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws`;
}

/**
 * One participant's session in one room.
 *
 * Events (CustomEvent, data in `detail`):
 *   statechange   {state, previous, reason}        idle → joining → joined ⇄ reconnecting → left | failed
 *   connection    {socket, signaling, ice, connection}   transport-level states, for indicators
 *   joined        {room}                           room_meta after each (re)join
 *   published     {msid}                           the server confirmed our stream (streamAdded)
 *   peerjoined    {peer} / peerleft {peer}         peer_meta of others ({id, streams, attributes})
 *   peerupdated   {peer}                           another peer's attributes changed (e.g. its name)
 *   streamadded   {stream} / streamupdated {stream} / streamremoved {stream}   RemoteStream records (see below)
 *   localmute     {audio, video, operator: {audio, video}}   our own mute state changed (also by the operator)
 *   message       {from, data}
 *   error         {code, message, request}         the server's `error` messages and failed requests; the session goes on
 *   negotiationfailed {message, count, action}     a server offer could not be applied; action: 'renegotiate' (a fresh
 *                                                  offer was requested) or 'restart' (the session starts afresh)
 *   reconnecting  {attempt, delayMs, reason}       reason: 'connection-lost', 'negotiation-failed', 'media-stalled'
 *                                                  (nothing received for mediaSilenceMs) or a leave reason
 *   left          {reason, message}                reason: 'user' | 'kicked' | 'shutdown' | 'replaced' | ...
 *   lobby         {room, message}                  meeting-room extension: the room is locked, our join waits for the
 *                                                  operator (join() resolves on `joined`, rejects on `join-refused`)
 *   speaker       {peer, msid, changed, levels}    meeting-room extension (join with events: ['speaker'])
 *   stopstream    {msid, by, message}              the operator stopped one of our streams; an extra stream
 *                                                  (addExtraStream) is already removed and its tracks stopped
 *
 * RemoteStream record: {msid, peerId, attributes, bitrate, mediaStream: MediaStream|null,
 *   audioTrack, videoTrack, muted: {audio, video} (by its owner), operatorMuted: {audio, video},
 *   receiving: {audio, video} (our own choice)}.
 */
export class RoomClient extends EventTarget {
    constructor(options = {}) {
        super();
        this.options = {
            appkey: 'default',
            url: null,                 // WebSocket URL; default: this page's server, /ws
            tokenProvider: null,       // async ({appkey, room, user}) => token; default: POST /api/generateToken
            bitrate: 1500,             // kbps announced for our stream and used as the video sender's cap
            iceServers: [],
            reconnect: true,
            requestTimeoutMs: 15000,
            renegotiateTimeoutMs: 5000, // a fresh server offer not here by then: restart the session
            mediaSilenceMs: 15000,      // no packet from anyone this long while media is expected: restart the session
            WebSocket: globalThis.WebSocket,
            log: () => {},
            ...options,
        };
        this.state = State.IDLE;
        this.room = null;
        this.user = null;
        this.localStream = null;
        /** Our peer attributes (join `attributes`), and our stream's attributes (addStream). */
        this.peerAttributes = {};
        this.attributes = {};
        /** Server offers this client could not apply, over its lifetime. */
        this.negotiationFailures = 0;
        /** peerId → peer_meta of every other peer in the room. */
        this.peers = new Map();
        /** msid → RemoteStream record of every other peer's stream. */
        this.streams = new Map();
        this.localMute = { audio: false, video: false, operator: { audio: false, video: false } };
        this.published = false;
        /** Meeting-room extensions asked for at join (e.g. ['speaker']) and the room's PIN, if it has one. */
        this.events = [];
        this.pin = null;
        /** msid → our extra streams (screen shares): {stream, attributes, bitrate, maxFramerate, senders, sent}. */
        this.extraStreams = new Map();

        this._session = null;          // the live connection attempt; stale callbacks compare against it
        this._sessionSeq = 0;
        this._requestSeq = 0;
        this._attempt = 0;
        this._reconnectTimer = null;
        this._statsPrev = new Map();
        this._receivingChoices = new Map(); // msid → {audio, video} when not the default (both on)
        this._statsRate = new Map();
        this._restartTimes = [];     // when the session was restarted by itself (failed negotiation, dead media): backoff
        /** msid → {id, msid, width, height}: the video size we want of each remote stream (setVideoSize). */
        this._videoWishes = new Map();
        this._videoSizeTimers = new Map(); // msid → the debounce timer of its wish
        /** msid → {id, msid, width, height}: the last `videoSize` sent for each stream, in this session. */
        this.videoSizes = {};
        /** false once the server refused `videoSize` (a server without it): not sent again in this session. */
        this.videoSizeSupported = null;
    }

    /** This participant's peer id (the `user` of join). */
    get peerId() { return this.user; }

    /** The current RTCPeerConnection (replaced on every reconnect), or null. */
    get peerConnection() { return this._session ? this._session.pc : null; }

    /** {socket, signaling, ice, connection} of the current session. */
    get connectionState() {
        const s = this._session;
        const ws = s && s.ws;
        const pc = s && s.pc;
        return {
            socket: ws ? ['connecting', 'open', 'closing', 'closed'][ws.readyState] : 'closed',
            signaling: pc ? pc.signalingState : 'closed',
            ice: pc ? pc.iceConnectionState : 'closed',
            connection: pc ? pc.connectionState : 'closed',
        };
    }

    /**
     * Joins `room` as `user`, publishing `localStream` (may be null: receive only). Resolves once joined
     * and our stream is sent to the server; rejects (state 'failed') if the first attempt fails.
     * `user` is the seat (a stable id per person and device, not a name); `attributes` (e.g. {name: 'Anna'}) are
     * sent as the peer's attributes in join and also make up our stream's attributes ({name, kind, ...}).
     */
    async join({ room, user, localStream = null, attributes = {}, events = [], pin = null, muted = null }) {
        if (this.state !== State.IDLE && this.state !== State.LEFT && this.state !== State.FAILED) {
            throw new RoomError('already-joined', 'This client is already in a room.', 'join');
        }
        if (!room || !user) throw new RoomError('bad-request', 'Room and name are required.', 'join');
        this.room = String(room);
        this.user = String(user);
        this.localStream = localStream;
        this.peerAttributes = attributes && typeof attributes === 'object' ? { ...attributes } : {};
        this.attributes = { name: this.user, kind: 'camera', ...this.peerAttributes };
        this.localMute = { audio: !!(muted && muted.audio), video: !!(muted && muted.video), operator: { audio: false, video: false } };
        this.events = Array.isArray(events) ? events.map(String) : [];
        this.pin = pin ? String(pin) : null;
        this._attempt = 0;
        try {
            await this._connect(State.JOINING);
        } catch (e) {
            this._teardown();
            if (this.state !== State.LEFT) this._setState(State.FAILED, e.message);
            throw e;
        }
    }

    /** Leaves the room (tells the server, closes everything). Local tracks are not stopped: they are the caller's. */
    leave() {
        if (this.state === State.LEFT || this.state === State.IDLE) return;
        clearTimeout(this._reconnectTimer);
        this._send('leave', {});
        this.extraStreams.clear();
        this._finish('user', 'You left the room.');
    }

    /**
     * Publishes a second stream of this peer on the same peer connection (e.g. a screen share: attributes
     * {name, kind: 'screen'}). Its msid is stream.id; `bitrate` (kbps) is announced and caps its video sender;
     * `maxFramerate` caps the frame rate. Resolves once the server answered (streamAdded follows). The stream is
     * published again after a reconnect until removeExtraStream.
     */
    async addExtraStream(stream, { attributes = {}, bitrate = 2500, maxFramerate = null } = {}) {
        if (!stream) throw new RoomError('bad-request', 'No stream to publish.', 'addStream');
        const entry = { stream, attributes: { ...attributes }, bitrate, maxFramerate, senders: [], sent: false };
        this.extraStreams.set(stream.id, entry);
        const session = this._session;
        if (session && session.joined) await this._publishExtra(session, entry);
    }

    /** Stops publishing an extra stream (removeStream). Its tracks are not stopped: they are the caller's. */
    async removeExtraStream(msid) {
        const entry = this.extraStreams.get(msid);
        if (!entry) return;
        this.extraStreams.delete(msid);
        const session = this._session;
        if (!session || !session.joined || !entry.senders.length) return;
        await this._negotiate(session, 'removeStream', sdp => ({ stream: this._extraMeta(entry), sdp }), 'answer', pc => {
            for (const sender of entry.senders) {
                try { pc.removeTrack(sender); } catch (e) { this.options.log('removeTrack failed', e); }
            }
            entry.senders = [];
        });
    }

    _extraMeta(entry) {
        return { id: this.user, msid: entry.stream.id, local: true, bitrate: Math.round(entry.bitrate), attributes: entry.attributes };
    }

    async _publishExtra(session, entry) {
        const tracks = entry.stream.getTracks().filter(t => t.readyState === 'live');
        if (!tracks.length) return;
        await this._negotiate(session, 'addStream', sdp => ({ stream: this._extraMeta(entry), sdp }), 'answer', pc => {
            entry.senders = [];
            for (const track of tracks) {
                const init = { direction: 'sendonly', streams: [entry.stream] };
                if (track.kind === 'video') {
                    const enc = { maxBitrate: Math.round(entry.bitrate * 1000) };
                    if (entry.maxFramerate) enc.maxFramerate = entry.maxFramerate;
                    init.sendEncodings = [enc];
                }
                entry.senders.push(pc.addTransceiver(track, init).sender);
            }
        });
        entry.sent = true;
        for (const sender of entry.senders) {
            if (!sender.track || sender.track.kind !== 'video') continue;
            try {
                const params = sender.getParameters();
                // Slides: sharp text at the captured size; the frame rate gives way first.
                params.degradationPreference = 'maintain-resolution';
                sender.setParameters(params).catch(e => this.options.log('screen sender parameters refused', e));
            } catch (e) {
                this.options.log('screen sender parameters failed', e);
            }
        }
    }

    /**
     * Mutes or unmutes our own microphone and/or camera: disables the track and tells the others
     * (`configure` with local:true). Pass only what changes, e.g. setLocalMuted({video: true}).
     * Unmuting what the operator muted is refused (the track stays off) and reported by the return value.
     * Returns the new localMute.
     */
    setLocalMuted({ audio, video } = {}) {
        const change = {};
        if (typeof audio === 'boolean' && audio !== this.localMute.audio) change.audio = this.localMute.audio = audio;
        if (typeof video === 'boolean' && video !== this.localMute.video) change.video = this.localMute.video = video;
        this._applyLocalTrackState();
        // Only what changed, and never an unmute of what the operator muted (the server refuses it).
        if (change.audio === false && this.localMute.operator.audio) delete change.audio;
        if (change.video === false && this.localMute.operator.video) delete change.video;
        this._sendLocalConfigure(change);
        this._emit('localmute', this._localMuteDetail());
        return this._localMuteDetail();
    }

    /**
     * Stops or resumes receiving one remote stream's video and/or audio, for us only
     * (`configure` with remote:true). Pass only what changes, e.g. setReceiving(msid, {video: false}).
     */
    setReceiving(msid, { audio, video } = {}) {
        const s = this.streams.get(msid);
        if (!s) throw new RoomError('unknown-stream', `No stream ${msid} in this room.`, 'configure');
        if (typeof audio === 'boolean') s.receiving.audio = audio;
        if (typeof video === 'boolean') s.receiving.video = video;
        if (s.audioTrack) s.audioTrack.enabled = s.receiving.audio;
        if (s.receiving.audio && s.receiving.video) this._receivingChoices.delete(msid);
        else this._receivingChoices.set(msid, { ...s.receiving });
        this._sendReceiving(s);
        this._emit('streamupdated', { stream: s });
        return { ...s.receiving };
    }

    /**
     * A fresh offer/answer round with the server (`offer` request), e.g. after the caller changed the tracks of
     * the peer connection. Resolves once the server's answer is applied.
     */
    async renegotiate() {
        const session = this._session;
        if (!session || !session.joined) throw new RoomError('not-joined', 'Not in a room.', 'offer');
        await this._negotiate(session, 'offer', sdp => ({ sdp }), 'answer');
    }

    /**
     * Asks the server for a fresh complete offer (`renegotiate` request), e.g. when a remote stream's media never
     * started (`msid`: that stream). Resolves 'offer' once a fresh offer is applied, false if none came (or the
     * server refused the request), or the server's answer when it saw no use in one (no-media only): 'keyframe'
     * (the video is forwarded to us; its sender was asked for a keyframe) or 'wait' (the video has not reached the
     * server yet, or our own media connection is not up).
     */
    requestServerOffer({ reason = 'no-media', message = '', msid = null } = {}) {
        const session = this._session;
        if (!session || !session.joined) return Promise.resolve(false);
        return this._askForOffer(session, reason, message, false, msid);
    }

    /**
     * The name to show for a peer (ourselves included): its peer attributes' `name`, else its streams'
     * attributes' `name`, else its id.
     */
    displayName(peerId) {
        if (peerId == null) return '';
        if (peerId === this.user) return nameIn(this.peerAttributes) || nameIn(this.attributes) || String(peerId);
        const p = this.peers.get(peerId);
        const own = p && nameIn(p.attributes);
        if (own) return own;
        for (const s of this.streams.values()) if (s.peerId === peerId && nameIn(s.attributes)) return nameIn(s.attributes);
        const listed = p && p.streams.find(x => x && nameIn(x.attributes));
        return listed ? nameIn(listed.attributes) : String(peerId);
    }

    /**
     * The largest video size (device pixels) we want of the remote stream `msid` of peer `peerId` (meeting-room
     * extension `videoSize`): the server forwards the simulcast layer that fits it. 0x0 asks for no video of it now
     * (its tile is hidden, off screen, or the page is). Sent once the value has been stable for ~100 ms, only when
     * it changed, only while joined; the wishes are sent again after a reconnect. A server that does not know the
     * message (it answers `error`) is not asked again in this session; nothing else changes then.
     */
    setVideoSize(peerId, msid, width, height) {
        if (!peerId || !msid) return;
        const w = Math.max(0, Math.round(Number(width) || 0));
        const h = Math.max(0, Math.round(Number(height) || 0));
        const some = w > 0 && h > 0; // a box without width or height shows nothing: 0x0
        const wish = { id: String(peerId), msid: String(msid), width: some ? w : 0, height: some ? h : 0 };
        this._videoWishes.set(wish.msid, wish);
        this._scheduleVideoSize(wish.msid);
    }

    /** The wishes (setVideoSize) of every stream, sent or not: {msid: {id, msid, width, height}}. */
    get videoSizeWishes() {
        return Object.fromEntries([...this._videoWishes].map(([msid, w]) => [msid, { ...w }]));
    }

    _scheduleVideoSize(msid) {
        clearTimeout(this._videoSizeTimers.get(msid));
        this._videoSizeTimers.set(msid, setTimeout(() => {
            this._videoSizeTimers.delete(msid);
            this._sendVideoSize(msid);
        }, VIDEO_SIZE_DEBOUNCE_MS));
    }

    _sendVideoSize(msid) {
        const wish = this._videoWishes.get(msid);
        const session = this._session;
        if (!wish || !session || !session.joined || session.videoSizeOff || !this.streams.has(msid)) return;
        const last = this.videoSizes[msid];
        if (last && last.id === wish.id && last.width === wish.width && last.height === wish.height) return;
        const id = 'c' + (++this._requestSeq);
        if (!this._send('videoSize', { ...wish }, id)) return;
        // Their ids tell a refusal apart from a server that does not name the request; the recent ones suffice.
        if (session.videoSizeIds.size >= 100) session.videoSizeIds.clear();
        session.videoSizeIds.add(id);
        this.videoSizes[msid] = { ...wish };
    }

    /** A fresh session: the server knows none of our wishes yet. */
    _resendVideoSizes() {
        this.videoSizes = {};
        this.videoSizeSupported = null; // perhaps another server (an upgrade): ask it
        for (const msid of this._videoWishes.keys()) this._scheduleVideoSize(msid);
    }

    /** The server refused a `videoSize`: a server that does not know it is not asked again in this session. */
    _onVideoSizeRefused(session, data) {
        const code = data.code || 'error';
        this.options.log('videoSize refused:', code, data.message || '');
        if (VIDEO_SIZE_TRANSIENT.has(code)) return;
        session.videoSizeOff = true;
        this.videoSizeSupported = false;
    }

    /** Sends `data` (any JSON value) to everyone else in the room. Returns false when not connected. */
    sendMessage(data) {
        return this._send('message', { data });
    }

    /**
     * Live figures from getStats():
     *   {state, connection: {...}, peers: {peerId: {msid, framesDecoded, frameWidth, frameHeight, framesPerSecond,
     *    videoBytesReceived, videoBitrate, audioBytesReceived, audioBitrate, audioLevel, packetsLost, jitter,
     *    bytesReceived, freezeCount, totalFreezesDuration (video: inbound-rtp), videoSize ({width, height}: our last
     *    `videoSize` for the stream, or null), streams: {msid: {...same}}}}, outbound: {videoBitrate, audioBitrate,
     *    framesEncoded, frameWidth, frameHeight (the largest layer), layers: [{rid, frameWidth, frameHeight, bitrate,
     *    bytesSent, active}] (one per video encoding), ...}, selectedPair: {local, remote, state, rtt,
     *    availableOutgoingBitrate} | null}
     * Bitrates are kbps over the time since the previous call (at least ~1 s apart).
     */
    async stats() {
        const pc = this.peerConnection;
        const out = { state: this.state, connection: this.connectionState, peers: {}, outbound: {}, selectedPair: null };
        if (!pc) return out;
        const report = await pc.getStats();
        const byId = new Map();
        report.forEach(r => byId.set(r.id, r));
        const trackToMsid = this._session.trackToMsid;
        const midToMsid = new Map();
        for (const t of pc.getTransceivers()) {
            const msid = t.receiver.track && trackToMsid.get(t.receiver.track.id);
            if (t.mid != null && msid) midToMsid.set(t.mid, msid);
        }
        const perStream = new Map();
        const entry = msid => {
            if (!perStream.has(msid)) {
                perStream.set(msid, {
                    msid, framesDecoded: 0, framesDropped: 0, keyFramesDecoded: 0, frameWidth: 0, frameHeight: 0,
                    framesPerSecond: 0, videoBytesReceived: 0, videoPacketsReceived: 0, videoPacketsLost: 0,
                    videoBitrate: 0, audioBytesReceived: 0, audioPacketsReceived: 0, audioPacketsLost: 0,
                    audioBitrate: 0, audioLevel: 0, packetsLost: 0, jitter: 0, pliCount: 0, nackCount: 0,
                    bytesReceived: 0, freezeCount: 0, totalFreezesDuration: 0,
                    videoSize: this.videoSizes[msid] ? { width: this.videoSizes[msid].width, height: this.videoSizes[msid].height } : null,
                });
            }
            return perStream.get(msid);
        };
        for (const r of byId.values()) {
            if (r.type === 'inbound-rtp') {
                const msid = trackToMsid.get(r.trackIdentifier) || midToMsid.get(r.mid);
                if (!msid) continue;
                const e = entry(msid);
                const rate = this._rate(r.id, r.bytesReceived, r.timestamp);
                e.packetsLost += r.packetsLost || 0;
                e.jitter = Math.max(e.jitter, r.jitter || 0);
                if (r.kind === 'video') {
                    e.framesDecoded += r.framesDecoded || 0;
                    e.framesDropped += r.framesDropped || 0;
                    e.keyFramesDecoded += r.keyFramesDecoded || 0;
                    e.frameWidth = r.frameWidth || e.frameWidth;
                    e.frameHeight = r.frameHeight || e.frameHeight;
                    e.framesPerSecond = r.framesPerSecond || e.framesPerSecond;
                    e.videoBytesReceived += r.bytesReceived || 0;
                    e.bytesReceived += r.bytesReceived || 0;
                    e.freezeCount += r.freezeCount || 0;
                    e.totalFreezesDuration += r.totalFreezesDuration || 0;
                    e.videoPacketsReceived += r.packetsReceived || 0;
                    e.videoPacketsLost += r.packetsLost || 0;
                    e.videoBitrate += rate;
                    e.pliCount += r.pliCount || 0;
                    e.nackCount += r.nackCount || 0;
                } else if (r.kind === 'audio') {
                    e.audioBytesReceived += r.bytesReceived || 0;
                    e.audioPacketsReceived += r.packetsReceived || 0;
                    e.audioPacketsLost += r.packetsLost || 0;
                    e.audioBitrate += rate;
                    e.audioLevel = Math.max(e.audioLevel, r.audioLevel || 0);
                }
            } else if (r.type === 'outbound-rtp') {
                const o = out.outbound;
                const rate = this._rate(r.id, r.bytesSent, r.timestamp);
                if (r.kind === 'video') {
                    // One entry per simulcast layer (rid); the figures below add them up, the size is the largest.
                    (o.layers = o.layers || []).push({
                        rid: r.rid || null, frameWidth: r.frameWidth || 0, frameHeight: r.frameHeight || 0,
                        bitrate: rate, bytesSent: r.bytesSent || 0, active: r.active !== false,
                    });
                    o.videoBitrate = (o.videoBitrate || 0) + rate;
                    o.videoBytesSent = (o.videoBytesSent || 0) + (r.bytesSent || 0);
                    o.videoPacketsSent = (o.videoPacketsSent || 0) + (r.packetsSent || 0);
                    o.framesEncoded = (o.framesEncoded || 0) + (r.framesEncoded || 0);
                    if ((r.frameWidth || 0) >= (o.frameWidth || 0)) {
                        o.frameWidth = r.frameWidth || o.frameWidth || 0;
                        o.frameHeight = r.frameHeight || o.frameHeight || 0;
                    }
                    o.framesPerSecond = r.framesPerSecond || o.framesPerSecond || 0;
                    o.qualityLimitationReason = r.qualityLimitationReason;
                    o.pliCount = (o.pliCount || 0) + (r.pliCount || 0);
                    o.nackCount = (o.nackCount || 0) + (r.nackCount || 0);
                    o.targetBitrate = r.targetBitrate != null ? Math.round(r.targetBitrate / 1000) : o.targetBitrate;
                } else if (r.kind === 'audio') {
                    o.audioBitrate = (o.audioBitrate || 0) + rate;
                    o.audioBytesSent = (o.audioBytesSent || 0) + (r.bytesSent || 0);
                    o.audioPacketsSent = (o.audioPacketsSent || 0) + (r.packetsSent || 0);
                }
            } else if (r.type === 'remote-inbound-rtp') {
                // What the server reports back about our outgoing media (its receiver reports).
                const o = out.outbound;
                const key = r.kind === 'video' ? 'video' : 'audio';
                o[key + 'RemotePacketsLost'] = r.packetsLost;
                o[key + 'RoundTripTime'] = r.roundTripTime;
            } else if (r.type === 'transport' && r.selectedCandidatePairId) {
                const pair = byId.get(r.selectedCandidatePairId);
                if (pair) {
                    const cand = id => {
                        const c = byId.get(id);
                        return c ? { address: c.address || c.ip, port: c.port, protocol: c.protocol, type: c.candidateType } : null;
                    };
                    out.selectedPair = {
                        local: cand(pair.localCandidateId), remote: cand(pair.remoteCandidateId), state: pair.state,
                        rtt: pair.currentRoundTripTime, availableOutgoingBitrate: pair.availableOutgoingBitrate,
                        bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived,
                    };
                }
                out.dtlsState = r.dtlsState;
            }
        }
        for (const [msid, e] of perStream) {
            const s = this.streams.get(msid);
            const peerId = s && s.peerId ? s.peerId : '?' + msid;
            const p = out.peers[peerId];
            if (!p) {
                out.peers[peerId] = { ...e, streams: { [msid]: e } };
            } else {
                p.streams[msid] = e;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- session lifecycle

    async _connect(phase) {
        this._setState(phase);
        const session = {
            seq: ++this._sessionSeq, ws: null, pc: null, pending: new Map(), joined: false,
            chain: Promise.resolve(), ownOfferPending: false, ownOfferSeq: 0, serverOfferIgnored: false,
            trackToMsid: new Map(), failTimer: null,
            offerFailures: 0,          // consecutive server offers that could not be applied
            repair: null,              // the outstanding `renegotiate` request, if any
            mediaTimer: null, inbound: { packets: -1, changedAt: 0 },
            videoSizeIds: new Set(), videoSizeOff: false, // our `videoSize` messages; the server refused them
        };
        this._session = session;
        const { appkey } = this.options;
        const token = this.options.tokenProvider
            ? await this.options.tokenProvider({ appkey, room: this.room, user: this.user })
            : await fetchToken({ appkey, room: this.room, user: this.user });
        this._checkLive(session);
        await this._openSocket(session);
        this._createPeerConnection(session);
        const pc = session.pc;
        const tracks = this.localStream ? this.localStream.getTracks() : [];
        this._applyLocalTrackState(); // a track muted from the start (an in-room device's microphone) never sends
        for (const track of tracks) {
            const init = { direction: 'sendonly', streams: [this.localStream] };
            const layers = track.kind === 'video' ? cameraEncodings(track, this.options.bitrate) : null;
            if (layers) init.sendEncodings = layers;
            pc.addTransceiver(track, init);
        }
        if (!tracks.length) {
            // Receive only. With max-bundle Chrome refuses an offer without any m-section, so offer one
            // recvonly audio and one recvonly video placeholder (the server answers them inactive; remote
            // tracks come later in the server's own sendonly m-sections).
            pc.addTransceiver('audio', { direction: 'recvonly' });
            pc.addTransceiver('video', { direction: 'recvonly' });
        }
        const peerAttributes = Object.keys(this.peerAttributes).length ? { attributes: this.peerAttributes } : {};
        const joined = await this._negotiate(session, 'join', sdp => ({
            // answersOffers: this client answers every server offer, so the server need not treat it as RTCEngine's
            // original SDKs (which never did): no held first offer, no offer taken as applied after 2 s.
            appkey, room: this.room, user: this.user, token, planb: false, answersOffers: true, sdp, ...peerAttributes,
            ...(this.events.length ? { events: this.events } : {}), ...(this.pin ? { pin: this.pin } : {}),
        }), 'joined');
        this._checkLive(session);
        session.joined = true;
        this._attempt = 0;
        session.mediaTimer = setInterval(() => this._checkMedia(session), 2500);
        this._setState(State.JOINED);
        this._emit('joined', { room: joined.room || null });
        this._resendReceivingChoices();
        this._resendVideoSizes();
        if (this.localStream && this.localStream.getTracks().length) {
            try {
                await this._negotiate(session, 'addStream', sdp => ({ stream: this._streamMeta(), sdp }), 'answer');
            } catch (e) {
                // Joined but not published: a lost connection is the socket-loss path's business; anything else
                // is reported and the session goes on receive-only.
                if (this._session === session) {
                    this._emit('error', { code: e.code || 'publish-failed', message: 'Your camera and microphone could not be sent: ' + e.message, request: 'addStream' });
                }
                return;
            }
            session.streamSent = true;
            this._applyLocalTrackState();
            this._sendLocalConfigure(this._ownMutes());
        }
        // Our screen shares go up again on a fresh session.
        for (const entry of [...this.extraStreams.values()]) {
            if (this._session !== session) return;
            try {
                await this._publishExtra(session, entry);
            } catch (e) {
                if (this._session === session) {
                    this._emit('error', { code: e.code || 'publish-failed', message: 'Your screen share could not be sent: ' + e.message, request: 'addStream' });
                }
            }
        }
    }

    _openSocket(session) {
        return new Promise((resolve, reject) => {
            const WS = this.options.WebSocket;
            let ws;
            try {
                ws = new WS(this.options.url || defaultSocketUrl());
            } catch (e) {
                reject(new RoomError('server-unreachable', 'Cannot open the connection to the server.', 'join'));
                return;
            }
            session.ws = ws;
            let opened = false;
            ws.onopen = () => { opened = true; this._emitConnection(); resolve(); };
            ws.onmessage = ev => {
                if (this._session !== session) return;
                let msg;
                try { msg = JSON.parse(ev.data); } catch (e) { this.options.log('unparseable frame', ev.data); return; }
                if (!msg || typeof msg.type !== 'string') return;
                try {
                    this._dispatch(session, msg);
                } catch (e) {
                    this.options.log('handler failed', msg.type, e);
                }
            };
            ws.onclose = ev => {
                if (!opened) reject(new RoomError('server-unreachable', 'The connection to the server could not be opened.', 'join'));
                if (this._session === session) this._onSocketLost(session, ev);
            };
            ws.onerror = () => { /* always followed by close */ };
        });
    }

    _createPeerConnection(session) {
        const pc = new RTCPeerConnection({
            iceServers: this.options.iceServers,
            bundlePolicy: 'max-bundle',
            rtcpMuxPolicy: 'require',
        });
        session.pc = pc;
        const live = () => this._session === session;
        pc.ontrack = ev => { if (live()) this._onTrack(session, ev); };
        pc.onsignalingstatechange = () => { if (live()) this._emitConnection(); };
        pc.oniceconnectionstatechange = () => { if (live()) this._emitConnection(); };
        pc.onconnectionstatechange = () => {
            if (!live()) return;
            this._emitConnection();
            clearTimeout(session.failTimer);
            // 'failed' does not recover by itself; a fresh session (new ICE, new DTLS) does.
            if (pc.connectionState === 'failed' && this.state === State.JOINED) {
                session.failTimer = setTimeout(() => {
                    if (live() && pc.connectionState === 'failed') {
                        this._emit('error', { code: 'media-failed', message: 'The media connection failed; reconnecting.', request: null });
                        this._send('leave', {});
                        this._onSocketLost(session, null);
                    }
                }, 2000);
            }
        };
    }

    _onSocketLost(session, closeEvent) {
        if (this._session !== session) return;
        this._teardown();
        // Before joined, the attempt in progress fails through its own promise (join() or the reconnect timer).
        if (!session.joined || this.state === State.LEFT) return;
        const final = closeEvent && FINAL_CLOSES[closeEvent.code];
        if (final) {
            // Kicked or replaced, and the `leave` saying so did not arrive: still never fight for the seat.
            this._finish(final, closeEvent.reason || '');
            return;
        }
        if (this.options.reconnect) {
            this._scheduleReconnect();
        } else {
            this._finish('connection-lost', 'The connection to the server was lost' +
                (closeEvent && closeEvent.reason ? ': ' + closeEvent.reason : '.'));
        }
    }

    _scheduleReconnect(reason = 'connection-lost') {
        this._attempt++;
        const base = Math.min(15000, 500 * 2 ** Math.min(this._attempt, 5));
        const delayMs = Math.round(base * (0.75 + Math.random() * 0.5));
        this._setState(State.RECONNECTING, reason);
        this._emit('reconnecting', { attempt: this._attempt, delayMs, reason });
        clearTimeout(this._reconnectTimer);
        this._reconnectTimer = setTimeout(() => {
            if (this.state !== State.RECONNECTING) return;
            this._connect(State.RECONNECTING).catch(e => {
                this.options.log('reconnect failed', e);
                if (this.state !== State.RECONNECTING) return;
                if (e instanceof RoomError && (e.code === 'token-refused' || e.request === 'join' && e.code !== 'server-unreachable'
                    && e.code !== 'connection-lost' && e.code !== 'timeout')) {
                    // The server answered and said no: retrying will not help.
                    this._teardown();
                    this._finish(e.code, e.message);
                    return;
                }
                this._teardown();
                this._scheduleReconnect();
            });
        }, delayMs);
    }

    /** Ends the session for good with a reason (user, kicked, shutdown, replaced, ...). */
    _finish(reason, message) {
        clearTimeout(this._reconnectTimer);
        this._teardown();
        for (const timer of this._videoSizeTimers.values()) clearTimeout(timer);
        this._videoSizeTimers.clear();
        this._videoWishes.clear();
        this._setState(State.LEFT, reason);
        this._emit('left', { reason, message });
    }

    /** Closes the socket and the peer connection and forgets every remote peer and stream (with events). */
    _teardown() {
        const s = this._session;
        this._session = null;
        if (s) {
            clearTimeout(s.failTimer);
            clearInterval(s.mediaTimer);
            this._failPending(s, new RoomError('connection-lost', 'The connection to the server was lost.', null));
            if (s.ws) {
                s.ws.onopen = s.ws.onmessage = s.ws.onclose = s.ws.onerror = null;
                try { s.ws.close(1000); } catch (e) { /* already closed */ }
            }
            if (s.pc) {
                s.pc.ontrack = s.pc.onsignalingstatechange = s.pc.oniceconnectionstatechange = s.pc.onconnectionstatechange = null;
                s.pc.close();
            }
        }
        for (const stream of [...this.streams.values()]) this._removeStream(stream.msid, this.state !== State.LEFT);
        for (const peer of [...this.peers.values()]) {
            this.peers.delete(peer.id);
            this._emit('peerleft', { peer, disconnected: true });
        }
        this.published = false;
        this._emitConnection();
    }

    _checkLive(session) {
        if (this._session !== session) throw new RoomError('connection-lost', 'The connection to the server was lost.', null);
    }

    // ---------------------------------------------------------------- requests and negotiation

    _send(type, data, id) {
        const s = this._session;
        if (!s || !s.ws || s.ws.readyState !== 1) return false;
        const msg = { type, data };
        msg.id = id || 'c' + (++this._requestSeq);
        s.ws.send(JSON.stringify(msg));
        return true;
    }

    _request(session, type, data, expect, { offer = false } = {}) {
        return new Promise((resolve, reject) => {
            const id = 'c' + (++this._requestSeq);
            const timer = setTimeout(() => {
                session.pending.delete(id);
                if (offer) session.ownOfferPending = false;
                reject(new RoomError('timeout', `The server did not answer "${type}" in time.`, type));
            }, this.options.requestTimeoutMs);
            session.pending.set(id, { type, expect, offer, resolve, reject, timer });
            if (!this._send(type, data, id)) {
                clearTimeout(timer);
                session.pending.delete(id);
                if (offer) session.ownOfferPending = false;
                reject(new RoomError('connection-lost', 'Not connected to the server.', type));
            }
        });
    }

    _failPending(session, error) {
        for (const p of session.pending.values()) {
            clearTimeout(p.timer);
            p.reject(error);
        }
        session.pending.clear();
        session.ownOfferPending = false;
    }

    /** Runs negotiation steps one at a time: our offers and the server's offers never interleave. */
    _serial(session, fn) {
        const run = session.chain.then(fn);
        session.chain = run.catch(() => {});
        return run;
    }

    /**
     * Our offer/answer round: createOffer → setLocalDescription → `type` request (data built around the sdp)
     * → the reply's sdp as the answer. While our offer is outstanding the server's offers are ignored (glare:
     * the server is the polite side and offers again after answering us).
     */
    _negotiate(session, type, buildData, expect, prepare = null) {
        return this._serial(session, async () => {
            this._checkLive(session);
            const pc = session.pc;
            if (prepare) prepare(pc); // track changes happen here, never while a server offer is being applied
            session.ownOfferPending = true;
            session.ownOfferSeq++;
            session.serverOfferIgnored = false;
            let sent = false;
            try {
                const offer = await pc.createOffer();
                this._checkLive(session);
                await pc.setLocalDescription(offer);
                this._checkLive(session);
                sent = true;
                const reply = await this._request(session, type, buildData(pc.localDescription.sdp), expect, { offer: true });
                this._checkLive(session);
                if (!reply || typeof reply.sdp !== 'string') throw new RoomError('bad-reply', `The server's reply to "${type}" had no SDP.`, type);
                await pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
                this._capVideoBitrate(pc); // the answer decides whether simulcast is on
                this._emitConnection();
                return reply;
            } catch (e) {
                session.ownOfferPending = false;
                if (this._session === session && pc.signalingState === 'have-local-offer') {
                    await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
                }
                if (!sent && session.serverOfferIgnored && this._session === session) {
                    // We ignored a server offer for an offer we never sent: ask the server to offer again.
                    this._negotiate(session, 'offer', sdp => ({ sdp }), 'answer').catch(err => this.options.log('renegotiation failed', err));
                }
                throw e;
            }
        });
    }

    _onServerOffer(session, data) {
        if (typeof data.sdp !== 'string') return;
        if (session.ownOfferPending) {
            session.serverOfferIgnored = true;
            this.options.log('glare: ignoring the server offer while ours is outstanding');
            return;
        }
        const seenOwnOffers = session.ownOfferSeq;
        this._serial(session, async () => {
            // An offer of ours went out after this one arrived: the server has dropped this one.
            if (session.ownOfferSeq !== seenOwnOffers || this._session !== session) return;
            const pc = session.pc;
            const repair = session.repair;
            if (repair) repair.offerArrived();
            try {
                await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
                const answer = await pc.createAnswer();
                await pc.setLocalDescription(answer);
            } catch (e) {
                if (this._session !== session) return; // closed meanwhile: not the offer's fault
                await this._rollback(pc);
                this._onOfferFailed(session, e);
                return;
            }
            this._checkLive(session);
            this._send('answer', { sdp: pc.localDescription.sdp });
            session.offerFailures = 0;
            if (repair && session.repair === repair) {
                session.repair = null;
                repair.finish('offer');
            }
            this._emitConnection();
        }).catch(e => this.options.log('server offer step failed', e));
    }

    /** Back to `stable` after a half-applied server offer, so that the next offer can be applied. */
    async _rollback(pc) {
        if (pc.signalingState !== 'have-remote-offer') return;
        try {
            await pc.setRemoteDescription({ type: 'rollback' });
        } catch (e) {
            this.options.log('rollback failed', e);
        }
    }

    /**
     * A server offer could not be applied. The first time we ask the server for a fresh complete offer
     * (`renegotiate`); if that one fails too, or does not come, a fresh session (new peer connection, same user,
     * so it takes its own seat back) is the reliable way out.
     */
    _onOfferFailed(session, e) {
        const message = String((e && e.message) || e || 'unknown error').slice(0, MAX_REPORT_CHARS);
        this.negotiationFailures++;
        session.offerFailures++;
        const stale = session.repair;
        if (stale && stale.arrived) {
            // The fresh offer we asked for is the one that failed.
            session.repair = null;
            stale.finish(false);
        }
        const restart = session.offerFailures >= 2;
        this.options.log('could not apply the server offer', message);
        this._emit('negotiationfailed', { message, count: this.negotiationFailures, action: restart ? 'restart' : 'renegotiate' });
        if (restart) this._restartSession(session);
        else this._askForOffer(session, 'offer-failed', message, true);
    }

    /**
     * Sends `renegotiate` {reason, message} and resolves true once the next server offer is applied, false when
     * none comes in time or the server refuses. `critical`: our media is known to be out of step with the server,
     * so no fresh offer means a session restart. One request at a time; a later critical need upgrades it.
     */
    _askForOffer(session, reason, message, critical, msid = null) {
        const current = session.repair;
        if (current) {
            current.critical = current.critical || critical;
            return current.promise;
        }
        const r = { critical, arrived: false };
        r.promise = new Promise(resolve => { r.finish = resolve; });
        session.repair = r;
        const id = 'c' + (++this._requestSeq);
        let timer = null;
        const giveUp = why => {
            clearTimeout(timer);
            session.pending.delete(id);
            if (session.repair !== r) return;
            session.repair = null;
            r.finish(false);
            this.options.log('no fresh offer:', why);
            if (r.critical && this._session === session) this._restartSession(session);
        };
        timer = setTimeout(() => giveUp('none came in time'), this.options.renegotiateTimeoutMs);
        // The server's reply is its offer (no id echo); only a refusal (`error`) comes back on this id.
        session.pending.set(id, {
            type: 'renegotiate', expect: null, offer: false, timer,
            // A reply instead of an offer: the server saw that a fresh offer would not help (see requestServerOffer).
            resolve: reply => {
                clearTimeout(timer);
                if (session.repair !== r) return;
                session.repair = null;
                this.options.log(`renegotiate: ${reply.action}${reply.detail ? ' (' + reply.detail + ')' : ''}`);
                r.finish(reply.action === 'keyframe' || reply.action === 'wait' ? reply.action : false);
            },
            reject: err => giveUp(err.message),
        });
        r.offerArrived = () => {
            r.arrived = true;
            clearTimeout(timer);
            session.pending.delete(id);
        };
        const data = { reason, message: String(message || '').slice(0, MAX_REPORT_CHARS) };
        if (msid) data.msid = msid;
        if (!this._send('renegotiate', data, id)) giveUp('not connected');
        return r.promise;
    }

    /**
     * The whole media path can die while signalling and ICE look fine (nothing forwarded to us, or a transport the
     * server lost): when nothing at all arrived for mediaSilenceMs while some remote media should flow, a fresh
     * session is the way out. "Nothing" counts RTCP too (the server's receiver reports to us as a publisher), so
     * one silent publisher elsewhere does not restart us. Tiles say what is missing meanwhile; this is the last
     * resort, not the first.
     */
    async _checkMedia(session) {
        if (this._session !== session || this.state !== State.JOINED || !session.pc) return;
        const inbound = session.inbound;
        const expected = [...this.streams.values()].some(s =>
            (s.audioTrack && s.receiving.audio && !s.operatorMuted.audio)
            || (s.videoTrack && s.receiving.video && !s.operatorMuted.video));
        if (!expected) {
            inbound.changedAt = 0;
            return;
        }
        let packets = 0;
        try {
            (await session.pc.getStats()).forEach(r => {
                if (r.type === 'inbound-rtp') packets += r.packetsReceived || 0;
                else if (r.type === 'transport') packets += r.bytesReceived || 0;
            });
        } catch (e) {
            return;
        }
        if (this._session !== session) return;
        const now = Date.now();
        if (packets !== inbound.packets || !inbound.changedAt) {
            inbound.packets = packets;
            inbound.changedAt = now;
        } else if (now - inbound.changedAt >= this.options.mediaSilenceMs) {
            this.options.log(`no media packet received for ${now - inbound.changedAt} ms: restarting the session`);
            this._restartSession(session, 'media-stalled');
        }
    }

    /** A fresh session after failed negotiations or dead media: leave, new socket and peer connection, same seat. */
    _restartSession(session, reason = 'negotiation-failed') {
        if (this._session !== session || !session.joined || this.state !== State.JOINED) return;
        const now = Date.now();
        this._restartTimes = this._restartTimes.filter(t => now - t < 120000);
        this._restartTimes.push(now);
        this._send('leave', {});
        this._teardown();
        // Restarts that keep coming back off like a lost connection does.
        this._attempt = Math.max(this._attempt, this._restartTimes.length - 1);
        this._scheduleReconnect(reason);
    }

    // ---------------------------------------------------------------- incoming messages

    _dispatch(session, msg) {
        const data = msg.data && typeof msg.data === 'object' ? msg.data : {};
        // A server offer is never a reply, even if it carries an id (e.g. after `renegotiate`).
        let pending = msg.id != null && msg.type !== 'offer' ? session.pending.get(msg.id) : undefined;
        if (!pending && msg.id == null && (msg.type === 'joined' || msg.type === 'answer' || msg.type === 'error')) {
            // A server that does not echo ids: the oldest request waiting for this kind of reply.
            for (const [id, p] of session.pending) {
                if (p.expect === msg.type || (msg.type === 'error' && data.request === p.type)) { pending = p; msg.id = id; break; }
            }
        }
        if (msg.type === 'lobby') {
            // Our join waits at the locked room's door: no timeout while the operator decides.
            if (pending) clearTimeout(pending.timer);
            this._emit('lobby', { room: data.room || this.room, message: data.message || '' });
            return;
        }
        if (msg.type === 'error' && !pending && (data.request === 'videoSize' || session.videoSizeIds.has(msg.id))) {
            // An extension the server may not know: no error for the page, just stop asking (see setVideoSize).
            this._onVideoSizeRefused(session, data);
            return;
        }
        if (data.room && typeof data.room === 'object') this._applyRoom(data.room, msg.type === 'joined');
        if (pending) {
            session.pending.delete(msg.id);
            clearTimeout(pending.timer);
            if (pending.offer) session.ownOfferPending = false;
            if (msg.type === 'error') {
                pending.reject(new RoomError(data.code || 'error', data.message || 'The server refused the request.', data.request || pending.type));
                return;
            }
            pending.resolve(data);
            return;
        }
        switch (msg.type) {
            case 'offer': this._onServerOffer(session, data); break;
            case 'peerConnected': this._onPeerConnected(data.peer); break;
            case 'peerRemoved': this._onPeerRemoved(data.peer); break;
            case 'streamAdded':
                this.published = true;
                this._emit('published', { msid: data.msid });
                break;
            case 'configure': this._onConfigure(data); break;
            case 'message': this._emit('message', { from: data.from, data: data.data }); break;
            case 'speaker':
                this._emit('speaker', {
                    peer: data.peer == null ? null : String(data.peer), msid: data.msid == null ? null : String(data.msid),
                    changed: data.changed === true, levels: Array.isArray(data.levels) ? data.levels : [],
                });
                break;
            case 'stopStream': this._onStopStream(session, data); break;
            case 'error':
                this._emit('error', { code: data.code || 'error', message: data.message || 'The server reported an error.', request: data.request || null });
                break;
            case 'leave': {
                const reason = data.reason || 'closed';
                if (RECOVERABLE_LEAVES.has(reason) && this.options.reconnect && session.joined) {
                    // Media trouble or a server restart: a fresh session (after the server is back) fixes it.
                    this._emit('error', { code: reason, message: (data.message || 'The connection was lost') + ' Reconnecting…', request: null });
                    this._teardown();
                    this._scheduleReconnect(reason);
                } else {
                    this._finish(reason, data.message || '');
                }
                break;
            }
            case 'answer': case 'joined': break; // a late reply to a request that timed out
            default: this.options.log('unknown message', msg.type);
        }
    }

    /** room_meta is the truth about who is here and what they publish. */
    _applyRoom(room, initial = false) {
        if (!Array.isArray(room.peers)) return;
        const seen = new Set();
        const seenStreams = new Set();
        for (const peer of room.peers) {
            if (!peer || typeof peer.id !== 'string' || peer.id === this.user) continue;
            seen.add(peer.id);
            this._upsertPeer(peer, initial);
            for (const s of peer.streams || []) if (s) seenStreams.add(s.id);
        }
        for (const id of [...this.peers.keys()]) if (!seen.has(id)) this._onPeerRemoved(this.peers.get(id));
        for (const msid of [...this.streams.keys()]) if (!seenStreams.has(msid)) this._removeStream(msid);
    }

    _upsertPeer(peer, initial = false) {
        const before = this.peers.get(peer.id);
        const attributes = peer.attributes && typeof peer.attributes === 'object' ? peer.attributes : null;
        const meta = { id: peer.id, streams: Array.isArray(peer.streams) ? peer.streams : [], attributes };
        this.peers.set(peer.id, meta);
        if (!before) this._emit('peerjoined', { peer: meta, initial });
        else if (JSON.stringify(before.attributes) !== JSON.stringify(attributes)) this._emit('peerupdated', { peer: meta });
        for (const s of meta.streams) {
            if (!s || typeof s.id !== 'string') continue;
            const existing = this.streams.get(s.id);
            if (existing) {
                const changed = existing.peerId !== peer.id || JSON.stringify(existing.attributes) !== JSON.stringify(s.attributes || {});
                existing.peerId = peer.id;
                existing.attributes = s.attributes || {};
                existing.bitrate = s.bitrate;
                if (changed) this._emit('streamupdated', { stream: existing });
            } else {
                this._addStream(s.id, peer.id, s.attributes || {}, s.bitrate);
            }
        }
        // Streams this peer no longer lists.
        const ids = new Set(meta.streams.map(s => s && s.id));
        for (const s of [...this.streams.values()]) if (s.peerId === peer.id && !ids.has(s.msid)) this._removeStream(s.msid);
    }

    _onPeerConnected(peer) {
        if (!peer || typeof peer.id !== 'string' || peer.id === this.user) return;
        this._upsertPeer(peer);
        // The server does not tell newcomers who is muted: say it again (only what we muted ourselves).
        this._sendLocalConfigure(this._ownMutes());
    }

    _onPeerRemoved(peer) {
        if (!peer || typeof peer.id !== 'string') return;
        for (const s of [...this.streams.values()]) if (s.peerId === peer.id) this._removeStream(s.msid);
        const meta = this.peers.get(peer.id);
        if (meta) {
            this.peers.delete(peer.id);
            this._emit('peerleft', { peer: meta, disconnected: false });
        }
    }

    _addStream(msid, peerId, attributes, bitrate) {
        const choice = this._receivingChoices.get(msid);
        const s = {
            msid, peerId, attributes, bitrate, mediaStream: null, audioTrack: null, videoTrack: null,
            muted: { audio: false, video: false }, operatorMuted: { audio: false, video: false },
            receiving: choice ? { ...choice } : { audio: true, video: true },
        };
        this.streams.set(msid, s);
        if (this._videoWishes.has(msid)) this._scheduleVideoSize(msid); // wished for before a rejoin
        this._emit('streamadded', { stream: s });
        return s;
    }

    _sendReceiving(s) {
        return this._send('configure', {
            id: s.peerId, msid: s.msid, local: false, remote: true, video: s.receiving.video, audio: s.receiving.audio,
        });
    }

    /** After a rejoin the server has forgotten what we chose not to receive: say it again. */
    _resendReceivingChoices() {
        for (const s of this.streams.values()) {
            if (this._receivingChoices.has(s.msid) && s.peerId) this._sendReceiving(s);
        }
    }

    /** `keepWish`: the stream goes with our session only (teardown); its videoSize wish is sent again after a rejoin. */
    _removeStream(msid, keepWish = false) {
        const s = this.streams.get(msid);
        if (!s) return;
        this.streams.delete(msid);
        if (!keepWish) {
            this._videoWishes.delete(msid);
            clearTimeout(this._videoSizeTimers.get(msid));
            this._videoSizeTimers.delete(msid);
            delete this.videoSizes[msid];
        }
        this._emit('streamremoved', { stream: s });
    }

    _onTrack(session, ev) {
        const mediaStream = ev.streams && ev.streams[0];
        if (!mediaStream) {
            this.options.log('remote track without a stream id (no a=msid); ignored', ev.track.id);
            return;
        }
        const msid = mediaStream.id;
        session.trackToMsid.set(ev.track.id, msid);
        let s = this.streams.get(msid);
        if (!s) {
            // Media before metadata: keep it; the owner is filled in when room_meta names the stream.
            let owner = null;
            for (const p of this.peers.values()) if (p.streams.some(x => x && x.id === msid)) owner = p.id;
            s = this._addStream(msid, owner, {}, undefined);
        }
        s.mediaStream = mediaStream;
        const track = ev.track;
        if (track.kind === 'audio') { s.audioTrack = track; track.enabled = s.receiving.audio; }
        if (track.kind === 'video') s.videoTrack = track;
        const update = () => { if (this.streams.get(msid) === s) this._emit('streamupdated', { stream: s }); };
        track.addEventListener('mute', update);
        track.addEventListener('unmute', update);
        track.addEventListener('ended', () => {
            if (s.audioTrack === track) s.audioTrack = null;
            if (s.videoTrack === track) s.videoTrack = null;
            update();
        });
        if (!mediaStream.__roomdeckWatched) {
            mediaStream.__roomdeckWatched = true;
            mediaStream.addEventListener('removetrack', e => {
                const cur = this.streams.get(msid);
                if (!cur) return;
                if (cur.audioTrack === e.track) cur.audioTrack = null;
                if (cur.videoTrack === e.track) cur.videoTrack = null;
                this._emit('streamupdated', { stream: cur });
            });
        }
        update();
    }

    /** The operator stopped one of our streams: an extra one ends here (removeStream); the app is told either way. */
    _onStopStream(session, data) {
        const msid = typeof data.msid === 'string' ? data.msid : '';
        const entry = this.extraStreams.get(msid);
        if (entry) {
            for (const t of entry.stream.getTracks()) t.stop();
            this.removeExtraStream(msid).catch(e => this.options.log('removeStream after stopStream failed', e));
        }
        this._emit('stopstream', { msid, by: data.by || 'operator', message: data.message || '', extra: !!entry });
    }

    _onConfigure(data) {
        if (data.remote === true && data.local !== true) return; // someone's receive choice: not ours to show
        const byOperator = data.by === 'operator';
        if (typeof data.msid === 'string' && this.extraStreams.has(data.msid)) return; // our screen share: not the camera
        if (data.id === this.user || (this.localStream && data.msid === this.localStream.id)) {
            if (!byOperator) return; // our own state, echoed
            if (typeof data.audio === 'boolean') this.localMute.operator.audio = !data.audio;
            if (typeof data.video === 'boolean') this.localMute.operator.video = !data.video;
            this._applyLocalTrackState();
            this._emit('localmute', this._localMuteDetail());
            return;
        }
        const s = this.streams.get(data.msid);
        if (!s) return;
        const target = byOperator ? s.operatorMuted : s.muted;
        if (typeof data.audio === 'boolean') target.audio = !data.audio;
        if (typeof data.video === 'boolean') target.video = !data.video;
        this._emit('streamupdated', { stream: s });
    }

    // ---------------------------------------------------------------- our own stream

    _streamMeta() {
        return {
            id: this.user, msid: this.localStream.id, local: true,
            bitrate: Math.round(this.options.bitrate), attributes: this.attributes,
        };
    }

    /** {audio: true} / {video: true} for each kind we muted ourselves. */
    _ownMutes() {
        const m = {};
        if (this.localMute.audio) m.audio = true;
        if (this.localMute.video) m.video = true;
        return m;
    }

    _localMuteDetail() {
        return {
            audio: this.localMute.audio, video: this.localMute.video,
            operator: { ...this.localMute.operator },
        };
    }

    _applyLocalTrackState() {
        if (!this.localStream) return;
        const m = this.localMute;
        for (const t of this.localStream.getAudioTracks()) t.enabled = !(m.audio || m.operator.audio);
        for (const t of this.localStream.getVideoTracks()) t.enabled = !(m.video || m.operator.video);
    }

    /** configure(local) for the kinds in `muted` ({audio?: bool, video?: bool}, true = muted); absent = unchanged. */
    _sendLocalConfigure(muted) {
        const session = this._session;
        if (!this.localStream || !session || !session.streamSent) return false; // the server knows no stream yet
        const data = { id: this.user, msid: this.localStream.id, local: true, remote: false };
        if (typeof muted.audio === 'boolean') data.audio = !muted.audio;
        if (typeof muted.video === 'boolean') data.video = !muted.video;
        if (!('audio' in data) && !('video' in data)) return false;
        return this._send('configure', data);
    }

    /**
     * Caps our camera's video sender at options.bitrate. Simulcast layers have their rates from cameraEncodings
     * already. A server that declines simulcast (no a=simulcast in its answer) leaves the browser only the first
     * encoding, which is the lowest layer (a quarter of the size): it becomes the full picture at the whole cap.
     */
    _capVideoBitrate(pc) {
        const own = new Set(this.localStream ? this.localStream.getTracks().map(t => t.id) : []);
        const cap = Math.round(this.options.bitrate * 1000);
        for (const sender of pc.getSenders()) {
            if (!sender.track || sender.track.kind !== 'video' || !own.has(sender.track.id)) continue;
            try {
                const params = sender.getParameters();
                if (!params.encodings || params.encodings.length !== 1) continue;
                const enc = params.encodings[0];
                const scaled = enc.scaleResolutionDownBy != null && enc.scaleResolutionDownBy !== 1;
                if (enc.maxBitrate === cap && !scaled) continue;
                enc.maxBitrate = cap;
                if (scaled) enc.scaleResolutionDownBy = 1;
                sender.setParameters(params).catch(e => this.options.log('bitrate cap refused', e));
            } catch (e) {
                this.options.log('bitrate cap failed', e);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    _rate(id, bytes, timestamp) {
        if (bytes == null || timestamp == null) return 0;
        const prev = this._statsPrev.get(id);
        if (!prev || timestamp - prev.timestamp >= 900 || bytes < prev.bytes) {
            if (prev && bytes >= prev.bytes && timestamp > prev.timestamp) {
                this._statsRate.set(id, Math.round(((bytes - prev.bytes) * 8) / (timestamp - prev.timestamp)));
            }
            this._statsPrev.set(id, { bytes, timestamp });
        }
        return this._statsRate.get(id) || 0;
    }

    _setState(state, reason) {
        if (this.state === state) return;
        const previous = this.state;
        this.state = state;
        this._emit('statechange', { state, previous, reason: reason || null });
        this._emitConnection();
    }

    _emitConnection() {
        this._emit('connection', this.connectionState);
    }

    _emit(type, detail) {
        this.dispatchEvent(new CustomEvent(type, { detail }));
    }
}
