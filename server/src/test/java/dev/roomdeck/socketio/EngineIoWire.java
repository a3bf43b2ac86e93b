package dev.roomdeck.socketio;

import dev.roomdeck.TestServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A bare WebSocket to /socket.io/ that speaks Engine.IO by hand and sees every text frame in arrival order. */
public final class EngineIoWire implements AutoCloseable {
    private final WebSocketClient client;
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private Session session;

    private EngineIoWire(WebSocketClient client) {
        this.client = client;
    }

    /** Opens {@code ws://.../socket.io/?<query>}. */
    static EngineIoWire open(TestServer server, String query) throws Exception {
        return open(server, query, null);
    }

    /** Opens {@code ws://.../socket.io/?<query>} as a page of this origin would (null: no Origin header). */
    static EngineIoWire open(TestServer server, String query, String origin) throws Exception {
        WebSocketClient ws = new WebSocketClient();
        ws.start();
        EngineIoWire w = new EngineIoWire(ws);
        URI uri = URI.create(server.ws().toString().replace("/ws", "/socket.io/?" + query));
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest(uri);
        if (origin != null) {
            upgrade.setHeader("Origin", origin);
        }
        try {
            w.session = ws.connect(w.new Listener(), upgrade).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.stop();
            throw e;
        }
        return w;
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    void sendBinary(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** The next frame, whatever it is. */
    String next() throws InterruptedException {
        String f = frames.poll(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + TestServer.WAIT);
        }
        return f;
    }

    /** The next frame, which must start with this prefix. */
    String expect(String prefix) throws InterruptedException {
        String f = next();
        if (!f.startsWith(prefix)) {
            throw new AssertionError("expected a frame starting with " + prefix + " but got " + f);
        }
        return f;
    }

    /** Null if no frame arrives within the time. */
    String poll(Duration d) throws InterruptedException {
        return frames.poll(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() throws Exception {
        if (session != null && session.isOpen()) {
            session.close(1000, "bye", Callback.NOOP);
        }
        client.stop();
    }

    /** Public because Jetty requires public listener classes. */
    public final class Listener implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            frames.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            closed.complete(-1); // a refused upgrade: the test sees it from connect
        }
    }
}
