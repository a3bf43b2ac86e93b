package dev.roomdeck.socketio;

import org.eclipse.jetty.util.Fields;

/**
 * What a request to {@code /socket.io/} asks for: {@code ?EIO=4&transport=polling&token=...} opens a session by
 * long-polling, {@code transport=websocket} (a WebSocket upgrade) opens one over a WebSocket, and either with
 * {@code sid=...} continues a session: the next poll or post, or the WebSocket the session upgrades to.
 *
 * @param version   the Engine.IO revision
 * @param websocket whether the request is for the websocket transport (else long-polling)
 * @param sid       the session it continues, or null for a new session
 * @param token     the {@code token} query parameter (RTCEngine's SDKs put the join token there), or null
 */
record Handshake(EngineIoVersion version, boolean websocket, String sid, String token) {

    /** A request this server does not serve, with the Engine.IO error code and message a client expects. */
    static final class Refused extends Exception {
        final int code;
        final int status;
        final String hint;

        Refused(int code, String message) {
            this(code, message, code == FORBIDDEN ? 403 : 400, null);
        }

        Refused(int code, String message, int status, String hint) {
            super(message);
            this.code = code;
            this.status = status;
            this.hint = hint;
        }

        /** The body Engine.IO servers answer with: {@code {"code":0,"message":"Transport unknown"}}, plus any hint. */
        String json() {
            return "{\"code\":" + code + ",\"message\":" + Json.quote(getMessage())
                    + (hint == null ? "" : ",\"hint\":" + Json.quote(hint)) + "}";
        }
    }

    static final int FORBIDDEN = 4;

    static Refused unknownSession() {
        return new Refused(1, "Session ID unknown");
    }

    static Refused badRequest(String hint) {
        return new Refused(3, "Bad request", 400, hint);
    }

    /** Reads the query; {@code upgrade} says whether the request is a WebSocket upgrade. */
    static Handshake read(Fields query, boolean upgrade) throws Refused {
        String transport = query.getValue("transport");
        boolean websocket = "websocket".equals(transport);
        if (!websocket && !"polling".equals(transport)) {
            throw new Refused(0, "Transport unknown");
        }
        EngineIoVersion version = EngineIoVersion.fromQuery(query.getValue("EIO"));
        if (version == null) {
            throw new Refused(5, "Unsupported protocol version");
        }
        if (websocket != upgrade) {
            throw badRequest(websocket ? "transport=websocket needs a WebSocket upgrade request"
                    : "a WebSocket upgrade needs transport=websocket");
        }
        if (!websocket && query.getValue("j") != null) {
            throw badRequest("JSONP polling is not served: use XHR polling or the websocket transport");
        }
        String sid = query.getValue("sid");
        String token = query.getValue("token");
        return new Handshake(version, websocket, sid == null || sid.isEmpty() ? null : sid,
                token == null || token.isEmpty() ? null : token);
    }
}
