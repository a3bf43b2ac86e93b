package dev.roomdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The signalling half of RoomDeck's Java client: a WebSocket to /ws that sends envelopes and keeps every
 * received message in an inbox that callers wait on. Used by tests, the media client and the load generator.
 */
public final class SignalClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A received message; seq numbers messages in arrival order. */
    public record Received(String type, JsonNode data, JsonNode id, String raw, long seq) {
    }

    /** How the connection closed. */
    public record Closed(int code, String reason) {
    }

    private final WebSocketClient client;
    private final Listener listener = new Listener();
    private final List<Received> inbox = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private long received;
    private volatile Session session;

    private SignalClient(WebSocketClient client) {
        this.client = client;
    }

    public static SignalClient connect(URI uri) throws Exception {
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(4 * 1024 * 1024);
        ws.start();
        SignalClient c = new SignalClient(ws);
        try {
            c.session = ws.connect(c.listener, uri).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.stop();
            throw e;
        }
        return c;
    }

    public ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Sends {type, data, id} and returns the id (replies echo it). */
    public String send(String type, JsonNode data) {
        String id = "c" + nextId.getAndIncrement();
        ObjectNode env = JSON.createObjectNode();
        env.put("type", type);
        env.set("data", data);
        env.put("id", id);
        sendRaw(env.toString());
        return id;
    }

    /** Sends any text frame as it is (for tests of bad input). */
    public void sendRaw(String text) {
        session.sendText(text, Callback.NOOP);
    }

    public void sendBinary(byte[] bytes) {
        session.sendBinary(java.nio.ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** Waits for the first not-yet-taken message of this type and takes it out of the inbox. */
    public Received await(String type, Duration timeout) throws InterruptedException {
        return await(m -> m.type().equals(type), timeout, "a '" + type + "' message");
    }

    /** Waits for a message matching the predicate and takes it out of the inbox. */
    public Received await(Predicate<Received> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            while (true) {
                for (Iterator<Received> it = inbox.iterator(); it.hasNext(); ) {
                    Received m = it.next();
                    if (match.test(m)) {
                        it.remove();
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; inbox: " + types());
                }
                TimeUnit.NANOSECONDS.timedWait(inbox, left);
            }
        }
    }

    /** True if a message of this type arrives within the time (it stays in the inbox). */
    public boolean receivesWithin(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            while (true) {
                if (inbox.stream().anyMatch(m -> m.type().equals(type))) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(inbox, left);
            }
        }
    }

    public List<String> types() {
        synchronized (inbox) {
            return inbox.stream().map(Received::type).toList();
        }
    }

    public void clearInbox() {
        synchronized (inbox) {
            inbox.clear();
        }
    }

    public CompletableFuture<Closed> closed() {
        return closed;
    }

    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    /** Drops the TCP connection without a close handshake, as a crashed client would. */
    public void abort() {
        session.disconnect();
    }

    @Override
    public void close() throws Exception {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1000, "bye", Callback.NOOP);
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // The server may already be gone; stopping the client is what matters.
            }
        }
        client.stop();
    }

    /** Public because Jetty requires public listener classes. */
    public final class Listener implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            synchronized (inbox) {
                Received r;
                long seq = ++received;
                try {
                    JsonNode n = JSON.readTree(message);
                    r = new Received(n.path("type").asText(), n.get("data"), n.get("id"), message, seq);
                } catch (Exception e) {
                    r = new Received("<unparseable>", null, null, message, seq);
                }
                inbox.add(r);
                inbox.notifyAll();
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            synchronized (inbox) {
                inbox.notifyAll();
            }
        }
    }
}
