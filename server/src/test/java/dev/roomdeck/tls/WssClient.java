package dev.roomdeck.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A signalling client over wss:// that trusts exactly the certificates it is given, as a browser that accepted them. */
public final class WssClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Closed(int code, String reason) {
    }

    private final WebSocketClient client;
    private final List<JsonNode> inbox = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private Session session;

    private WssClient(WebSocketClient client) {
        this.client = client;
    }

    public static WssClient connect(URI wss, SslContextFactory.Client trust) throws Exception {
        HttpClient http = new HttpClient();
        http.setSslContextFactory(trust);
        WebSocketClient ws = new WebSocketClient(http);
        ws.start();
        WssClient c = new WssClient(ws);
        try {
            c.session = ws.connect(c.new Listener(), wss).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.stop();
            throw e;
        }
        return c;
    }

    public void send(String type, JsonNode data) {
        ObjectNode env = JSON.createObjectNode();
        env.put("type", type);
        env.set("data", data);
        env.put("id", "c1");
        session.sendText(env.toString(), Callback.NOOP);
    }

    /** The first message of this type (its whole envelope), waiting up to the timeout. */
    public JsonNode await(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            while (true) {
                for (JsonNode m : inbox) {
                    if (type.equals(m.path("type").asText())) {
                        inbox.remove(m);
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no '" + type + "' within " + timeout + "; got " + inbox);
                }
                TimeUnit.NANOSECONDS.timedWait(inbox, left);
            }
        }
    }

    public Closed awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        if (session != null && session.isOpen()) {
            session.close(1000, "bye", Callback.NOOP);
        }
        client.stop();
    }

    /** Public: Jetty requires public listener classes. */
    public final class Listener implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            try {
                JsonNode n = JSON.readTree(message);
                synchronized (inbox) {
                    inbox.add(n);
                    inbox.notifyAll();
                }
            } catch (Exception ignored) {
                // the server sends JSON only; a test would see the missing message
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // A refused handshake or a closed connection: connect() or awaitClose() reports it.
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
        }
    }
}
