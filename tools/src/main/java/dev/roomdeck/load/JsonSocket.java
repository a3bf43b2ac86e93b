package dev.roomdeck.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JSON-over-WebSocket connection on the JDK's HTTP client, one client (and its small thread pool) shared by
 * every connection of the generator: a thousand peers must not mean a thousand client thread pools. Received
 * messages go to a listener if one is set, else to an inbox that callers wait on.
 */
final class JsonSocket implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "load-signalling");
                t.setDaemon(true);
                return t;
            }))
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A received message and its place in arrival order. */
    record Message(JsonNode json, long seq) {
    }

    private final List<Message> inbox = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Consumer<Message> listener;
    private long received;
    private WebSocket socket;
    private CompletableFuture<WebSocket> sending;
    private volatile boolean closed;
    private volatile String closeReason = "";

    private JsonSocket() {
    }

    static JsonSocket connect(URI uri, String subprotocol) throws Exception {
        JsonSocket s = new JsonSocket();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocol != null) {
            b.subprotocols(subprotocol);
        }
        s.socket = b.buildAsync(uri, s.new Listener()).get(10, TimeUnit.SECONDS);
        s.sending = CompletableFuture.completedFuture(s.socket);
        return s;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Queues a text frame; frames go out in call order (the JDK socket takes one send at a time). */
    void send(JsonNode message) {
        String text = message.toString();
        synchronized (this) {
            if (closed) {
                return;
            }
            sending = sending.thenCompose(ws -> ws.sendText(text, true));
        }
    }

    /** From now on messages go to this listener (called on a signalling thread; must not block long). */
    void listen(Consumer<Message> l) {
        List<Message> pending;
        synchronized (inbox) {
            listener = l;
            pending = new ArrayList<>(inbox);
            inbox.clear();
        }
        pending.forEach(l);
    }

    /** Waits for the first message that matches and takes it out of the inbox. */
    Message await(Predicate<JsonNode> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            while (true) {
                for (Iterator<Message> it = inbox.iterator(); it.hasNext(); ) {
                    Message m = it.next();
                    if (match.test(m.json())) {
                        it.remove();
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new IllegalStateException("no " + what + " within " + timeout.toMillis() + " ms"
                            + (closed ? " (connection closed" + closeReason + ")" : "") + "; inbox: " + inbox);
                }
                TimeUnit.NANOSECONDS.timedWait(inbox, left);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            sending.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
        socket.abort();
    }

    private void deliver(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        Consumer<Message> l;
        Message m;
        synchronized (inbox) {
            m = new Message(json, ++received);
            l = listener;
            if (l == null) {
                inbox.add(m);
                inbox.notifyAll();
                return;
            }
        }
        l.accept(m);
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                deliver(text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason = ": " + statusCode + " " + reason;
            closed = true;
            synchronized (inbox) {
                inbox.notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeReason = ": " + error;
            closed = true;
            synchronized (inbox) {
                inbox.notifyAll();
            }
        }
    }
}
