package dev.roomdeck.socketio;

import java.util.List;

/**
 * How an Engine.IO session reaches its client: a WebSocket, which takes packets at any time, or HTTP
 * long-polling, which can deliver only while the client has a GET waiting. The session keeps the packets that
 * could not go yet and hands them, in order, to whichever transport is current once it is writable.
 * Both methods are called under the session's lock.
 */
sealed interface Transport permits PollingTransport, WebSocketTransport {

    /** Whether {@link #write} delivers now. */
    boolean writable();

    /** Delivers these packets in this order; only when {@link #writable()}. */
    void write(List<String> packets);
}
