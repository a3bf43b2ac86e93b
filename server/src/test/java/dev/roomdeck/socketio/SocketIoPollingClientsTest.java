package dev.roomdeck.socketio;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.socketio.NodeClient.Flavour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real socket.io-client 2.x and 4.x on their default transports, as RTCEngine's SDKs connect: long-polling
 * first, then the upgrade to a WebSocket, with messages in flight across it; and on long-polling alone. They join
 * a room with a plain WebSocket peer and exchange messages; a page of a foreign origin is refused.
 */
class SocketIoPollingClientsTest {
    private TestServer server;
    private final List<NodeClient> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        NodeClient.assumeAvailable();
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (NodeClient n : nodes) {
            n.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private NodeClient node(Flavour flavour, String... flags) throws Exception {
        NodeClient n = NodeClient.start(flavour, server.http(""), flags);
        nodes.add(n);
        return n;
    }

    private static ObjectNode joinWithoutToken(String room, String user, String sdp) {
        ObjectNode d = TestServer.object();
        d.put("appkey", TestServer.APPKEY).put("room", room).put("user", user).put("planb", false).put("sdp", sdp);
        return d;
    }

    private static ObjectNode text(String text) {
        ObjectNode m = TestServer.object();
        m.putObject("data").put("text", text);
        return m;
    }

    private static JsonNode engine(NodeClient n, String what) throws InterruptedException {
        return n.await(l -> what.equals(l.path("engine").asText()), "engine " + what);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void defaultTransportsPollFirstUpgradeAndThenJoinAndTalkWithAWebSocketPeer(Flavour flavour) throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        NodeClient sio = node(flavour, "--token=" + server.token("r1", "sio"), "--transports=default");
        sio.awaitConnected();
        assertThat(engine(sio, "open").get("transport").asText()).isEqualTo("polling");
        assertThat(engine(sio, "upgrade").get("transport").asText()).isEqualTo("websocket");

        int ack = sio.emitWithAck("join", joinWithoutToken("r1", "sio", TestServer.offer("sio-cam")));
        JsonNode joined = sio.awaitEvent("joined");
        assertThat(sio.awaitAck(ack).get(0)).isEqualTo(joined);
        assertThat(alice.await("peerConnected", WAIT).data().at("/peer/id").asText()).isEqualTo("sio");
        JsonNode offer = sio.awaitEvent("offer");
        assertThat(offer.get("sdp").asText()).contains("a=msid:alice-cam");
        sio.emit("answer", TestServer.answerTo(new Received("offer", offer, null, null, 0)));

        sio.emit("message", text("hello from socket.io"));
        assertThat(alice.await("message", WAIT).data().at("/data/text").asText()).isEqualTo("hello from socket.io");
        alice.send("message", text("hello from /ws"));
        assertThat(sio.awaitEvent("message").at("/data/text").asText()).isEqualTo("hello from /ws");

        sio.disconnect();
        assertThat(alice.await(m -> m.type().equals("peerRemoved") && m.data().at("/peer/id").asText().equals("sio"),
                WAIT, "peerRemoved sio")).isNotNull();
        assertThat(sio.seen()).noneMatch(n -> n.has("connectError") || n.has("socketError")
                || n.path("event").asText().endsWith("error"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void messagesSentWhileTheClientUpgradesArriveOnceAndInOrderBothWays(Flavour flavour) throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        NodeClient sio = node(flavour, "--token=" + server.token("r1", "sio"), "--transports=default");
        // Emitted before the connection opens: the client sends them as soon as it can, over polling or while
        // it upgrades, and alice answers each at once, so traffic runs both ways through the upgrade.
        int count = 30;
        sio.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        for (int i = 0; i < count; i++) {
            sio.emit("message", text("s" + i));
        }
        alice.await("peerConnected", WAIT);
        for (int i = 0; i < count; i++) {
            assertThat(alice.await("message", WAIT).data().at("/data/text").asText()).isEqualTo("s" + i);
            alice.send("message", text("a" + i));
        }
        for (int i = 0; i < count; i++) {
            assertThat(sio.awaitEvent("message").at("/data/text").asText()).isEqualTo("a" + i);
        }
        assertThat(engine(sio, "upgrade").get("transport").asText()).isEqualTo("websocket");
        assertThat(sio.seesWithin(n -> "message".equals(n.path("event").asText()), Duration.ofMillis(300))).isFalse();
        assertThat(alice.receivesWithin("message", Duration.ofMillis(300))).isFalse();
        CloseCheck.noErrors(sio);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void onLongPollingAloneTheHeartbeatKeepsTheClientAndTheServerCloseReachesIt(Flavour flavour) throws Exception {
        server.close();
        // Idle timeout 3 s: ping interval and timeout 1 s each, so a few seconds cover several heartbeats.
        server = TestServer.start(c -> c.withLimits(new ServerConfig.Limits(256 * 1024, 50, 32, 64, 10_000, 3, 30)));
        SignalClient bob = server.joinWatching("r1", "bob");
        NodeClient sio = node(flavour, "--token=" + server.token("r1", "sio"), "--transports=polling", "--reconnect");
        sio.awaitConnected();
        sio.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        sio.awaitEvent("joined");
        bob.await("peerConnected", WAIT);

        Thread.sleep(3500);
        String beat = flavour == Flavour.SIO2 ? "pong" : "ping";
        assertThat(sio.seen().stream().filter(n -> beat.equals(n.path("engine").asText())).count())
                .isGreaterThanOrEqualTo(2);
        assertThat(sio.seen()).noneMatch(n -> n.has("disconnected") || n.path("engine").asText().equals("upgrade"));
        bob.send("message", text("still there?"));
        assertThat(sio.awaitEvent("message").at("/data/text").asText()).isEqualTo("still there?");

        server.server().admin().kick("r1", "sio", "The meeting is over.");
        assertThat(sio.awaitEvent("leave").get("reason").asText()).isEqualTo("kicked");
        assertThat(sio.await(n -> n.has("disconnected"), "disconnect").get("disconnected").asText())
                .isEqualTo("io server disconnect");
        assertThat(sio.seesWithin(n -> n.has("reconnecting") || n.has("connected"), Duration.ofMillis(1500))).isFalse();
        assertThat(bob.await("peerRemoved", WAIT).data().at("/peer/id").asText()).isEqualTo("sio");
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBinaryEventPostedOverPollingIsRefusedInItsAcknowledgementAndTheSessionGoesOn(Flavour flavour)
            throws Exception {
        SignalClient bob = server.joinWatching("r1", "bob");
        NodeClient sio = node(flavour, "--token=" + server.token("r1", "sio"), "--transports=polling");
        sio.awaitConnected();
        sio.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        sio.awaitEvent("joined");

        int ack = sio.emitBinaryWithAck("message");
        assertThat(sio.awaitAck(ack).get(0).get("code").asText()).isEqualTo("binary-not-supported");
        sio.emit("message", text("after the binary"));
        assertThat(bob.await("message", WAIT).data().at("/data/text").asText()).isEqualTo("after the binary");
        CloseCheck.noErrorsBut(sio, flavour == Flavour.SIO4 ? "error" : null);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aPageOfAnAllowedOriginConnectsAndOneOfAForeignOriginIsRefused(Flavour flavour) throws Exception {
        NodeClient lan = node(flavour, "--transports=default", "--origin=http://localhost:3000");
        lan.awaitConnected();
        assertThat(engine(lan, "upgrade").get("transport").asText()).isEqualTo("websocket");

        NodeClient foreign = node(flavour, "--transports=default", "--origin=https://evil.example");
        foreign.await(n -> n.has("connectError"), "connect_error");
        assertThat(foreign.seen()).noneMatch(n -> n.has("connected"));
    }

    /** What a healthy session never shows. */
    private static final class CloseCheck {
        static void noErrors(NodeClient n) {
            noErrorsBut(n, null);
        }

        /**
         * The same, allowing error events of this name: socket.io-client 4 gets refusals as error events too (and
         * client.js's error listener sees them).
         */
        static void noErrorsBut(NodeClient n, String allowedEvent) {
            boolean errorEvents = "error".equals(allowedEvent);
            assertThat(n.seen()).noneMatch(l -> l.has("connectError") || l.has("disconnected")
                    || (l.has("socketError") && !errorEvents)
                    || (l.path("event").asText().endsWith("error") && !l.path("event").asText().equals(allowedEvent)));
        }
    }
}
