package dev.roomdeck.socketio;

/**
 * The two Engine.IO revisions clients speak (the {@code EIO} query parameter), with what differs between them:
 * who sends the heartbeat ping, and how the default namespace is connected and a namespace is refused.
 */
enum EngineIoVersion {
    /** socket.io-client 2.x (Socket.IO protocol 4): the client pings, the server connects {@code /} on its own. */
    V3,
    /** socket.io-client 3.x and 4.x (Socket.IO protocol 5): the server pings, the client asks for {@code /}. */
    V4;

    /** The {@code EIO} query value, or null when it names a revision this server does not speak. */
    static EngineIoVersion fromQuery(String eio) {
        if (eio == null || eio.equals("3")) {
            return V3; // Engine.IO servers read a missing EIO as 3
        }
        return eio.equals("4") ? V4 : null;
    }

    boolean serverPings() {
        return this == V4;
    }

    /**
     * The Engine.IO open packet: the session id, the heartbeat the client must keep, and the transport it may
     * upgrade to (websocket for a long-polling session; none for a session that is a WebSocket already).
     */
    String openPacket(String sid, SocketIoSettings s, boolean upgradable) {
        String common = "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgradable ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + s.pingInterval().toMillis()
                + ",\"pingTimeout\":" + s.pingTimeout().toMillis();
        return this == V4 ? common + ",\"maxPayload\":" + s.maxPayload() + "}" : common + "}";
    }

    /**
     * The event name the protocol's {@code error} message travels under. socket.io-client 2.x hands an event named
     * {@code error} to the listener it also uses for connection errors, and RTCEngine's SDKs close their session
     * there; so Engine.IO 3 clients get the same data under a name no Socket.IO version reserves.
     */
    String errorEvent() {
        return this == V4 ? "error" : "roomdeck-error";
    }

    /** The Socket.IO CONNECT packet confirming the default namespace; protocol 5 names the socket id in it. */
    String connected(String socketId) {
        return this == V4 ? "40{\"sid\":\"" + socketId + "\"}" : "40";
    }

    /** The refusal of a namespace connect: an ERROR (protocol 4) or CONNECT_ERROR (protocol 5) packet. */
    String namespaceRefused(String namespace, String message) {
        String quoted = Json.quote(message);
        return "44" + namespace + "," + (this == V4 ? "{\"message\":" + quoted + "}" : quoted);
    }

    /** The same refusal for the default namespace, which carries no namespace prefix. */
    String connectRefused(String message) {
        String quoted = Json.quote(message);
        return "44" + (this == V4 ? "{\"message\":" + quoted + "}" : quoted);
    }
}
