// RoomDeck web page: the join form, the call view and their wiring to RoomClient (rtcengine.js).
import { RoomClient, State, openLocalMedia } from './rtcengine.js';

// ------------------------------------------------------------------ icons (inline, no external assets)

const ICONS = {
    mic: '<path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z"/><path d="M19 10v2a7 7 0 0 1-14 0v-2"/><path d="M12 19v3"/>',
    micOff: '<path d="M9 9v3a3 3 0 0 0 5.1 2.1M15 9.3V6a3 3 0 0 0-5.7-1.3"/><path d="M17.7 15.7A7 7 0 0 1 5 12v-2M19 10v2c0 .8-.1 1.5-.4 2.2"/><path d="M12 19v3"/><path d="M3 3l18 18"/>',
    cam: '<rect x="2.5" y="6" width="13" height="12" rx="2.5"/><path d="M15.5 10.5l6-3.5v10l-6-3.5z"/>',
    camOff: '<path d="M15.5 13v-4.5a2.5 2.5 0 0 0-2.5-2.5H9M5 6A2.5 2.5 0 0 0 2.5 8.5v7A2.5 2.5 0 0 0 5 18h8a2.5 2.5 0 0 0 2.1-1.1"/><path d="M15.5 10.5l6-3.5v10l-4-2.3"/><path d="M3 3l18 18"/>',
    chat: '<path d="M20.5 12a8.5 8.5 0 0 1-12.3 7.6L3.5 21l1.4-4.5A8.5 8.5 0 1 1 20.5 12z"/>',
    leave: '<path d="M2.5 14.5c5.3-5 13.7-5 19 0l-2.4 2.6-3.6-1.7v-2.8a11.5 11.5 0 0 0-7 0v2.8l-3.6 1.7z"/>',
    link: '<path d="M10 14a4 4 0 0 0 5.7 0l3.5-3.5a4 4 0 0 0-5.7-5.7L12 6.3"/><path d="M14 10a4 4 0 0 0-5.7 0l-3.5 3.5a4 4 0 0 0 5.7 5.7l1.5-1.5"/>',
    shield: '<path d="M12 3l7.5 3v5.5c0 4.4-3.2 8.3-7.5 9.5-4.3-1.2-7.5-5.1-7.5-9.5V6z"/>',
    send: '<path d="M4 12l16.5-8-5.5 16.5-2.5-6.5z"/><path d="M12.5 14l8-10"/>',
    close: '<path d="M6 6l12 12M18 6L6 18"/>',
    speaker: '<path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z"/><path d="M15.5 9a4.5 4.5 0 0 1 0 6M18 6.5a8 8 0 0 1 0 11"/>',
    speakerOff: '<path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z"/><path d="M16 9.5l5 5M21 9.5l-5 5"/>',
    eye: '<path d="M2 12s3.6-6.5 10-6.5S22 12 22 12s-3.6 6.5-10 6.5S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>',
    screen: '<rect x="2.5" y="4" width="19" height="13" rx="2"/><path d="M8 21h8M12 17v4"/><path d="M12 13.5V7.5M9.3 10L12 7.3l2.7 2.7"/>',
    screenOff: '<rect x="2.5" y="4" width="19" height="13" rx="2"/><path d="M8 21h8M12 17v4"/><path d="M9.5 8l5 5M14.5 8l-5 5"/>',
    room: '<path d="M3 20V6.5L12 3l9 3.5V20"/><path d="M8 20v-6h8v6"/><path d="M7 9.5h10"/>',
    enlarge: '<path d="M14 4h6v6M10 20H4v-6M20 4l-6.5 6.5M4 20l6.5-6.5"/>',
    shrink: '<path d="M20 10h-6V4M4 14h6v6M14 10l6.5-6.5M10 14l-6.5 6.5"/>',
    eyeOff: '<path d="M10.6 5.6A10 10 0 0 1 12 5.5c6.4 0 10 6.5 10 6.5a17 17 0 0 1-2.6 3.4M6.6 6.6A16.6 16.6 0 0 0 2 12s3.6 6.5 10 6.5a9.6 9.6 0 0 0 5.4-1.6"/><path d="M9.9 9.9a3 3 0 0 0 4.2 4.2"/><path d="M3 3l18 18"/>',
};

function icon(name) {
    return `<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${ICONS[name]}</svg>`;
}

const $ = id => document.getElementById(id);

function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
}

function initials(name) {
    const parts = String(name || '?').trim().split(/[\s._-]+/).filter(Boolean);
    const first = [...(parts[0] || '?')][0];
    const last = parts.length > 1 ? [...parts[parts.length - 1]][0] : '';
    return (first + last).toUpperCase();
}

// A stable, pleasant colour per name for avatars.
function hue(name) {
    let h = 0;
    for (const c of String(name)) h = (h * 31 + c.codePointAt(0)) % 360;
    return h;
}

function formatKbps(kbps) {
    if (!kbps) return '0 kbps';
    return kbps >= 1000 ? (kbps / 1000).toFixed(1) + ' Mbps' : Math.round(kbps) + ' kbps';
}

// ------------------------------------------------------------------ toasts and banner

function toast(text, kind = 'info', ms = 5000) {
    const t = el('div', 'toast ' + kind, text);
    t.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    $('toasts').append(t);
    requestAnimationFrame(() => t.classList.add('show'));
    const close = () => { t.classList.remove('show'); setTimeout(() => t.remove(), 300); };
    t.addEventListener('click', close);
    setTimeout(close, ms);
    while ($('toasts').children.length > 4) $('toasts').firstElementChild.remove();
}

const banner = {
    current: null,
    show(key, text, actionLabel, action) {
        this.current = key;
        $('banner-text').textContent = text;
        const b = $('banner-action');
        b.hidden = !actionLabel;
        b.textContent = actionLabel || '';
        b.onclick = action || null;
        $('banner').hidden = false;
        $('banner').dataset.kind = key;
    },
    hide(key) {
        if (key && this.current !== key) return;
        this.current = null;
        $('banner').hidden = true;
    },
};

// ------------------------------------------------------------------ tiles
//
// DOM contract of the call view. Browser tests (the meeting test among them) assert it: keep it exact.
//
//   Every tile is a `.tile` element in #grid with
//     data-peer-id  the participant's user id (the `user` it joined with; ours is window.roomdeck.user)
//     data-msid     the stream's msid; '' for a participant who publishes nothing (a viewer)
//     data-name     the display name: the peer attributes' name, else its stream attributes' name, else the id
//     data-state    one of
//       connecting  no media yet, for up to ~10 s after the stream appeared (or its video came back on)
//       live        video frames are advancing (presented or decoded: not the track's `muted` flag)
//       waiting     video is expected but its frames stopped (~4 s) or never came within ~10 s; the tile says
//                   "No video from <name> yet" and the page asks the server once for a fresh offer
//       camera-off  the sender's camera is off, by its owner or the operator (avatar, no spinner); also a video
//                   you paused for yourself, and a viewer (no camera or microphone at all)
//       audio-only  the stream has no video track
//     data-audio    `on`, or `muted` (muted by its owner or the operator, or no microphone)
//     data-video    `on` while the video picture is shown, `off` while the avatar is
//     data-kind     `camera`, or `screen` for a screen share (class `screen` too; several may be shared at once)
//     data-stage    `large` on the tile shown large (class `spotlight`): a pinned tile (double click, or its
//                   [data-action=pin] button; again = unpinned), else the most recent screen share, else (more than
//                   four people) the dominant speaker; '' otherwise
//     data-speaker  `true` on the dominant speaker's tile (server `speaker` messages); class `speaking` while the
//                   stream's level is above the speech threshold
//   Our own tile is `.tile.local`, with the same attributes for our own state (data-state from our preview).
//   Body: data-mode `display` (the room's TV: no controls) or `in-room` (a device in the meeting room).
//   Page-level: window.roomdeck.errors (errors the server reported to this page),
//   window.roomdeck.negotiationFailures (server offers this page could not apply; each one is repaired) and
//   window.roomdeck.videoSizes (the last `videoSize` sent per msid: {id, msid, width, height}; see wishVideoSize).

const GRACE_MS = 10000;  // media may take this long to start before a tile calls it missing
const STALL_MS = 4000;   // frames stopped this long: the tile says so (shorter gaps are load, not loss)

