// The app's script, a file of its own: RoomDeck serves pages under a Content-Security-Policy without inline scripts.
import { RoomClient, openLocalMedia } from './rtcengine.js';

/** Gives RoomClient a WebSocket-shaped channel whose messages travel as Socket.IO events. */
class SocketIoChannel {
    constructor() {
        this.readyState = 0;
        this.socket = io(location.origin, { transports: ['websocket'], reconnection: false });
        this.socket.on('connect', () => { this.readyState = 1; this.onopen && this.onopen(); });
        this.socket.on('disconnect', reason => {
            this.readyState = 3;
            this.onclose && this.onclose({ code: 1000, reason });
        });
        this.socket.onAny((type, data) => this.onmessage && this.onmessage({ data: JSON.stringify({ type, data }) }));
    }
    send(text) {
        const envelope = JSON.parse(text);
        this.socket.emit(envelope.type, envelope.data);
    }
    close() {
        this.readyState = 2;
        this.socket.disconnect();
    }
}

const params = new URLSearchParams(location.search);
const client = new RoomClient({ WebSocket: SocketIoChannel, reconnect: false });
client.addEventListener('track', ev => {
    const v = document.createElement('video');
    v.autoplay = true;
    v.muted = true;
    v.srcObject = ev.detail && ev.detail.stream ? ev.detail.stream : null;
    document.getElementById('videos').appendChild(v);
});
window.roomdeck = {
    client,
    get state() { return client.state; },
    stats: () => client.stats(),
};
const { stream: localStream } = await openLocalMedia();
await client.join({ room: params.get('room'), user: params.get('name'), localStream });
