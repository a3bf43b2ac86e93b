/**
 * The RTCEngine protocol over Socket.IO, for apps built on RTCEngine's SDKs (socket.io-client 2.x) and on
 * socket.io-client 3.x/4.x: Engine.IO 3 and 4 framing over a Jetty WebSocket at {@code /socket.io/}, feeding the
 * same {@link dev.roomdeck.signal.SignalSession} as the plain {@code /ws} endpoint. Each protocol message is the
 * Socket.IO event of the same name with the same data. WebSocket transport only; no HTTP long-polling.
 */
package dev.roomdeck.socketio;
