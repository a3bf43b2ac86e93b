package dev.roomdeck.socketio;

import org.eclipse.jetty.util.Fields;

/**
 * What a client's handshake request asks for: {@code /socket.io/?EIO=4&transport=websocket&token=...}.
 *
 * @param version the Engine.IO revision
 * @param token   the {@code token} query parameter (RTCEngine's SDKs put the join token there), or null
 */
record Handshake(EngineIoVersion version, String token) {

    /** A handshake this server does not serve, with the Engine.IO error code and message a client expects. */
    static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }

        /** The body Engine.IO servers answer with: {@code {"code":0,"message":"Transport unknown"}}, plus a hint. */
        String json(String hint) {
            return "{\"code\":" + code + ",\"message\":" + Json.quote(getMessage()) + ",\"hint\":" + Json.quote(hint) + "}";
        }
    }

    static final String WEBSOCKET_ONLY = "RoomDeck serves Socket.IO over the WebSocket transport only:"
            + " connect with transports: ['websocket']";

    /** Reads the query; {@code upgrade} says whether the request is a WebSocket upgrade. */
    static Handshake read(Fields query, boolean upgrade) throws Refused {
        String transport = query.getValue("transport");
        if (!"websocket".equals(transport)) {
            throw new Refused(0, "Transport unknown");
        }
        if (query.getValue("sid") != null) {
            // An upgrade of a long-polling session, which this server never opens.
            throw new Refused(1, "Session ID unknown");
        }
        if (!upgrade) {
            throw new Refused(3, "Bad request");
        }
        EngineIoVersion version = EngineIoVersion.fromQuery(query.getValue("EIO"));
        if (version == null) {
            throw new Refused(5, "Unsupported protocol version");
        }
        String token = query.getValue("token");
        return new Handshake(version, token == null || token.isEmpty() ? null : token);
    }
}
