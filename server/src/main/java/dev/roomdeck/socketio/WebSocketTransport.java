package dev.roomdeck.socketio;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport of one Engine.IO session: one packet per text frame, binary frames for attachments.
 * It is either the session's transport from the start (a client with {@code transports: ['websocket']}) or the
 * probe of a long-polling session, which becomes its transport on the client's upgrade packet.
 */
public final class WebSocketTransport implements Session.Listener.AutoDemanding, Transport {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

    private final EngineIoSession engine;
    private volatile Session session;

    WebSocketTransport(EngineIoSession engine) {
        this.engine = engine;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        engine.onWebSocketOpen(this);
    }

    @Override
    public void onWebSocketText(String text) {
        engine.onWebSocketText(this, text);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        engine.onWebSocketBinary(this);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        engine.onWebSocketClose(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("socket.io websocket error from {}: {}", remoteAddress(), cause.toString());
    }

    @Override
    public boolean writable() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public void write(List<String> packets) {
        Session s = session;
        for (String p : packets) {
            s.sendText(p, Callback.NOOP);
        }
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    /** A WebSocket ping, which keeps the connection's idle timer from firing (see {@code Connection.ping}). */
    void ping() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    String remoteAddress() {
        Session s = session;
        return address(s == null ? null : s.getRemoteSocketAddress());
    }

    static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress isa) {
            return isa.getAddress().getHostAddress() + ":" + isa.getPort();
        }
        return String.valueOf(a);
    }
}
