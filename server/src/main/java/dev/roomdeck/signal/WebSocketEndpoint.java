package dev.roomdeck.signal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Jetty WebSocket at /ws: one instance per connection, feeding a {@link SignalSession}. */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding, Connection {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);

    private final SignalServices services;
    private volatile Session session;
    private volatile SignalSession signal;

    public WebSocketEndpoint(SignalServices services) {
        this.services = services;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.signal = new SignalSession(services, this, null);
    }

    @Override
    public void onWebSocketText(String message) {
        signal.onText(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        signal.onBinary();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        SignalSession s = signal;
        if (s != null) {
            s.onClosed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Oversized frames, protocol violations and abrupt disconnects land here; the close follows.
        LOG.debug("websocket error from {}: {}", remoteAddress(), cause.toString());
    }

    @Override
    public void sendText(String text) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(text, Callback.NOOP);
        }
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public String remoteAddress() {
        Session s = session;
        SocketAddress a = s == null ? null : s.getRemoteSocketAddress();
        if (a instanceof InetSocketAddress isa) {
            return isa.getAddress().getHostAddress() + ":" + isa.getPort();
        }
        return String.valueOf(a);
    }
}