/** One tile: the local preview, one remote stream, or a participant who publishes nothing. */
class Tile {
    constructor({ peerId, msid, name, local }) {
        this.local = local;
        this.msid = msid || '';
        this.root = el('div', 'tile' + (local ? ' local' : ''));
        this.root.dataset.peerId = peerId || '';
        this.root.dataset.msid = this.msid;
        this.root.dataset.state = 'connecting';
        this.root.dataset.audio = 'on';
        this.root.dataset.video = 'off';
        this.video = el('video');
        this.video.playsInline = true;
        this.video.autoplay = true;
        // Never hear yourself; an in-room device plays no sound until asked (the room's own speakers carry it).
        if (local || app.soundOff) this.video.muted = true;
        this.kind = 'camera';
        this.sharedAt = 0;
        this.root.dataset.kind = 'camera';
        this.root.dataset.stage = '';
        for (const ev of ['loadeddata', 'playing', 'resize', 'emptied']) this.video.addEventListener(ev, () => this.update());
        this.avatar = el('div', 'avatar');
        this.avatarInner = el('span');
        this.avatar.append(this.avatarInner);
        this.status = el('div', 'status');
        this.status.hidden = true;
        this.statusText = el('span');
        this.status.append(el('span', 'spinner'), this.statusText);
        const bar = el('div', 'tile-bar');
        this.nameLabel = el('span', 'name');
        this.badges = el('span', 'badges');
        bar.append(this.nameLabel, this.badges);
        this.info = el('div', 'tile-info');
        this.root.append(this.video, this.avatar, this.status, bar, this.info);
        if (!local) {
            this.actions = el('div', 'tile-actions');
            this.videoToggle = el('button', 'tile-action');
            this.videoToggle.type = 'button';
            this.videoToggle.dataset.action = 'video';
            this.audioToggle = el('button', 'tile-action');
            this.audioToggle.type = 'button';
            this.audioToggle.dataset.action = 'audio';
            this.pinToggle = el('button', 'tile-action');
            this.pinToggle.type = 'button';
            this.pinToggle.dataset.action = 'pin';
            this.actions.append(this.videoToggle, this.audioToggle, this.pinToggle);
            this.root.append(this.actions);
        }
        this.model = null;
        this.state = 'connecting';
        this.removed = false;
        this.onStall = null;     // called once per expectation when video does not come (see update)
        this.retrying = false;   // a fresh offer was asked for because of this tile
        this.decoded = -1;       // framesDecoded (or framesEncoded for our own) at the last stats sample
        this.playbackFrames = -1;
        this.markExpecting();
        this.setName(name);
        this._watchFrames();
        this.box = null;         // the video's size on the page (CSS px), from the ResizeObserver
        this.inView = null;      // whether any of it is in the viewport, from the IntersectionObserver
        if (!local) watchTileSize(this);
    }

    setName(name) {
        name = String(name || '');
        if (this.name === name) return;
        this.name = name;
        this.root.dataset.name = name;
        this.nameLabel.textContent = this.kind === 'screen' ? `${name} is presenting` : this.local ? `${name} (you)` : name;
        this.avatarInner.textContent = initials(name);
        this.avatar.style.setProperty('--avatar-hue', hue(name));
        this.shown = null; // the status text names the person
        if (this.pinToggle) { const pinned = !!this.pinned; this.pinned = null; this.renderPin(pinned); } // its label names them
    }

    /** 'screen' for a screen share, else 'camera'. Returns true when it changed. */
    setKind(kind) {
        kind = kind === 'screen' ? 'screen' : 'camera';
        if (this.kind === kind) return false;
        this.kind = kind;
        this.sharedAt = kind === 'screen' ? performance.now() : 0;
        this.root.dataset.kind = kind;
        this.root.classList.toggle('screen', kind === 'screen');
        const name = this.name;
        this.name = null;
        this.setName(name);
        return true;
    }

    setDominant(on) {
        if (on) this.root.dataset.speaker = 'true';
        else delete this.root.dataset.speaker;
    }

    setPeer(peerId, msid) {
        this.root.dataset.peerId = peerId || '';
        this.msid = msid || '';
        this.root.dataset.msid = this.msid;
    }

    attach(mediaStream) {
        if (this.video.srcObject === mediaStream) return;
        this.video.srcObject = mediaStream;
        if (mediaStream) playWithSound(this.video);
    }

    /** From now on video is expected: the grace period starts again (stream appeared, camera back on, ...). */
    markExpecting() {
        this.expectSince = performance.now();
        this.lastFrameAt = 0;
        this.stallReported = false;
        this.retrying = false;
    }

    /** A frame was presented or decoded. */
    progress() {
        this.lastFrameAt = performance.now();
        if (this.state === 'connecting' || this.state === 'waiting') this.update();
    }

    /** framesDecoded of this stream from the page's stats (every second): frames that arrive even when not painted. */
    noteDecoded(frames) {
        if (this.decoded >= 0 && frames > this.decoded) this.progress();
        this.decoded = frames;
    }

    /** The server said to wait (or asked for a keyframe): report the stall again if the picture still does not come. */
    rearmStall() {
        if (this.removed) return;
        this.stallReported = false;
        this.update();
    }

    setRetrying(on) {
        this.retrying = on;
        this.update();
    }

    // Counts presented frames without polling; pages without requestVideoFrameCallback poll in update().
    _watchFrames() {
        const v = this.video;
        if (typeof v.requestVideoFrameCallback !== 'function') return;
        const onFrame = () => {
            if (this.removed) return;
            this.progress();
            v.requestVideoFrameCallback(onFrame);
        };
        v.requestVideoFrameCallback(onFrame);
    }

    _pollPlayback() {
        if (typeof this.video.requestVideoFrameCallback === 'function' || !this.video.getVideoPlaybackQuality) return;
        const n = this.video.getVideoPlaybackQuality().totalVideoFrames;
        if (this.playbackFrames >= 0 && n > this.playbackFrames) this.progress();
        this.playbackFrames = n;
    }

    /**
     * What is known about the stream, from the client's records (see localTileModel and remoteTileModel):
     * {viewer, tracksArrived, hasVideo, videoTrackId, cameraOff, audioOff, and badge flags}.
     */
    render(v) {
        const prev = this.model;
        this.model = v;
        // Video is expected afresh when a new video track arrives or the camera (or our own choice) turns it back on.
        if (prev && ((v.videoTrackId && v.videoTrackId !== prev.videoTrackId) || (prev.cameraOff && !v.cameraOff))) {
            this.markExpecting();
        }
        this._renderBadges(v);
        this.update();
        if (!this.local) wishVideoSize(this); // a video paused for us is not wanted at any size
    }

    /** The pin button: says whether this tile is pinned large, and what pressing it does. */
    renderPin(pinned) {
        if (!this.pinToggle || this.pinned === pinned) return;
        this.pinned = pinned;
        this.pinToggle.innerHTML = icon(pinned ? 'shrink' : 'enlarge');
        this.pinToggle.title = pinned ? 'Stop showing this large' : 'Show this large (or double-click the picture)';
        this.pinToggle.setAttribute('aria-label', pinned ? `Stop showing ${this.name} large` : `Show ${this.name} large`);
        this.pinToggle.setAttribute('aria-pressed', String(pinned));
    }

    _computeState(now) {
        const v = this.model;
        const since = now - this.expectSince;
        if (v.viewer) return since < GRACE_MS && !this.local ? 'connecting' : 'camera-off';
        if (!v.tracksArrived) {
            if (v.cameraOff) return 'camera-off';
            return since < GRACE_MS ? 'connecting' : 'waiting';
        }
        if (!v.hasVideo) return 'audio-only';
        if (v.cameraOff) return 'camera-off';
        if (this.lastFrameAt >= this.expectSince && this.lastFrameAt > 0) {
            return now - this.lastFrameAt < STALL_MS ? 'live' : 'waiting';
        }
        return since < GRACE_MS ? 'connecting' : 'waiting';
    }

    /** Recomputes the state (cheap; called on events and twice a second) and touches the DOM only on change. */
    update(now = performance.now()) {
        const v = this.model;
        if (!v || this.removed) return;
        this._pollPlayback();
        const state = this._computeState(now);
        this.state = state;
        const everFramed = this.lastFrameAt >= this.expectSince && this.lastFrameAt > 0;
        if (state === 'waiting' && !this.stallReported && this.onStall
            && now - Math.max(this.expectSince, this.lastFrameAt) >= GRACE_MS) {
            this.stallReported = true;
            this.onStall(this);
        }
        let status = '';
        if (state === 'connecting') {
            status = !v.tracksArrived && !this.local ? 'Connecting…' : (this.local ? 'Starting camera…' : 'Starting video…');
        } else if (state === 'waiting') {
            if (this.local) status = 'Your camera sends no picture';
            else if (!v.tracksArrived || !everFramed) status = `No video from ${this.name} yet`;
            else status = `Video from ${this.name} stopped`;
            if (this.retrying) status += ' — retrying';
        }
        // The picture stays up when frames stall (a frozen frame beats a flash of avatar); the avatar shows otherwise.
        const showVideo = state === 'live' || (state === 'waiting' && everFramed && v.hasVideo && !v.cameraOff)
            || (this.local && v.hasVideo && !v.cameraOff);
        const audio = v.audioOff ? 'muted' : 'on';
        const shown = `${state}|${showVideo}|${audio}|${status}`;
        if (shown === this.shown) return;
        this.shown = shown;
        this.root.dataset.state = state;
        this.root.dataset.video = showVideo ? 'on' : 'off';
        this.root.dataset.audio = audio;
        this.status.hidden = !status;
        this.statusText.textContent = status;
    }

