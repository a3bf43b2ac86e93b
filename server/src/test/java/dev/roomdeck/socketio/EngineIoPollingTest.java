package dev.roomdeck.socketio;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.signal.CloseCodes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Engine.IO long-polling on /socket.io/, request by request, for both revisions: the handshake, GETs that wait
 * for packets, POSTs, the heartbeat, the probe and upgrade to a WebSocket with nothing lost or doubled, closing,
 * the Engine.IO errors, and CORS for browser pages.
 */
class EngineIoPollingTest {
    private static final ServerConfig.Limits FAST_HEARTBEAT =
            new ServerConfig.Limits(256 * 1024, 50, 32, 64, 10_000, 3, 30); // ping interval and timeout 1 s
    private static final String LAN_PAGE = "http://192.168.1.20:8080";
    private static final String FOREIGN_PAGE = "https://evil.example";
    private TestServer server;
    private final List<EngineIoWire> wires = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (EngineIoWire w : wires) {
            w.close();
        }
        server.close();
    }

    private void restartWithFastHeartbeat() throws Exception {
        server.close();
        server = TestServer.start(c -> c.withLimits(FAST_HEARTBEAT));
    }

    private EngineIoWire wire(String query) throws Exception {
        EngineIoWire w = EngineIoWire.open(server, query);
        wires.add(w);
        return w;
    }

    /** A polling session with the default namespace connected. */
    private EngineIoPolling connected(EngineIoVersion v, String query) throws Exception {
        EngineIoPolling p = EngineIoPolling.open(server, v, query);
        if (v == EngineIoVersion.V4) {
            p.postOk("40");
            assertThat(p.poll()).singleElement().asString().startsWith("40{");
        } else {
            assertThat(p.poll()).containsExactly("40");
        }
        return p;
    }

    /** A polling session joined to the room as this user, with the token in the query as RTCEngine's SDKs send it. */
    private EngineIoPolling joined(EngineIoVersion v, String room, String user) throws Exception {
        EngineIoPolling p = connected(v, "&token=" + server.token(room, user));
        ObjectNode join = server.joinData(room, user, TestServer.emptyOffer());
        join.remove("token");
        p.postOk("421[\"join\"," + join + "]");
        List<String> got = new ArrayList<>();
        while (got.stream().noneMatch(s -> s.startsWith("431["))) {
            for (String packet : p.poll()) {
                if (packet.equals("2") && v == EngineIoVersion.V4) {
                    p.postOk("3"); // a heartbeat while joining (tests with a fast one)
                } else {
                    got.add(packet);
                }
            }
        }
        assertThat(got.get(0)).startsWith("42[\"joined\",");
        return p;
    }

    private static String message(String text) {
        return "42[\"message\",{\"data\":{\"text\":" + Json.quote(text) + "}}]";
    }

    private static void say(SignalClient c, String text) {
        ObjectNode m = c.object();
        m.putObject("data").put("text", text);
        c.send("message", m);
    }

    private static String heard(SignalClient c) throws Exception {
        return c.await("message", WAIT).data().at("/data/text").asText();
    }

    /** The text of a message event from a peer, or null for any other packet. */
    private static String text(String packet) throws Exception {
        if (!packet.startsWith("42[\"message\",")) {
            return null;
        }
        return TestServer.json(packet.substring(2)).at("/1/data/text").asText();
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        return TestServer.json(r.body());
    }

    // ---- handshake ----

    @Test
    void engineIo4HandshakeByPollingOffersTheWebSocketUpgradeAndTheHeartbeat() throws Exception {
        EngineIoPolling p = EngineIoPolling.open(server, EngineIoVersion.V4, "");

        assertThat(p.handshake().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(p.handshake().body()).startsWith("0{"); // one packet: no separator, no length
        JsonNode open = p.openPacket();
        assertThat(open.get("sid").asText()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(open.get("pingInterval").asLong()).isEqualTo(20_000);
        assertThat(open.get("pingTimeout").asLong()).isEqualTo(20_000);
        assertThat(open.get("maxPayload").asLong()).isEqualTo(256 * 1024);

        p.postOk("40");
        JsonNode connect = TestServer.json(p.poll().get(0).substring(2));
        assertThat(connect.get("sid").asText()).isNotBlank().isNotEqualTo(p.sid());
    }

    @Test
    void engineIo3HandshakeIsLengthPrefixedAndTheServerConnectsTheNamespaceItself() throws Exception {
        EngineIoPolling p = EngineIoPolling.open(server, EngineIoVersion.V3, "");

        String body = p.handshake().body();
        int colon = body.indexOf(':');
        assertThat(Integer.parseInt(body.substring(0, colon))).isEqualTo(body.length() - colon - 1);
        assertThat(body.substring(colon + 1)).startsWith("0{");
        assertThat(p.openPacket().get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(p.openPacket().has("maxPayload")).isFalse();

        assertThat(p.poll()).containsExactly("40");
        p.postOk("2"); // Engine.IO 3: the client pings, over whichever transport is current
        assertThat(p.poll()).containsExactly("3");
    }

    // ---- GET and POST ----

    @ParameterizedTest
    @EnumSource(EngineIoVersion.class)
    void aPollWaitsForPacketsAndThePacketsOfAPostAreHandledInOrder(EngineIoVersion v) throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        EngineIoPolling p = joined(v, "r1", "sio");
        alice.await("peerConnected", WAIT);

        CompletableFuture<HttpResponse<String>> waiting = p.pollAsync();
        Thread.sleep(300);
        assertThat(waiting).as("an empty queue holds the GET").isNotDone();
        say(alice, "hello");
        List<String> got = p.packets(waiting.get(5, TimeUnit.SECONDS));
        assertThat(got).hasSize(1);
        assertThat(text(got.get(0))).isEqualTo("hello");
        assertThat(TestServer.json(got.get(0).substring(2)).at("/1/from").asText()).isEqualTo("alice");

        p.postOk(message("c1"), message("c2"), message("c3"));
        assertThat(List.of(heard(alice), heard(alice), heard(alice))).containsExactly("c1", "c2", "c3");

        // Lengths count UTF-16 code units on Engine.IO 3: text beyond ASCII and the BMP frames right both ways.
        String wide = "grüße ☃ 😀";
        p.postOk(message(wide), message("after"));
        assertThat(List.of(heard(alice), heard(alice))).containsExactly(wide, "after");
        say(alice, wide);
        say(alice, "after");
        List<String> texts = new ArrayList<>();
        while (texts.size() < 2) {
            for (String packet : p.poll()) {
                texts.add(text(packet));
            }
        }
        assertThat(texts).containsExactly(wide, "after");
    }

    @Test
    void aWaitingPollIsReleasedWithANoopAfterThePingInterval() throws Exception {
        restartWithFastHeartbeat();
        EngineIoPolling p = connected(EngineIoVersion.V3, ""); // the client pings: nothing else ends the wait
        long t0 = System.nanoTime();
        assertThat(p.poll()).containsExactly("6");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(700L, 2500L);
    }

    @ParameterizedTest
    @EnumSource(EngineIoVersion.class)
    void theHeartbeatRunsOverPollingAndASilentSessionIsEndedAndLeavesItsRoom(EngineIoVersion v) throws Exception {
        restartWithFastHeartbeat();
        SignalClient bystander = server.joinWatching("r1", "bystander");
        EngineIoPolling p = joined(v, "r1", "sio");
        bystander.await("peerConnected", WAIT);

        for (int beat = 0; beat < 3; beat++) {
            if (v == EngineIoVersion.V4) {
                assertThat(p.pollFor("2")).isEqualTo("2"); // the server pings every interval (1 s)
                p.postOk("3");
            } else {
                p.postOk("2"); // the client pings; the server answers on the current transport
                assertThat(p.pollFor("3")).isEqualTo("3");
                Thread.sleep(800);
            }
        }
        assertThat(bystander.receivesWithin("peerRemoved", Duration.ofMillis(200))).isFalse();

        // Silence: gone after the timeout, and its room is told.
        assertThat(bystander.await("peerRemoved", Duration.ofSeconds(5)).data().at("/peer/id").asText())
                .isEqualTo("sio");
        HttpResponse<String> late = p.pollAsync().get(5, TimeUnit.SECONDS);
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(error(late).get("code").asInt()).isEqualTo(1);
    }

    // ---- upgrade ----

    @ParameterizedTest
    @EnumSource(EngineIoVersion.class)
    void theUpgradeDeliversEveryPacketOnceAndInOrderBothWays(EngineIoVersion v) throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        EngineIoPolling p = joined(v, "r1", "sio");
        alice.await("peerConnected", WAIT);
        List<String> received = new ArrayList<>();

        CompletableFuture<HttpResponse<String>> waiting = p.pollAsync();
        say(alice, "m0");
        for (String packet : p.packets(waiting.get(5, TimeUnit.SECONDS))) {
            received.add(text(packet));
        }

        waiting = p.pollAsync();
        Thread.sleep(200);
        EngineIoWire ws = wire("EIO=" + EngineIoPolling.eio(v) + "&transport=websocket&sid=" + p.sid());
        assertThat(ws.poll(Duration.ofMillis(300))).as("nothing on the probe before the client speaks").isNull();
        ws.send("2probe");
        assertThat(ws.next()).isEqualTo("3probe");
        // The waiting GET is released with a noop, and a GET while upgrading is not held, so the client can pause.
        assertThat(p.packets(waiting.get(2, TimeUnit.SECONDS))).containsExactly("6");
        long t0 = System.nanoTime();
        assertThat(p.poll()).containsExactly("6");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);

        // Before the upgrade packet: the server queues for the client, the client posts what it has.
        say(alice, "m1");
        say(alice, "m2");
        p.postOk(message("c1"));
        assertThat(heard(alice)).isEqualTo("c1");
        Thread.sleep(300);
        assertThat(ws.poll(Duration.ZERO)).as("the probe carries nothing but the probe").isNull();

        ws.send("5");
        say(alice, "m3");
        while (received.size() < 4) {
            received.add(text(ws.next()));
        }
        assertThat(received).containsExactly("m0", "m1", "m2", "m3");
        ws.send(message("c2"));
        assertThat(heard(alice)).isEqualTo("c2");
        assertThat(ws.poll(Duration.ofMillis(300))).isNull();

        // The WebSocket is the transport now: polling with the session is refused, the heartbeat runs over it.
        assertThat(p.pollAsync().get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        assertThat(p.post(message("late")).statusCode()).isEqualTo(400);
        if (v == EngineIoVersion.V3) {
            ws.send("2");
            assertThat(ws.next()).isEqualTo("3");
        }
        assertThat(alice.types()).doesNotContain("message");

        server.server().admin().kick("r1", "sio", "bye");
        assertThat(TestServer.json(ws.expect("42[\"leave\",").substring(2)).at("/1/reason").asText())
                .isEqualTo("kicked");
        assertThat(ws.next()).isEqualTo("41");
        assertThat(ws.closed().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.KICKED);
    }

    @Test
    void aProbeThatFailsLeavesTheSessionPollingAndASecondProbeWaitsForTheFirst() throws Exception {
        EngineIoPolling p = connected(EngineIoVersion.V4, "");
        EngineIoWire probe = wire("EIO=4&transport=websocket&sid=" + p.sid());
        assertThatThrownBy(() -> wire("EIO=4&transport=websocket&sid=" + p.sid())).hasStackTraceContaining("400");
        probe.send("hello"); // anything but the probe or the upgrade ends the probe, not the session
        assertThat(probe.closed().get(5, TimeUnit.SECONDS)).isEqualTo(1002);

        p.postOk("42[\"leave\"]");
        assertThat(p.pollFor("42[\"error\",")).contains("not-joined");
    }

    // ---- closing ----

    @ParameterizedTest
    @EnumSource(EngineIoVersion.class)
    void aServerCloseOverPollingIsTheLeaveEventTheDisconnectAndTheEngineIoClose(EngineIoVersion v) throws Exception {
        SignalClient bystander = server.joinWatching("r1", "bystander");
        EngineIoPolling p = joined(v, "r1", "sio");
        bystander.await("peerConnected", WAIT);

        server.server().admin().kick("r1", "sio", "The meeting is over.");

        List<String> got = new ArrayList<>();
        while (!got.contains("1")) {
            got.addAll(p.poll());
        }
        assertThat(got).hasSize(3);
        assertThat(TestServer.json(got.get(0).substring(2)).at("/1/reason").asText()).isEqualTo("kicked");
        assertThat(got.subList(1, 3)).containsExactly("41", "1");
        assertThat(bystander.await("peerRemoved", WAIT).data().at("/peer/id").asText()).isEqualTo("sio");
        Thread.sleep(200);
        assertThat(error(p.pollAsync().get(5, TimeUnit.SECONDS)).get("code").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EngineIoVersion.class)
    void aClientDisconnectOverPollingLeavesTheRoomAtOnce(EngineIoVersion v) throws Exception {
        SignalClient bystander = server.joinWatching("r1", "bystander");
        EngineIoPolling p = joined(v, "r1", "sio");
        bystander.await("peerConnected", WAIT);
        CompletableFuture<HttpResponse<String>> waiting = p.pollAsync();
        Thread.sleep(200);

        p.postOk("41", "1"); // what socket.disconnect() sends: the Socket.IO, then the Engine.IO close

        assertThat(bystander.await("peerRemoved", WAIT).data().at("/peer/id").asText()).isEqualTo("sio");
        assertThat(p.packets(waiting.get(5, TimeUnit.SECONDS))).containsExactly("1");
    }

    // ---- errors ----

    @Test
    void requestsThisServerDoesNotServeGetEngineIoErrors() throws Exception {
        assertThat(refusal("EIO=4&transport=flash", "GET")).isEqualTo(0);
        assertThat(refusal("EIO=5&transport=polling", "GET")).isEqualTo(5);
        assertThat(refusal("EIO=4&transport=polling&sid=nope", "GET")).isEqualTo(1);
        assertThat(refusal("EIO=4&transport=polling&sid=nope", "POST")).isEqualTo(1);
        assertThat(refusal("EIO=4&transport=polling", "POST")).isEqualTo(2);
        assertThat(refusal("EIO=3&transport=polling&j=0", "GET")).isEqualTo(3);
        assertThat(refusal("EIO=4&transport=websocket", "GET")).isEqualTo(3); // not an upgrade
        assertThatThrownBy(() -> wire("EIO=4&transport=websocket&sid=nope")).hasStackTraceContaining("400");

        // A body that is not a payload ends its session.
        EngineIoPolling p3 = connected(EngineIoVersion.V3, "");
        HttpResponse<String> bad = p3.postBody("x:40");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(error(bad).get("code").asInt()).isEqualTo(3);
        Thread.sleep(200);
        assertThat(error(p3.pollAsync().get(5, TimeUnit.SECONDS)).get("code").asInt()).isEqualTo(1);

        // One GET at a time: an overlapping one is refused and the session ends (the waiting GET gets the close).
        EngineIoPolling p4 = connected(EngineIoVersion.V4, "");
        CompletableFuture<HttpResponse<String>> waiting = p4.pollAsync();
        Thread.sleep(200);
        assertThat(p4.pollAsync().get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        assertThat(p4.packets(waiting.get(5, TimeUnit.SECONDS))).containsExactly("1");

        // More than maxPayload in one POST.
        EngineIoPolling big = connected(EngineIoVersion.V4, "");
        HttpResponse<String> tooBig = big.post(message("x".repeat(300 * 1024)));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(server.server().admin().snapshot().rooms()).isEmpty();
    }

    private int refusal(String query, String method) throws Exception {
        HttpRequest.Builder b = EngineIoPolling.request(server, query, null);
        HttpResponse<String> r = EngineIoPolling.send(method.equals("GET") ? b.GET().build()
                : b.POST(HttpRequest.BodyPublishers.ofString("1:6")).build());
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return error(r).get("code").asInt();
    }

    @Test
    void engineIo3ClientsGetRefusalsInTheAckOrAsRoomdeckErrorNeverAsAnErrorEvent() throws Exception {
        EngineIoPolling p = connected(EngineIoVersion.V3, "");
        p.postOk("421[\"subscribeEverything\",{}]");
        List<String> got = p.poll();
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).startsWith("431[");
        assertThat(TestServer.json(got.get(0).substring(3)).at("/0/code").asText()).isEqualTo("unknown-type");

        p.postOk("42[\"leave\"]");
        String event = p.pollFor("42[");
        assertThat(event).startsWith("42[\"roomdeck-error\",");
        assertThat(TestServer.json(event.substring(2)).at("/1/code").asText()).isEqualTo("not-joined");
    }

    // ---- CORS and Origin ----

    @Test
    void pagesFromAnAllowedOriginGetTheirOriginBackWithCredentials() throws Exception {
        HttpResponse<String> preflight = EngineIoPolling.send(EngineIoPolling.request(server, "EIO=4&transport=polling",
                        "http://localhost:5173")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .header("Access-Control-Request-Private-Network", "true").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Private-Network")).hasValue("true");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("GET", "POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("content-type");
        assertThat(preflight.headers().allValues("Vary")).anyMatch(s -> s.contains("Origin"));

        EngineIoPolling p = EngineIoPolling.open(server, EngineIoVersion.V4, "", LAN_PAGE);
        assertCors(p.handshake(), LAN_PAGE);
        assertCors(p.post("40"), LAN_PAGE);
        HttpResponse<String> poll = p.pollAsync().get(5, TimeUnit.SECONDS);
        assertCors(poll, LAN_PAGE);
        assertThat(poll.body()).startsWith("40{");

        // Not a browser page (no Origin): served, without CORS headers.
        EngineIoPolling app = EngineIoPolling.open(server, EngineIoVersion.V4, "");
        assertThat(app.handshake().headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private static void assertCors(HttpResponse<String> r, String origin) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.headers().allValues("Vary")).anyMatch(s -> s.contains("Origin"));
    }

    /** The server's own pages (the Origin is the address the request went to) pass whatever allowedOrigins says. */
    @Test
    void theServersOwnPagesPassEvenWhenNoOtherOriginIsAllowed() throws Exception {
        server.close();
        server = TestServer.start(c -> c.withApps(new dev.roomdeck.config.ServerConfig.Apps(java.util.List.of(), null,
                java.util.List.of(), "all")));
        String own = "http://127.0.0.1:" + server.server().httpPort();
        EngineIoPolling p = EngineIoPolling.open(server, EngineIoVersion.V4, "", own);
        assertCors(p.handshake(), own);

        HttpResponse<String> otherPort = EngineIoPolling.send(
                EngineIoPolling.request(server, "EIO=4&transport=polling", "http://127.0.0.1:5173").GET().build());
        assertThat(otherPort.statusCode()).isEqualTo(403);
    }

    @Test
    void aPageFromAForeignOriginIsRefusedOnTheHandshakeThePreflightAndTheUpgrade() throws Exception {
        HttpResponse<String> handshake = EngineIoPolling.send(
                EngineIoPolling.request(server, "EIO=3&transport=polling", FOREIGN_PAGE).GET().build());
        assertThat(handshake.statusCode()).isEqualTo(403);
        assertThat(error(handshake).get("code").asInt()).isEqualTo(4);
        assertThat(error(handshake).get("message").asText()).isEqualTo("Forbidden");
        assertThat(handshake.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> preflight = EngineIoPolling.send(EngineIoPolling.request(server, "EIO=4&transport=polling",
                FOREIGN_PAGE).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST").build());
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        assertThatThrownBy(() -> EngineIoWire.open(server, "EIO=4&transport=websocket", FOREIGN_PAGE))
                .hasStackTraceContaining("403");
        assertThatThrownBy(() -> EngineIoWire.open(server, "EIO=4&transport=websocket", "null"))
                .hasStackTraceContaining("403");
        EngineIoPolling p = EngineIoPolling.open(server, EngineIoVersion.V4, "");
        assertThatThrownBy(() -> EngineIoWire.open(server, "EIO=4&transport=websocket&sid=" + p.sid(), FOREIGN_PAGE))
                .hasStackTraceContaining("403");

        // The same upgrade from a LAN page is served.
        EngineIoWire lan = EngineIoWire.open(server, "EIO=4&transport=websocket", LAN_PAGE);
        wires.add(lan);
        assertThat(lan.next()).startsWith("0{");
    }
}
