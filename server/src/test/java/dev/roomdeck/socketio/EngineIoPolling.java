package dev.roomdeck.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An Engine.IO long-polling client by hand: the handshake GET, then GETs and POSTs with the session id, each
 * payload framed as the revision says. Sees raw HTTP answers, so a test can check status, headers and bodies.
 */
final class EngineIoPolling {
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private final TestServer server;
    private final EngineIoVersion version;
    private final String origin;
    private final String sid;
    private final JsonNode open;
    private final HttpResponse<String> handshake;

    private EngineIoPolling(TestServer server, EngineIoVersion version, String origin, HttpResponse<String> handshake)
            throws Exception {
        this.server = server;
        this.version = version;
        this.origin = origin;
        this.handshake = handshake;
        if (handshake.statusCode() != 200) {
            throw new AssertionError("handshake answered " + handshake.statusCode() + ": " + handshake.body());
        }
        List<String> packets = Payload.decode(version, handshake.body());
        if (packets.size() != 1 || !packets.get(0).startsWith("0{")) {
            throw new AssertionError("the handshake is one open packet, not " + handshake.body());
        }
        this.open = TestServer.json(packets.get(0).substring(1));
        this.sid = open.get("sid").asText();
    }

    /** Opens a session: {@code GET /socket.io/?EIO=<3|4>&transport=polling<query>}. */
    static EngineIoPolling open(TestServer server, EngineIoVersion version, String query) throws Exception {
        return open(server, version, query, null);
    }

    static EngineIoPolling open(TestServer server, EngineIoVersion version, String query, String origin)
            throws Exception {
        return new EngineIoPolling(server, version, origin,
                send(request(server, "EIO=" + eio(version) + "&transport=polling" + query, origin).GET().build()));
    }

    static String eio(EngineIoVersion v) {
        return v == EngineIoVersion.V4 ? "4" : "3";
    }

    static HttpRequest.Builder request(TestServer server, String query, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/socket.io/?" + query))
                .timeout(java.time.Duration.ofSeconds(30));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b;
    }

    static HttpResponse<String> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    String sid() {
        return sid;
    }

    JsonNode openPacket() {
        return open;
    }

    HttpResponse<String> handshake() {
        return handshake;
    }

    private URI uri() {
        return server.http("/socket.io/?EIO=" + eio(version) + "&transport=polling&sid=" + sid + "&t=" + System.nanoTime());
    }

    private HttpRequest.Builder builder() {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri()).timeout(java.time.Duration.ofSeconds(30));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b;
    }

    /** A GET, as it is answered (it may wait for packets). */
    CompletableFuture<HttpResponse<String>> pollAsync() {
        return HTTP.sendAsync(builder().GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The packets of the next GET, which must be answered 200 within the test wait. */
    List<String> poll() throws Exception {
        return packets(pollAsync().get(TestServer.WAIT.toMillis() * 2, TimeUnit.MILLISECONDS));
    }

    List<String> packets(HttpResponse<String> r) throws Exception {
        if (r.statusCode() != 200) {
            throw new AssertionError("poll answered " + r.statusCode() + ": " + r.body());
        }
        return Payload.decode(version, r.body());
    }

    /** Polls until a packet starting with this prefix arrives; returns it. Packets before it are dropped. */
    String pollFor(String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String p : poll()) {
                if (p.startsWith(prefix)) {
                    return p;
                }
            }
        }
        throw new AssertionError("no packet starting with " + prefix);
    }

    /** POSTs these packets as one payload. */
    HttpResponse<String> post(String... packets) throws Exception {
        return postBody(Payload.encode(version, Arrays.asList(packets)));
    }

    HttpResponse<String> postBody(String body) throws Exception {
        return send(builder().header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** POSTs and checks the Engine.IO answer, {@code ok}. */
    void postOk(String... packets) throws Exception {
        HttpResponse<String> r = post(packets);
        if (r.statusCode() != 200 || !r.body().equals("ok")) {
            throw new AssertionError("post answered " + r.statusCode() + ": " + r.body());
        }
    }
}