    _renderBadges(v) {
        this.badges.replaceChildren();
        const badge = (cls, iconName, title, text) => {
            const b = el('span', 'badge ' + cls);
            b.title = title;
            b.innerHTML = icon(iconName);
            if (text) b.append(el('span', null, text));
            this.badges.append(b);
        };
        if (v.operatorAudio) badge('operator', 'micOff', 'Microphone muted by the operator', 'Muted by operator');
        else if (v.audioMuted) badge('muted', 'micOff', 'Microphone muted');
        if (v.operatorVideo) badge('operator', 'camOff', 'Camera turned off by the operator', v.operatorAudio ? null : 'Camera off by operator');
        else if (v.videoMuted) badge('muted', 'camOff', 'Camera off');
        if (v.viewer) badge('note', 'eye', 'Watching and listening only', 'Viewer');
        if (!this.local && this.actions) {
            this.actions.hidden = !!v.viewer;
            if (!v.receivingVideo) badge('note', 'eyeOff', 'You paused this video', 'Paused for you');
            if (!v.receivingAudio) badge('note', 'speakerOff', 'You muted this person for yourself');
            this.videoToggle.innerHTML = icon(v.receivingVideo ? 'eyeOff' : 'eye');
            this.videoToggle.title = v.receivingVideo ? 'Stop receiving their video' : 'Resume their video';
            this.videoToggle.setAttribute('aria-label', this.videoToggle.title);
            this.videoToggle.setAttribute('aria-pressed', String(!v.receivingVideo));
            this.audioToggle.innerHTML = icon(v.receivingAudio ? 'speakerOff' : 'speaker');
            this.audioToggle.title = v.receivingAudio ? 'Mute them for yourself' : 'Unmute them for yourself';
            this.audioToggle.setAttribute('aria-label', this.audioToggle.title);
            this.audioToggle.setAttribute('aria-pressed', String(!v.receivingAudio));
        }
    }

    setInfo(text) { if (this.info.textContent !== (text || '')) this.info.textContent = text || ''; }

    setSpeaking(on) { this.root.classList.toggle('speaking', !!on); }

    remove() {
        this.removed = true;
        this.video.srcObject = null;
        this.root.remove();
        unwatchTileSize(this);
    }
}

// ------------------------------------------------------------------ the video size each tile needs
//
// Every remote tile tells the server (`videoSize`, through RoomClient.setVideoSize) how large it shows the stream's
// video: its box in device pixels (CSS px × devicePixelRatio). With simulcast the server then forwards the layer
// that fits, so a thumbnail costs a fraction of a large tile. A tile nobody can see asks for 0x0 (no video of it
// now): hidden (no size), laid out or scrolled out of the viewport, the page hidden (another tab, minimised), or
// its video paused by us. The client debounces the wishes and sends only changes.

const tileOfElement = new WeakMap(); // <video> or tile root → its Tile
let sizeObserver = null;
let viewObserver = null;

function watchTileSize(t) {
    if (!sizeObserver) {
        sizeObserver = new ResizeObserver(entries => {
            for (const e of entries) {
                const tile = tileOfElement.get(e.target);
                if (!tile) continue;
                tile.box = { width: e.contentRect.width, height: e.contentRect.height };
                wishVideoSize(tile);
            }
        });
        viewObserver = new IntersectionObserver(entries => {
            for (const e of entries) {
                const tile = tileOfElement.get(e.target);
                if (!tile) continue;
                tile.inView = e.isIntersecting;
                wishVideoSize(tile);
            }
        });
        document.addEventListener('visibilitychange', () => { for (const tile of app.tiles.values()) wishVideoSize(tile); });
    }
    tileOfElement.set(t.video, t);
    tileOfElement.set(t.root, t);
    sizeObserver.observe(t.video);
    viewObserver.observe(t.root);
}

function unwatchTileSize(t) {
    if (!sizeObserver) return;
    sizeObserver.unobserve(t.video);
    viewObserver.unobserve(t.root);
}

/** Tells the client the size this remote tile wants of its stream's video now (see above). */
function wishVideoSize(t) {
    const c = app.client;
    const peerId = t.root.dataset.peerId;
    // Both observers report once right after a tile is placed: no wish before the page knows size and visibility.
    if (!c || t.local || t.removed || !t.msid || !peerId || !t.box || t.inView == null) return;
    const seen = t.inView && document.visibilityState !== 'hidden' && !(t.model && t.model.receivingVideo === false);
    const dpr = window.devicePixelRatio || 1;
    const width = seen ? Math.round(t.box.width * dpr) : 0;
    const height = seen ? Math.round(t.box.height * dpr) : 0;
    c.setVideoSize(peerId, t.msid, width, height); // no width or no height: 0x0
}

// Autoplay with sound may be refused when the page was opened without a click (autojoin links):
// play muted and offer a one-click fix.
const blockedVideos = new Set();
function playWithSound(video) {
    const p = video.play();
    if (!p) return;
    p.catch(e => {
        if (e.name !== 'NotAllowedError' || video.muted || app.soundOff) return;
        video.muted = true;
        blockedVideos.add(video);
        video.play().catch(() => {});
        banner.show('sound', 'Your browser blocked the sound.', 'Enable sound', enableSound);
    });
}
function enableSound() {
    for (const v of blockedVideos) { if (!app.soundOff) v.muted = false; v.play().catch(() => {}); }
    blockedVideos.clear();
    banner.hide('sound');
}

// ------------------------------------------------------------------ the app

const app = {
    client: null,
    localStream: null,
    mediaProblems: [],
    room: '',
    name: '',
    user: '',               // our user id: the seat this browser takes in a room
    tiles: new Map(),       // msid → Tile; 'local' → ours; 'peer:<id>' → a participant who publishes nothing
    tileTicker: null,
    stallAsked: new Map(),  // msid → when its tile may ask the server again about its video (performance.now())
    stallQueue: Promise.resolve(), // those requests, one at a time
    lastOfferRepair: -Infinity,    // when such a request last brought a fresh offer
    localTile: null,
    chatOpen: false,
    sidePane: 'chat',
    unread: 0,
    statsTimer: null,
    lastStats: null,
    reconnectTicker: null,
    reconnectAt: 0,
    joinedOnce: false,
    errors: [],             // every error the client reported (server `error` messages included), for tests
    negotiationFailures: [], // server offers this page could not apply: {message, count, action}
    mode: '',               // '' | 'display' (the room's TV) | 'in-room' (a device in the meeting room)
    soundOff: false,        // remote sound muted on this page (an in-room device until "Use this device's audio")
    joinOpts: {},           // what the last join asked for (camera, mic, pin): a PIN retry joins the same way
    screen: null,           // our screen share: {stream}
    pinned: null,           // the tile the person chose to show large (double click)
    speaker: null,          // the dominant speaker from the server: {peer, msid}
    serverSpeaker: false,   // the server sends speaker messages: levels come from there, not from our stats
    speakerLevels: [],      // the levels of the last speaker message (for the page's tests)
};

/** `?video=640x480` asks the camera for that size instead of the default (ideal 1280x720). */
function videoSizeFromUrl() {
    const m = /^(\d{2,4})x(\d{2,4})$/.exec(new URLSearchParams(location.search).get('video') || '');
    return m ? { width: { ideal: Number(m[1]) }, height: { ideal: Number(m[2]) }, frameRate: { ideal: 30 } } : undefined;
}

window.roomdeck = {
    get client() { return app.client; },
    get state() { return app.client ? app.client.state : State.IDLE; },
    get errors() { return app.errors.slice(); },
    get negotiationFailures() { return app.negotiationFailures.length; },
    get negotiationLog() { return app.negotiationFailures.slice(); },
    get user() { return app.user || userId(); },
    stats: async () => (app.client ? app.client.stats()
        : { state: State.IDLE, peers: {}, outbound: {}, selectedPair: null }),
    join: (room, name, opts) => startJoin(room, name, opts),
    get mode() { return app.mode; },
    get soundOff() { return app.soundOff; },
    get speaker() { return app.speaker; },
    get speakerLevels() { return app.speakerLevels; },
    get sharing() { return app.screen ? app.screen.stream.id : null; },
    /** msid → the last `videoSize` the page sent for it ({id, msid, width, height}), in the current session. */
    get videoSizes() { return app.client ? { ...app.client.videoSizes } : {}; },
    /** The msid of the tile pinned large (its pin button, or a double click), or null. */
    get pinned() { return app.pinned ? app.pinned.msid || null : null; },
    leave: () => leaveRoom(),
};

function params() {
    const q = new URLSearchParams(location.search);
    return {
        room: q.get('room') || '', name: q.get('name') || '', autojoin: q.get('autojoin') === '1',
        user: (q.get('user') || '').trim().slice(0, 128), video: q.get('video') || '',
        display: q.get('display') === '1', inroom: q.get('inroom') === '1', pin: (q.get('pin') || '').slice(0, 32),
    };
}

function store(key, value) { try { localStorage.setItem('roomdeck.' + key, value); } catch (e) { /* private mode */ } }
function load(key) { try { return localStorage.getItem('roomdeck.' + key) || ''; } catch (e) { return ''; } }

let pageUser = '';
/**
 * Our user id. The server keeps one seat per user and room, so it must not be the typed name (two people called
 * Anna are two users) and must survive a reload (which then takes its own seat back, as does a second tab of this
 * browser): a random id made once and kept in this browser's storage. A link may set it with `?user=`.
 */
function userId() {
    const fromLink = params().user;
    if (fromLink) return fromLink;
    // The room's display is a seat of its own, even in a browser someone also joins from.
    if (params().display) return baseUserId().slice(0, 120) + '-display';
    return baseUserId();
}

