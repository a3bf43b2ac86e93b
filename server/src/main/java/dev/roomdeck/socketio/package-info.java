/**
 * The RTCEngine protocol over Socket.IO, for apps built on RTCEngine's SDKs (socket.io-client 2.x) and on
 * socket.io-client 3.x/4.x: Engine.IO 3 and 4 at {@code /socket.io/}, over HTTP long-polling with the upgrade to a
 * WebSocket or over a WebSocket from the start, feeding the same {@link dev.roomdeck.signal.SignalSession} as the
 * plain {@code /ws} endpoint. Each protocol message is the Socket.IO event of the same name with the same data
 * ({@code error} is {@code roomdeck-error} for Engine.IO 3 clients).
 *
 * <p>{@link dev.roomdeck.socketio.SocketIoUpgrade} takes the requests; an {@code EngineIoSession} per client owns
 * the queue, the heartbeat and the Socket.IO layer ({@code SocketIoConnection}), and its transport is a
 * {@code PollingTransport} or a {@link dev.roomdeck.socketio.WebSocketTransport}.
 */
package dev.roomdeck.socketio;