function baseUserId() {
    let id = load('user');
    if (id && id.length <= 128) return id;
    if (!pageUser) {
        const bytes = new Uint8Array(8);
        crypto.getRandomValues(bytes);
        pageUser = 'u-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    }
    store('user', pageUser); // fails in private mode: then the id lasts as long as this page
    return load('user') || pageUser;
}

function init() {
    $('invite-button').innerHTML = icon('link') + '<span>Invite</span>';
    $('side-close').innerHTML = icon('close');
    document.querySelector('#chat-form .send').innerHTML = icon('send');
    $('chat-button').querySelector('.icon').innerHTML = icon('chat');
    $('leave-button').querySelector('.icon').innerHTML = icon('leave');
    $('room-audio-button').querySelector('.icon').innerHTML = icon('speakerOff');
    renderLocalControls();
    renderShareButton();

    const p = params();
    app.mode = p.display ? 'display' : '';
    if (app.mode) document.body.dataset.mode = app.mode;
    $('inroom-check').checked = p.inroom;
    $('room-input').value = p.room || load('room') || 'main';
    $('name-input').value = p.name || load('name');
    $('cam-check').checked = load('camera') !== 'off';
    $('mic-check').checked = load('mic') !== 'off';

    $('join-form').addEventListener('submit', e => {
        e.preventDefault();
        startJoin($('room-input').value, $('name-input').value, {
            camera: $('cam-check').checked, mic: $('mic-check').checked, inRoom: $('inroom-check').checked,
        });
    });
    $('room-input').addEventListener('input', renderRoomLinks);
    renderRoomLinks();
    $('pin-form').addEventListener('submit', e => {
        e.preventDefault();
        const pin = $('pin-input').value.trim();
        if (!pin) { $('pin-input').focus(); return; }
        startJoin(app.room, app.name, { ...app.joinOpts, pin, keepMedia: true });
    });
    $('pin-cancel').addEventListener('click', () => { stopLocalMedia(); showDoor('form'); });
    $('lobby-leave').addEventListener('click', () => {
        if (app.client) app.client.leave();
        stopLocalMedia();
        showDoor('form');
    });
    $('share-button').addEventListener('click', () => (app.screen ? stopScreenShare() : startScreenShare()));
    $('room-audio-button').addEventListener('click', () => setRoomAudio(app.soundOff));
    const phone = matchMedia('(max-width: 600px)');
    phone.addEventListener('change', () => applyStage());
    $('mic-button').addEventListener('click', () => toggleLocal('audio'));
    $('cam-button').addEventListener('click', () => toggleLocal('video'));
    $('leave-button').addEventListener('click', () => leaveRoom());
    $('chat-button').addEventListener('click', () => toggleSide());
    $('side-close').addEventListener('click', () => toggleSide(false));
    $('tab-chat').addEventListener('click', () => showPane('chat'));
    $('tab-people').addEventListener('click', () => showPane('people'));
    $('people-count').addEventListener('click', () => { toggleSide(true); showPane('people'); });
    $('chat-form').addEventListener('submit', e => { e.preventDefault(); sendChat(); });
    $('invite-button').addEventListener('click', copyInvite);
    $('conn-button').addEventListener('click', () => {
        const open = $('conn-panel').hidden;
        $('conn-panel').hidden = !open;
        $('conn-button').setAttribute('aria-expanded', String(open));
        if (open) renderConnection();
    });
    $('grid').addEventListener('click', onTileAction);
    $('grid').addEventListener('dblclick', e => {
        const tile = e.target.closest('.tile');
        if (!tile || e.target.closest('button')) return;
        const t = [...app.tiles.values()].find(x => x.root === tile);
        app.pinned = t && app.pinned !== t && !tile.classList.contains('spotlight') ? t : null;
        applyStage();
    });
    document.addEventListener('keydown', onKey);
    // Laid out in the next frame: never inside the observer's own delivery (no resize feedback loop).
    let layoutPending = 0;
    new ResizeObserver(() => {
        if (!layoutPending) layoutPending = requestAnimationFrame(() => { layoutPending = 0; layoutGrid(); });
    }).observe($('grid-area'));
    window.addEventListener('pagehide', () => { if (app.client) app.client.leave(); });

    if (app.mode === 'display') {
        // The room's TV joins at once: no form, no buttons; its own camera and microphone are the room's.
        startJoin($('room-input').value, p.name || 'Room display', { camera: true, mic: true, pin: p.pin });
    } else if (p.autojoin && $('room-input').value && $('name-input').value) {
        startJoin($('room-input').value, $('name-input').value, {
            camera: $('cam-check').checked, mic: $('mic-check').checked, inRoom: $('inroom-check').checked, pin: p.pin,
        });
    } else {
        ($('name-input').value ? $('join-button') : $('name-input')).focus();
    }
}

function onKey(e) {
    if (!app.client || $('call-view').hidden) return;
    if (e.target.closest('input, textarea, [contenteditable]') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (app.mode === 'display') return;
    if (e.key === 'm') toggleLocal('audio');
    else if (e.key === 'v') toggleLocal('video');
    else if (e.key === 'c') toggleSide();
    else if (e.key === 'Escape') { $('conn-panel').hidden = true; }
}

// ------------------------------------------------------------------ join / leave

function setJoinBusy(busy) {
    $('join-button').disabled = busy;
    $('join-button').classList.toggle('busy', busy);
    $('join-button').querySelector('.label').textContent = busy ? 'Joining…' : 'Join room';
    for (const id of ['room-input', 'name-input', 'cam-check', 'mic-check', 'inroom-check', 'pin-input', 'pin-button']) $(id).disabled = busy;
    $('pin-button').classList.toggle('busy', busy);
}

function joinError(text) {
    $('join-error').textContent = text || '';
    $('join-error').hidden = !text;
}

function joinNotice(text, kind = 'info') {
    $('join-notice').hidden = !text;
    $('join-notice').dataset.kind = kind;
    $('join-notice-text').textContent = text || '';
}

async function startJoin(room, name, { camera = true, mic = true, inRoom = false, pin = '', keepMedia = false } = {}) {
    room = String(room || '').trim();
    name = String(name || '').trim();
    joinError('');
    pinError('');
    if (!room) { joinError('Please enter a room name.'); $('room-input').focus(); return; }
    if (!name) { joinError('Please enter your name.'); $('name-input').focus(); return; }
    if (app.client && app.client.state !== State.LEFT && app.client.state !== State.FAILED) return;
    if (app.mode !== 'display') {
        store('room', room);
        store('name', name);
        store('camera', camera ? 'on' : 'off');
        store('mic', mic ? 'on' : 'off');
    }
    setJoinBusy(true);
    joinNotice('');

    const device = app.mode === 'display' ? 'display' : inRoom ? 'in-room' : null;
    if (app.mode !== 'display') {
        app.mode = inRoom ? 'in-room' : '';
        if (app.mode) document.body.dataset.mode = app.mode; else delete document.body.dataset.mode;
    }
    app.soundOff = inRoom;
    app.joinOpts = { camera, mic, inRoom, pin };
    app.room = room;
    app.name = name;
    app.user = userId();
    app.lastOperator = null;
    app.lastStats = null;
    app.speaker = null;
    app.serverSpeaker = false;
    app.pinned = null;
    if (keepMedia && app.localStream) {
        // A PIN retry: the camera and microphone opened for the first attempt are still ours.
    } else if (camera || mic) {
        app.mediaProblems = [];
        const { stream, problems } = await openLocalMedia({ audio: mic, video: camera, videoConstraints: videoSizeFromUrl() });
        app.localStream = stream;
        app.mediaProblems = problems;
    } else {
        stopLocalMedia();
        app.mediaProblems = ['You joined with camera and microphone off: watching and listening only.'];
    }
    if (inRoom) app.mediaProblems.push('This device is in the room: its microphone and sound are off. '
        + '"Use this device\'s audio" turns them on.');

    const client = new RoomClient({ log: (...a) => console.debug('[roomdeck]', ...a) });
    app.client = client;
    wireClient(client);
    const attributes = device ? { name, device } : { name };
    try {
        await client.join({
            room, user: app.user, localStream: app.localStream, attributes, events: ['speaker'], pin: pin || null,
            muted: inRoom ? { audio: true } : null,
        });
    } catch (e) {
        if (app.client !== client) return;
        if (client.state === State.LEFT) return; // left while waiting (lobby): the `left` handler said so
        setJoinBusy(false);
        if (e.code === 'pin-required' || e.code === 'pin-wrong') {
            // The door asks for the room's PIN: ask the person, then join again (camera and microphone stay open).
            showJoinView();
            showDoor('pin');
            $('pin-input').value = '';
            if (e.code === 'pin-wrong') pinError('That PIN is not right. Try again.');
            $('pin-input').focus();
            return;
        }
        stopLocalMedia();
        showJoinView();
        showDoor('form');
        if (e.code === 'join-refused') joinError('The operator did not let you in.');
        else joinError(e.message || 'Could not join the room.');
    }
}

/** Which card the join page shows: the join form, the PIN prompt, or the lobby's waiting screen. */
function showDoor(which, message) {
    $('join-form').hidden = which !== 'form';
    $('pin-form').hidden = which !== 'pin';
    $('lobby-card').hidden = which !== 'lobby';
    document.body.dataset.door = which;
    if (which === 'lobby') $('lobby-text').textContent = message || 'The room is locked. The operator has been told you are here.';
    if (which === 'pin') $('pin-room').textContent = app.room;
}

function pinError(text) {
    $('pin-error').textContent = text || '';
    $('pin-error').hidden = !text;
}

/** The join page's links to this room: the normal one, "I'm in this room", and the room's display. */
function renderRoomLinks() {
    const room = $('room-input').value.trim() || 'main';
    const base = `${location.origin}${location.pathname}?room=${encodeURIComponent(room)}`;
    $('room-link').href = base;
    $('inroom-link').href = base + '&inroom=1';
    $('display-link').href = base + '&display=1';
}

// ------------------------------------------------------------------ screen sharing

function canShareScreen() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
}

function renderShareButton() {
    const b = $('share-button');
    const on = !!app.screen;
    b.hidden = !canShareScreen();
    b.querySelector('.icon').innerHTML = icon(on ? 'screenOff' : 'screen');
    b.querySelector('.label').textContent = on ? 'Stop sharing' : 'Share screen';
    b.classList.toggle('active', on);
    b.setAttribute('aria-pressed', String(on));
    b.title = on ? 'Stop sharing your screen' : 'Show your screen, a window or a tab to everyone';
}

/** Publishes the screen (and its sound where the browser offers it) as a second stream of ours, kind 'screen'. */
async function startScreenShare() {
    const c = app.client;
    if (!c || c.state !== State.JOINED || app.screen || !canShareScreen()) return;
    let stream;
    try {
        stream = await navigator.mediaDevices.getDisplayMedia({
            video: { frameRate: { ideal: 15, max: 15 } }, audio: true,
        });
    } catch (e) {
        if (e.name !== 'NotAllowedError' && e.name !== 'AbortError') toast(`Could not share the screen: ${e.message || e.name}`, 'error');
        return;
    }
    if (app.client !== c || c.state !== State.JOINED) { for (const t of stream.getTracks()) t.stop(); return; }
    const video = stream.getVideoTracks()[0];
    if (video) {
        video.contentHint = 'detail'; // slides and text: keep them sharp, let the frame rate give
        // The browser's own "Stop sharing" ends the track.
        video.addEventListener('ended', () => { if (app.screen && app.screen.stream === stream) stopScreenShare(); });
    }
    app.screen = { stream };
    renderShareButton();
    try {
        await c.addExtraStream(stream, { attributes: { name: app.name, kind: 'screen' }, bitrate: 2500, maxFramerate: 15 });
        toast('You are sharing your screen.', 'ok', 3000);
    } catch (e) {
        if (app.screen && app.screen.stream === stream) {
            app.screen = null;
            for (const t of stream.getTracks()) t.stop();
            renderShareButton();
        }
        toast(`Your screen could not be shared: ${e.message}`, 'error');
    }
}

async function stopScreenShare() {
    const sh = app.screen;
    if (!sh) return;
    app.screen = null;
    for (const t of sh.stream.getTracks()) t.stop();
    renderShareButton();
    const c = app.client;
    if (!c) return;
    try {
        await c.removeExtraStream(sh.stream.id);
    } catch (e) {
        console.debug('[roomdeck] removeStream for the screen share failed:', e.message);
    }
}

// ------------------------------------------------------------------ in-room devices

/** An in-room device's "Use this device's audio": its microphone and the room's sound, on or off together. */
function setRoomAudio(on) {
    app.soundOff = !on;
    for (const t of app.tiles.values()) {
        if (t.local) continue;
        t.video.muted = !on;
        if (on) playWithSound(t.video);
    }
    const c = app.client;
    if (c && app.localStream && app.localStream.getAudioTracks().length && !c.localMute.operator.audio) {
        c.setLocalMuted({ audio: !on });
    }
    renderRoomAudioButton();
}

function renderRoomAudioButton() {
    const b = $('room-audio-button');
    b.hidden = app.mode !== 'in-room';
    const on = !app.soundOff;
    b.querySelector('.icon').innerHTML = icon(on ? 'speaker' : 'speakerOff');
    b.querySelector('.label').textContent = on ? "Room audio only" : "Use this device's audio";
    b.classList.toggle('active', on);
    b.setAttribute('aria-pressed', String(on));
    b.title = on ? "Turn this device's microphone and sound off again (the room's own equipment carries them)"
        : "This device is in the meeting room: its microphone and sound are off. Turn them on";
}

function leaveRoom() {
    if (!app.client) return;
    app.client.leave();
}

function stopLocalMedia() {
    if (app.localStream) for (const t of app.localStream.getTracks()) t.stop();
    app.localStream = null;
    if (app.screen) {
        for (const t of app.screen.stream.getTracks()) t.stop();
        app.screen = null;
        renderShareButton();
    }
}

function showCallView() {
    $('join-view').hidden = true;
    $('call-view').hidden = false;
    document.body.dataset.view = 'call';
    $('room-label').textContent = app.room;
    document.title = `${app.room} · RoomDeck`;
    // A reload comes back to this room, with the same camera size and (if a link chose it) the same user.
    const url = new URL(location.href);
    const p = params();
    url.search = '?room=' + encodeURIComponent(app.room) + (p.user ? '&user=' + encodeURIComponent(p.user) : '')
        + (p.video ? '&video=' + encodeURIComponent(p.video) : '')
        + (app.mode === 'display' ? '&display=1' + (p.name ? '&name=' + encodeURIComponent(p.name) : '') : '')
        + (app.mode === 'in-room' ? '&inroom=1' : '');
    history.replaceState(null, '', url);
    renderRoomAudioButton();
    renderShareButton();
    clearInterval(app.tileTicker);
    app.tileTicker = setInterval(tickTiles, 500);
    layoutGrid();
}

function tickTiles() {
    const now = performance.now();
    for (const t of app.tiles.values()) t.update(now);
}

function showJoinView() {
    $('call-view').hidden = true;
    $('join-view').hidden = false;
    document.body.dataset.view = 'join';
    showDoor('form');
    app.pinned = null;
    app.speaker = null;
    document.title = 'RoomDeck';
    clearInterval(app.statsTimer);
    clearInterval(app.reconnectTicker);
    clearInterval(app.tileTicker);
    for (const t of app.tiles.values()) t.remove();
    app.tiles.clear();
    app.localTile = null;
    $('chat-log').replaceChildren();
    app.unread = 0;
    renderUnread();
    banner.hide();
    toggleSide(false);
}

const KICKED = 'The operator removed you from the room';
const LEAVE_TEXT = {
    user: () => 'You left the room.',
    // The server's own default message already is this sentence: say it once.
    kicked: m => {
        const text = String(m || '').trim();
        if (!text) return KICKED + '.';
        return text.toLowerCase().startsWith(KICKED.toLowerCase()) ? text : `${KICKED}: ${text}`;
    },
    replaced: () => 'You joined this room from another tab or window, so the call goes on there.',
    shutdown: m => 'The RoomDeck server is shutting down' + (m ? ': ' + m : '.'),
    'connection-lost': m => m || 'The connection to the server was lost.',
};

function wireClient(client) {
    const mine = handler => e => { if (app.client === client) handler(e.detail); };

    client.addEventListener('joined', mine(() => {
        const rejoin = app.joinedOnce && $('join-view').hidden;
        app.joinedOnce = true;
        setJoinBusy(false);
        if (!rejoin) {
            showCallView();
            ensureLocalTile();
            for (const p of app.mediaProblems) toast(p, 'warn', 8000);
        } else {
            toast('Reconnected.', 'ok');
        }
        banner.hide('reconnecting');
        clearInterval(app.reconnectTicker);
        clearInterval(app.statsTimer);
        app.statsTimer = setInterval(sampleStats, 1000);
        syncPeerTiles();
        renderPeople();
        renderLocalControls();
    }));
    client.addEventListener('statechange', mine(() => renderConnection()));
    client.addEventListener('connection', mine(() => renderConnection()));
    client.addEventListener('peerjoined', mine(({ peer, initial }) => {
        if (!initial) announceArrival(client, peer.id);
        syncPeerTiles();
        renderPeople();
    }));
    client.addEventListener('peerupdated', mine(({ peer }) => {
        renameTiles(peer.id);
        renderPeople();
    }));
    client.addEventListener('peerleft', mine(({ peer, disconnected }) => {
        if (!disconnected) toast(`${metaName(peer)} left`, 'info', 3000);
        syncPeerTiles();
        renderPeople();
    }));
    client.addEventListener('streamadded', mine(({ stream }) => { upsertRemoteTile(stream); syncPeerTiles(); renderPeople(); }));
    client.addEventListener('streamupdated', mine(({ stream }) => { upsertRemoteTile(stream); syncPeerTiles(); renderPeople(); }));
    client.addEventListener('streamremoved', mine(({ stream }) => {
        removeStreamTile(stream);
        syncPeerTiles();
        renderPeople();
    }));
    client.addEventListener('localmute', mine(detail => {
        renderLocalControls();
        if (app.localTile) app.localTile.render(localTileModel());
        const prev = app.lastOperator || { audio: false, video: false };
        if (detail.operator.audio && !prev.audio) toast('The operator muted your microphone.', 'warn', 8000);
        if (detail.operator.video && !prev.video) toast('The operator turned off your camera.', 'warn', 8000);
        if (!detail.operator.audio && prev.audio) toast('The operator allowed your microphone again.', 'ok');
        if (!detail.operator.video && prev.video) toast('The operator allowed your camera again.', 'ok');
        app.lastOperator = { ...detail.operator };
        renderPeople();
    }));
    client.addEventListener('message', mine(({ from, data }) => addChat(from, data, false)));
    client.addEventListener('lobby', mine(({ message }) => {
        // The room is locked: our join waits until the operator lets us in (then `joined` goes on as usual).
        showJoinView();
        setJoinBusy(false);
        showDoor('lobby', message);
    }));
    client.addEventListener('speaker', mine(onSpeaker));
    client.addEventListener('stopstream', mine(({ msid, message, extra }) => {
        if (app.screen && app.screen.stream.id === msid) {
            app.screen = null; // the client already ended the capture and sends removeStream
            renderShareButton();
        }
        toast(message || (extra ? 'The operator stopped your screen share.' : 'The operator stopped one of your streams.'), 'warn', 8000);
    }));
    client.addEventListener('error', mine(detail => {
        app.errors.push(detail);
        toast(detail.message, 'error', 7000);
    }));
    // The client repairs these itself (fresh offer, else a fresh session): counted for tests, no alarm for people.
    client.addEventListener('negotiationfailed', mine(detail => {
        app.negotiationFailures.push(detail);
        console.debug('[roomdeck] a media update could not be applied:', detail.message, '→', detail.action);
    }));
    client.addEventListener('published', mine(() => { if (app.localTile) app.localTile.render(localTileModel()); }));
    client.addEventListener('reconnecting', mine(({ attempt, delayMs, reason }) => {
        app.reconnectAt = Date.now() + delayMs;
        clearInterval(app.statsTimer);
        const what = reason === 'negotiation-failed' ? 'Video could not be set up. Restarting the connection'
            : reason === 'media-stalled' ? 'No sound or video is coming through. Restarting the connection'
                : 'Connection lost. Reconnecting';
        const tick = () => {
            const s = Math.max(0, Math.ceil((app.reconnectAt - Date.now()) / 1000));
            banner.show('reconnecting', s > 0 && attempt > 1
                ? `${what} in ${s} s (attempt ${attempt})…`
                : `${what}…`, 'Leave', () => leaveRoom());
        };
        tick();
        clearInterval(app.reconnectTicker);
        app.reconnectTicker = setInterval(tick, 500);
        renderConnection();
    }));
    client.addEventListener('left', mine(({ reason, message }) => {
        clearInterval(app.reconnectTicker);
        const text = (LEAVE_TEXT[reason] || (m => m || `You were disconnected (${reason}).`))(message);
        stopLocalMedia();
        showJoinView();
        setJoinBusy(false);
        if (reason !== 'user') joinNotice(text, reason === 'kicked' ? 'warn' : reason === 'replaced' ? 'info' : 'error');
        else joinNotice(text, 'info');
        $('join-button').querySelector('.label').textContent = reason === 'replaced' ? 'Join here instead' : 'Join again';
        // A reconnect that met the room's door: a PIN set meanwhile, or a refusal at the lobby.
        if (reason === 'pin-required' || reason === 'pin-wrong') {
            joinNotice('');
            showDoor('pin');
            $('pin-input').value = '';
            if (reason === 'pin-wrong') pinError('That PIN is not right. Try again.');
        } else if (reason === 'join-refused') {
            joinNotice('The operator did not let you in.', 'warn');
        }
    }));
}

/** "<name> joined", once the name is known (the peer attributes usually come with the arrival; the stream's soon after). */
function announceArrival(client, peerId, tries = 0) {
    if (app.client !== client || !client.peers.has(peerId)) return;
    const name = client.displayName(peerId);
    if (name === peerId && tries < 6) {
        setTimeout(() => announceArrival(client, peerId, tries + 1), 500);
        return;
    }
    toast(`${name} joined`, 'info', 3000);
}

function nameIn(attributes) {
    const n = attributes && typeof attributes === 'object' ? attributes.name : null;
    return typeof n === 'string' ? n.trim() : '';
}

/** A departed peer's name, from the peer_meta the client kept. */
function metaName(peer) {
    const s = (peer.streams || []).find(x => x && nameIn(x.attributes));
    return nameIn(peer.attributes) || (s && nameIn(s.attributes)) || String(peer.id);
}

function peerName(peerId) {
    if (peerId === 'operator') return 'Operator';
    return app.client ? app.client.displayName(peerId) : String(peerId);
}

// ------------------------------------------------------------------ tiles in the grid

function localTileModel() {
    const c = app.client;
    const m = c ? c.localMute : { audio: false, video: false, operator: { audio: false, video: false } };
    const s = app.localStream;
    const video = s && s.getVideoTracks()[0];
    const hasAudio = !!(s && s.getAudioTracks().length);
    return {
        viewer: !s, tracksArrived: !!s, hasVideo: !!video, videoTrackId: video ? video.id : null,
        cameraOff: !!video && (m.video || m.operator.video),
        audioOff: !hasAudio || m.audio || m.operator.audio,
        audioMuted: hasAudio && m.audio, videoMuted: !!video && m.video,
        operatorAudio: m.operator.audio, operatorVideo: m.operator.video,
        receivingVideo: true, receivingAudio: true,
    };
}

function ensureLocalTile() {
    if (app.localTile) return;
    const msid = app.localStream ? app.localStream.id : '';
    const t = new Tile({ peerId: app.user, msid, name: app.name, local: true });
    app.localTile = t;
    app.tiles.set('local', t);
    $('grid').prepend(t.root);
    t.attach(app.localStream);
    t.render(localTileModel());
    applyStage();
}

function remoteTileModel(s) {
    const hasVideo = !!s.videoTrack;
    const hasAudio = !!s.audioTrack;
    const tracksArrived = hasVideo || hasAudio;
    return {
        viewer: false, tracksArrived, hasVideo, videoTrackId: hasVideo ? s.videoTrack.id : null,
        cameraOff: s.muted.video || s.operatorMuted.video || !s.receiving.video,
        audioOff: s.muted.audio || s.operatorMuted.audio || (tracksArrived && !hasAudio),
        audioMuted: s.muted.audio, videoMuted: s.muted.video,
        operatorAudio: s.operatorMuted.audio, operatorVideo: s.operatorMuted.video,
        receivingVideo: s.receiving.video, receivingAudio: s.receiving.audio,
    };
}

function placeTile(t) {
    t.onStall = onTileStall;
    $('grid').append(t.root);
    applyStage();
}

function isScreen(s) {
    return !!(s && s.attributes && typeof s.attributes === 'object' && s.attributes.kind === 'screen');
}

function upsertRemoteTile(s) {
    const c = app.client;
    let t = app.tiles.get(s.msid);
    const name = s.peerId ? c.displayName(s.peerId) : (nameIn(s.attributes) || 'Guest');
    if (!t) {
        // The participant's own tile (shown while it published nothing) becomes its camera's: no flicker.
        const key = 'peer:' + s.peerId;
        t = s.peerId && !isScreen(s) && app.tiles.get(key);
        if (t) {
            app.tiles.delete(key);
            t.markExpecting();
        } else {
            t = new Tile({ peerId: s.peerId, msid: s.msid, name, local: false });
            placeTile(t);
        }
        app.tiles.set(s.msid, t);
    }
    t.setPeer(s.peerId, s.msid);
    const kindChanged = t.setKind(isScreen(s) ? 'screen' : 'camera');
    t.setName(name);
    t.attach(s.mediaStream && (s.videoTrack || s.audioTrack) ? s.mediaStream : null);
    t.render(remoteTileModel(s));
    if (kindChanged) applyStage();
    markSpeaker();
}

/** A stream went away: its tile goes too, unless its owner is still here (then it is that person's tile again). */
function removeStreamTile(stream) {
    const t = app.tiles.get(stream.msid);
    if (!t) return;
    app.tiles.delete(stream.msid);
    const c = app.client;
    const key = 'peer:' + stream.peerId;
    const stays = c && stream.peerId && t.kind !== 'screen' && c.peers.has(stream.peerId) && !app.tiles.has(key)
        && ![...c.streams.values()].some(s => s.peerId === stream.peerId && !isScreen(s));
    if (stays) {
        t.attach(null);
        t.setPeer(stream.peerId, '');
        t.markExpecting();
        app.tiles.set(key, t);
        t.render(viewerModel());
    } else {
        t.remove();
        if (app.pinned === t) app.pinned = null;
    }
    applyStage();
}

function viewerModel() {
    return {
        viewer: true, tracksArrived: false, hasVideo: false, videoTrackId: null, cameraOff: true, audioOff: true,
        receivingVideo: true, receivingAudio: true,
    };
}

/** Everyone in the room has a tile: participants who publish nothing get one with their name. */
function syncPeerTiles() {
    const c = app.client;
    if (!c || !app.localTile) return;
    // A screen share is not its owner's tile: someone who only shares still has their own.
    const publishing = new Set([...c.streams.values()].filter(s => !isScreen(s)).map(s => s.peerId));
    for (const p of c.peers.values()) {
        const key = 'peer:' + p.id;
        const t = app.tiles.get(key);
        if (publishing.has(p.id)) {
            if (t) { t.remove(); app.tiles.delete(key); applyStage(); }
        } else if (!t) {
            const nt = new Tile({ peerId: p.id, msid: '', name: c.displayName(p.id), local: false });
            app.tiles.set(key, nt);
            placeTile(nt);
            nt.render(viewerModel());
        }
    }
    for (const [key, t] of [...app.tiles]) {
        if (key.startsWith('peer:') && !c.peers.has(key.slice(5))) { t.remove(); app.tiles.delete(key); }
    }
    markSpeaker();
    applyStage(); // the number of people decides whether the speaker is shown large
}

function renameTiles(peerId) {
    const c = app.client;
    for (const t of app.tiles.values()) if (!t.local && t.root.dataset.peerId === peerId) t.setName(c.displayName(peerId));
}

// A tile whose video does not come asks the server about its stream (renegotiate, reason no-media). The server
// answers with a fresh offer where the negotiation may be at fault (one offer covers every tile, so a stream asks
// that at most once a minute), or says why one would not help: 'keyframe' (it forwards the video to us and asked
// the sender for a keyframe) or 'wait' (the video has not reached the server yet). Then the tile asks again after
// another grace period while it still has no picture. Requests go one at a time: each is about one stream.
const STALL_REPEAT_MS = 60000;
const STALL_SHARED_MS = 10000;

/** A remote tile's video did not come (or stopped) for the grace period: ask the server what to do. */
function onTileStall(t) {
    const c = app.client;
    if (!c || c.state !== State.JOINED || !t.msid) return;
    const msid = t.msid;
    if (performance.now() < (app.stallAsked.get(msid) ?? 0)) return;
    app.stallAsked.set(msid, Infinity); // being asked
    t.setRetrying(true);
    const again = (afterMs, rearm) => {
        app.stallAsked.set(msid, performance.now() + afterMs);
        t.setRetrying(false);
        if (rearm) setTimeout(() => t.rearmStall(), afterMs);
    };
    app.stallQueue = app.stallQueue.then(async () => {
        if (t.removed || app.client !== c || c.state !== State.JOINED) return again(GRACE_MS, false);
        if (performance.now() - app.lastOfferRepair < STALL_SHARED_MS) return again(GRACE_MS, true); // covered by it
        const result = await c.requestServerOffer({ reason: 'no-media', msid,
            message: `no video from stream ${msid} for ${GRACE_MS / 1000} s` });
        if (result === 'offer') {
            app.lastOfferRepair = performance.now();
            again(STALL_REPEAT_MS, false);
        } else {
            again(result ? GRACE_MS : STALL_REPEAT_MS, !!result);
        }
    }).catch(() => again(STALL_REPEAT_MS, false));
}

function onTileAction(e) {
    const button = e.target.closest('button.tile-action');
    if (!button || !app.client) return;
    if (button.dataset.action === 'pin') {
        const t = [...app.tiles.values()].find(x => x.root === button.closest('.tile'));
        if (t) togglePin(t);
        return;
    }
    const msid = button.closest('.tile').dataset.msid;
    const s = app.client.streams.get(msid);
    if (!s) return;
    if (button.dataset.action === 'video') app.client.setReceiving(msid, { video: !s.receiving.video });
    else app.client.setReceiving(msid, { audio: !s.receiving.audio });
}

// ------------------------------------------------------------------ the stage: what is shown large

/** A tile's pin button: show it large (it stays large until pressed again), or back to the normal layout. */
function togglePin(t) {
    app.pinned = app.pinned === t ? null : t;
    applyStage();
}

/** The server's `speaker` message: outline the dominant speaker; with more than four people it may be shown large. */
function onSpeaker({ peer, msid, changed, levels }) {
    app.serverSpeaker = true;
    app.speakerLevels = levels;
    const prev = app.speaker;
    // The server applies hysteresis: a change of speaker is news (changed, or the first message we see).
    if (changed || !prev || prev.peer !== peer) app.speaker = peer ? { peer, msid } : null;
    for (const l of levels) {
        if (!l) continue;
        const t = l.peer === app.user ? app.localTile : (l.msid && app.tiles.get(l.msid));
        if (t) t.setSpeaking(!!l.speaking);
    }
    const moved = (prev && prev.peer) !== (app.speaker && app.speaker.peer) || (prev && prev.msid) !== (app.speaker && app.speaker.msid);
    markSpeaker();
    if (moved) applyStage();
}

/** The dominant speaker's tile: their camera stream's tile (ours too), or their own tile if they publish nothing. */
function speakerTile() {
    const sp = app.speaker;
    if (!sp || !sp.peer) return null;
    if (sp.peer === app.user) return app.localTile;
    const byMsid = sp.msid && app.tiles.get(sp.msid);
    if (byMsid && byMsid.kind !== 'screen') return byMsid;
    for (const t of app.tiles.values()) if (!t.local && t.kind !== 'screen' && t.root.dataset.peerId === sp.peer) return t;
    return null;
}

function markSpeaker() {
    const target = speakerTile();
    for (const t of app.tiles.values()) t.setDominant(t === target);
}

/** The tile shown large: a pinned one, else the most recent screen share, else (more than four people) the speaker. */
function stageTile() {
    if (app.pinned && [...app.tiles.values()].includes(app.pinned)) return app.pinned;
    let share = null;
    for (const t of app.tiles.values()) if (t.kind === 'screen' && (!share || t.sharedAt > share.sharedAt)) share = t;
    if (share) return share;
    const people = (app.client ? app.client.peers.size : 0) + 1;
    const sp = speakerTile();
    if (people > 4 && sp && !sp.local) return sp;
    return null;
}

function applyStage() {
    const grid = $('grid');
    const target = stageTile();
    for (const t of app.tiles.values()) {
        const on = t === target;
        t.root.classList.toggle('spotlight', on);
        t.root.dataset.stage = on ? 'large' : '';
        t.renderPin(app.pinned === t);
    }
    grid.classList.toggle('has-spotlight', !!target);
    // Our own camera floats small in a corner on a phone and on the room's display, once anyone else is here.
    const float = (app.mode === 'display' || matchMedia('(max-width: 600px)').matches) && app.tiles.size > 1;
    grid.classList.toggle('self-float', float);
    layoutGrid();
}

/** Gallery layout: the column count that gives the largest 16:9 tiles in the space available. */
function layoutGrid() {
    const grid = $('grid');
    const area = $('grid-area');
    const floating = grid.classList.contains('self-float');
    const n = [...grid.children].filter(t => !(floating && t.classList.contains('local'))).length;
    grid.dataset.count = String(n);
    if (!n || area.clientWidth === 0) return;
    const cs = getComputedStyle(area);
    const gap = parseFloat(getComputedStyle(grid).columnGap) || 10;
    const W = area.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const H = area.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const spotlight = grid.classList.contains('has-spotlight');
    if (spotlight) {
        // The large tile over one strip of the others: the strip's height comes off the large tile's.
        const thumbs = n - 1;
        const thumbW = thumbs ? Math.min(200, (W - gap * (thumbs - 1)) / thumbs) : 0;
        const stripH = thumbs ? thumbW * 9 / 16 + gap : 0;
        grid.style.setProperty('--tile-w', `${Math.floor(Math.max(160, Math.min(W, (H - stripH) * 16 / 9)))}px`);
        grid.style.setProperty('--thumb-w', `${Math.floor(Math.max(80, thumbW))}px`);
        return;
    }
    let best = { w: 0, cols: 1 };
    for (let cols = 1; cols <= n; cols++) {
        const rows = Math.ceil(n / cols);
        const w = Math.min((W - gap * (cols - 1)) / cols, ((H - gap * (rows - 1)) / rows) * 16 / 9);
        if (w > best.w) best = { w, cols };
    }
    grid.style.setProperty('--tile-w', `${Math.floor(Math.max(120, best.w))}px`);
    grid.style.setProperty('--cols', String(best.cols));
}

// ------------------------------------------------------------------ local controls

function renderLocalControls() {
    const c = app.client;
    const m = c ? c.localMute : { audio: false, video: false, operator: { audio: false, video: false } };
    const s = app.localStream;
    const set = (button, { has, muted, locked, onIcon, offIcon, onLabel, offLabel, what }) => {
        button.querySelector('.icon').innerHTML = icon(muted || locked || !has ? offIcon : onIcon);
        button.querySelector('.label').textContent = !has ? `No ${what}` : (muted || locked ? offLabel : onLabel);
        button.classList.toggle('off', !!(muted || locked || !has));
        button.classList.toggle('locked', !!locked);
        button.disabled = !has;
        button.setAttribute('aria-pressed', String(!!(muted || locked)));
        button.title = !has ? `No ${what} (see the message when you joined)`
            : locked ? `The operator turned off your ${what}`
                : (muted ? `Turn your ${what} on` : `Turn your ${what} off`) + ` (${what === 'microphone' ? 'M' : 'V'})`;
    };
    set($('mic-button'), {
        has: !!(s && s.getAudioTracks().length), muted: m.audio, locked: m.operator.audio,
        onIcon: 'mic', offIcon: 'micOff', onLabel: 'Mute', offLabel: m.operator.audio ? 'Muted by operator' : 'Unmute', what: 'microphone',
    });
    set($('cam-button'), {
        has: !!(s && s.getVideoTracks().length), muted: m.video, locked: m.operator.video,
        onIcon: 'cam', offIcon: 'camOff', onLabel: 'Stop video', offLabel: m.operator.video ? 'Off by operator' : 'Start video', what: 'camera',
    });
}

function toggleLocal(kind) {
    const c = app.client;
    if (!c || !app.localStream) return;
    const has = kind === 'audio' ? app.localStream.getAudioTracks().length : app.localStream.getVideoTracks().length;
    if (!has) return;
    if (c.localMute.operator[kind]) {
        toast(kind === 'audio' ? 'The operator muted your microphone; only the operator can unmute it.'
            : 'The operator turned off your camera; only the operator can turn it back on.', 'warn');
        return;
    }
    c.setLocalMuted({ [kind]: !c.localMute[kind] });
}

// ------------------------------------------------------------------ side panel: chat and people

function toggleSide(open = !app.chatOpen) {
    app.chatOpen = open;
    $('side').hidden = !open;
    $('chat-button').setAttribute('aria-pressed', String(open));
    $('chat-button').classList.toggle('active', open);
    if (open) {
        if (app.sidePane === 'chat') { app.unread = 0; renderUnread(); setTimeout(() => $('chat-input').focus(), 0); }
    }
    layoutGrid();
}

function showPane(which) {
    app.sidePane = which;
    $('chat-pane').hidden = which !== 'chat';
    $('people-pane').hidden = which !== 'people';
    $('tab-chat').setAttribute('aria-selected', String(which === 'chat'));
    $('tab-people').setAttribute('aria-selected', String(which === 'people'));
    if (which === 'chat') { app.unread = 0; renderUnread(); }
}

function renderUnread() {
    $('unread').hidden = app.unread === 0;
    $('unread').textContent = app.unread > 9 ? '9+' : String(app.unread);
}

function sendChat() {
    const text = $('chat-input').value.trim();
    if (!text || !app.client) return;
    if (!app.client.sendMessage({ kind: 'chat', text, name: app.name })) {
        toast('Not connected: the message was not sent.', 'error');
        return;
    }
    $('chat-input').value = '';
    addChat(app.name, { kind: 'chat', text, name: app.name }, true);
}

function addChat(from, data, mine) {
    let text;
    // The sender's name as the room knows it (peer, then stream attributes); the name inside the message only
    // for a sender the room has no name for.
    let name = peerName(from);
    if (typeof data === 'string') text = data;
    else if (data && typeof data.text === 'string') {
        text = data.text;
        if (name === String(from) && typeof data.name === 'string' && data.name.trim()) name = data.name.trim();
    } else text = JSON.stringify(data);
    if (from === 'operator') name = 'Operator';
    const item = el('li', 'chat-item' + (mine ? ' mine' : '') + (from === 'operator' ? ' operator' : ''));
    const head = el('div', 'chat-head');
    head.append(el('span', 'chat-name', mine ? 'You' : name),
        el('time', 'chat-time', new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    item.append(head, el('div', 'chat-text', text));
    const log = $('chat-log');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.append(item);
    if (atBottom || mine) log.scrollTop = log.scrollHeight;
    if (!mine && !(app.chatOpen && app.sidePane === 'chat')) {
        app.unread++;
        renderUnread();
        if (!app.chatOpen) toast(`${name}: ${text.length > 80 ? text.slice(0, 80) + '…' : text}`, 'chat', 4000);
    }
}

function renderPeople() {
    const c = app.client;
    if (!c) return;
    const list = $('people-list');
    list.replaceChildren();
    const row = (name, you, streams, extra) => {
        const li = el('li', 'person');
        const av = el('span', 'avatar mini');
        av.append(el('span', null, initials(name)));
        av.style.setProperty('--avatar-hue', hue(name));
        const label = el('span', 'person-name', you ? `${name} (you)` : name);
        const state = el('span', 'person-state');
        state.innerHTML = extra;
        li.append(av, label, state);
        list.append(li);
    };
    const m = c.localMute;
    const localIcons = !app.localStream ? '<span class="tag">viewer</span>'
        : (m.audio || m.operator.audio ? icon('micOff') : icon('mic')) + (m.video || m.operator.video ? icon('camOff') : icon('cam'));
    row(app.name, true, null, localIcons);
    const others = [...c.peers.values()].sort((a, b) => peerName(a.id).localeCompare(peerName(b.id)));
    for (const p of others) {
        const streams = [...c.streams.values()].filter(s => s.peerId === p.id);
        const camera = streams.find(s => !isScreen(s));
        let icons = camera ? '' : '<span class="tag">viewer</span>';
        if (camera) {
            const s = camera;
            const aOff = s.muted.audio || s.operatorMuted.audio;
            const vOff = s.muted.video || s.operatorMuted.video;
            icons = icon(aOff ? 'micOff' : 'mic') + icon(vOff ? 'camOff' : 'cam');
        }
        if (streams.some(isScreen)) icons = '<span class="tag">presenting</span>' + icons;
        const device = p.attributes && p.attributes.device;
        if (device === 'in-room') icons = '<span class="tag">in the room</span>' + icons;
        else if (device === 'display') icons = '<span class="tag">room display</span>' + icons;
        row(peerName(p.id), false, streams, icons);
    }
    const n = c.peers.size + 1;
    $('people-count').textContent = String(n);
    $('people-count').title = n === 1 ? 'Only you are here' : `${n} people in the room`;
    $('tab-people-count').textContent = `(${n})`;
}

async function copyInvite() {
    const url = `${location.origin}${location.pathname}?room=${encodeURIComponent(app.room)}`;
    try {
        await navigator.clipboard.writeText(url);
        toast('Invite link copied.', 'ok', 2500);
    } catch (e) {
        toast(`Share this link: ${url}`, 'info', 10000);
    }
}

// ------------------------------------------------------------------ connection indicator and live figures

function connectionLevel(c) {
    if (!c) return { level: 'bad', label: 'Not connected' };
    const cs = c.connectionState;
    switch (c.state) {
        case State.JOINING: return { level: 'warn', label: 'Joining…' };
        case State.RECONNECTING: return { level: 'bad', label: 'Reconnecting…' };
        case State.LEFT: case State.FAILED: case State.IDLE: return { level: 'bad', label: 'Not connected' };
        default: break;
    }
    if (cs.socket !== 'open') return { level: 'bad', label: 'Signalling lost' };
    if (cs.connection === 'connected') return { level: 'ok', label: 'Connected' };
    if (cs.connection === 'failed') return { level: 'bad', label: 'Media failed' };
    if (cs.connection === 'disconnected') return { level: 'warn', label: 'Unstable…' };
    if (cs.connection === 'new' && !app.localStream && app.client.streams.size === 0) return { level: 'ok', label: 'Connected' };
    return { level: 'warn', label: 'Connecting media…' };
}

function renderConnection() {
    const c = app.client;
    const { level, label } = connectionLevel(c);
    $('conn-button').dataset.level = level;
    $('conn-label').textContent = label;
    if ($('conn-panel').hidden || !c) return;
    const cs = c.connectionState;
    const st = app.lastStats;
    const rows = [
        ['Session', c.state],
        ['Signalling', `WebSocket ${cs.socket} · ${cs.signaling}`],
        ['ICE', `${cs.ice} · ${cs.connection}`],
    ];
    if (st && st.selectedPair && st.selectedPair.local) {
        const p = st.selectedPair;
        rows.push(['Media path', `${p.local.address}:${p.local.port} ⇄ ${p.remote ? p.remote.address + ':' + p.remote.port : '?'} (${p.local.protocol}, ${p.local.type})`]);
        if (p.rtt != null) rows.push(['Round trip', `${Math.round(p.rtt * 1000)} ms`]);
    }
    const flowing = cs.connection === 'connected';
    if (flowing && st && st.outbound) {
        const o = st.outbound;
        if (o.videoBitrate != null || o.audioBitrate != null) {
            rows.push(['Sending', `${formatKbps(o.videoBitrate || 0)} video${o.frameWidth ? ` (${o.frameWidth}×${o.frameHeight}${o.framesPerSecond ? ' @ ' + Math.round(o.framesPerSecond) + ' fps' : ''})` : ''} · ${formatKbps(o.audioBitrate || 0)} audio`]);
        }
        if (o.qualityLimitationReason && o.qualityLimitationReason !== 'none') rows.push(['Limited by', o.qualityLimitationReason]);
    }
    if (flowing && st) {
        let v = 0; let a = 0;
        for (const p of Object.values(st.peers)) for (const s of Object.values(p.streams)) { v += s.videoBitrate; a += s.audioBitrate; }
        rows.push(['Receiving', `${formatKbps(v)} video · ${formatKbps(a)} audio`]);
    }
    const dl = $('conn-details');
    dl.replaceChildren();
    for (const [k, v] of rows) dl.append(el('dt', null, k), el('dd', null, v));
}

async function sampleStats() {
    const c = app.client;
    if (!c || c.state !== State.JOINED) return;
    let st;
    try { st = await c.stats(); } catch (e) { return; }
    if (app.client !== c) return;
    app.lastStats = st;
    for (const p of Object.values(st.peers)) {
        for (const [msid, s] of Object.entries(p.streams)) {
            const t = app.tiles.get(msid);
            if (!t) continue;
            t.noteDecoded(s.framesDecoded);
            const parts = [];
            if (s.frameWidth) parts.push(`${s.frameWidth}×${s.frameHeight}`);
            if (s.framesPerSecond) parts.push(`${Math.round(s.framesPerSecond)} fps`);
            parts.push(formatKbps(s.videoBitrate + s.audioBitrate));
            t.setInfo(parts.join(' · '));
            if (!app.serverSpeaker) t.setSpeaking(s.audioLevel > 0.03 && s.audioBitrate > 0);
        }
    }
    if (app.localTile && st.outbound) {
        const o = st.outbound;
        const parts = [];
        if (o.frameWidth) parts.push(`${o.frameWidth}×${o.frameHeight}`);
        if (o.videoBitrate || o.audioBitrate) parts.push(formatKbps((o.videoBitrate || 0) + (o.audioBitrate || 0)) + ' up');
        app.localTile.setInfo(parts.join(' · '));
        if (o.framesEncoded != null) app.localTile.noteDecoded(o.framesEncoded);
    }
    renderConnection();
}

init();
