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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Apps on RTCEngine's SDKs (socket.io-client 2.x) and on current Socket.IO clients (4.x) connect unchanged:
 * real clients from npm, run by Node, join through /socket.io/ with the token in the query and share a room
 * with plain WebSocket clients. Every message is the event of the same name with the same data, except that
 * socket.io-client 2.x gets refusals in the acknowledgement or as {@code roomdeck-error}, never as {@code error}.
 * These clients use the websocket transport only; SocketIoPollingClientsTest runs them on their default transports.
 */
class SocketIoClientsTest {
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

    private URI base() {
        return server.http("");
    }

    private NodeClient node(Flavour flavour, String... flags) throws Exception {
        NodeClient n = NodeClient.start(flavour, base(), flags);
        nodes.add(n);
        n.awaitConnected();
        return n;
    }

    /** join's data as an RTCEngine SDK sends it when the token travels in the query: no token field. */
    private static ObjectNode joinWithoutToken(String room, String user, String sdp) {
        ObjectNode d = TestServer.object();
        d.put("appkey", TestServer.APPKEY).put("room", room).put("user", user).put("planb", false).put("sdp", sdp);
        return d;
    }

    private NodeClient joined(Flavour flavour, String room, String user, String sdp) throws Exception {
        NodeClient n = node(flavour, "--token=" + server.token(room, user));
        n.emit("join", joinWithoutToken(room, user, sdp));
        n.awaitEvent("joined");
        return n;
    }

    private static List<String> peerIds(JsonNode room) {
        return StreamSupport.stream(room.get("peers").spliterator(), false).map(p -> p.get("id").asText()).toList();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void joinWithTheQueryTokenIsAnsweredThroughTheAckAndAsTheJoinedEvent(Flavour flavour) throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        NodeClient sio = node(flavour, "--token=" + server.token("r1", "sio"));

        int ack = sio.emitWithAck("join", joinWithoutToken("r1", "sio", TestServer.offer("sio-cam")));

        JsonNode joined = sio.awaitEvent("joined");
        assertThat(joined.get("sdp").asText()).startsWith("v=0");
        assertThat(peerIds(joined.get("room"))).containsExactlyInAnyOrder("alice", "sio");
        JsonNode ackArgs = sio.awaitAck(ack);
        assertThat(ackArgs).hasSize(1);
        assertThat(ackArgs.get(0)).isEqualTo(joined);

        Received connected = alice.await("peerConnected", WAIT);
        assertThat(connected.data().at("/peer/id").asText()).isEqualTo("sio");
        assertThat(connected.data().at("/peer/streams/0/id").asText()).isEqualTo("sio-cam");

        // alice's stream reaches the Socket.IO client through a server offer, answered like on /ws.
        JsonNode offer = sio.awaitEvent("offer");
        assertThat(offer.get("sdp").asText()).contains("a=msid:alice-cam");
        sio.emit("answer", TestServer.answerTo(new Received("offer", offer, null, null, 0)));
        assertThat(sio.seesWithin(n -> n.path("event").asText().endsWith("error"), Duration.ofMillis(500))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void messageAndConfigureFlowBothWaysWithAPlainWebSocketPeer(Flavour flavour) throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        NodeClient sio = joined(flavour, "r1", "sio", TestServer.offer("sio-cam"));
        alice.await("peerConnected", WAIT);

        ObjectNode hello = TestServer.object();
        hello.putObject("data").put("text", "hello from socket.io").putArray("n").add(1).add(2);
        sio.emit("message", hello);
        Received m = alice.await("message", WAIT);
        assertThat(m.data().get("from").asText()).isEqualTo("sio");
        assertThat(m.data().at("/data/text").asText()).isEqualTo("hello from socket.io");
        assertThat(m.data().at("/data/n/1").asInt()).isEqualTo(2);

        ObjectNode back = alice.object();
        back.putObject("data").put("text", "hello from /ws");
        alice.send("message", back);
        JsonNode got = sio.awaitEvent("message");
        assertThat(got.get("from").asText()).isEqualTo("alice");
        assertThat(got.at("/data/text").asText()).isEqualTo("hello from /ws");

        ObjectNode mute = TestServer.object();
        mute.put("id", "sio").put("msid", "sio-cam").put("local", true).put("remote", false).put("video", false);
        sio.emit("configure", mute);
        Received relayed = alice.await("configure", WAIT);
        assertThat(relayed.data().get("id").asText()).isEqualTo("sio");
        assertThat(relayed.data().get("msid").asText()).isEqualTo("sio-cam");
        assertThat(relayed.data().get("video").asBoolean()).isFalse();
        assertThat(relayed.data().get("by").asText()).isEqualTo("peer");

        ObjectNode aliceMute = alice.object();
        aliceMute.put("id", "alice").put("msid", "alice-cam").put("local", true).put("remote", false).put("audio", false);
        alice.send("configure", aliceMute);
        JsonNode configure = sio.awaitEvent("configure");
        assertThat(configure.get("id").asText()).isEqualTo("alice");
        assertThat(configure.get("audio").asBoolean()).isFalse();
        assertThat(configure.get("by").asText()).isEqualTo("peer");
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void seesPlainWebSocketPeersComeAndGoAndTheySeeItLeave(Flavour flavour) throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        NodeClient sio = joined(flavour, "r1", "sio", TestServer.emptyOffer());
        alice.await("peerConnected", WAIT);

        SignalClient bob = server.joinWatching("r1", "bob");
        assertThat(sio.awaitEvent("peerConnected").at("/peer/id").asText()).isEqualTo("bob");
        bob.send("leave", bob.object());
        assertThat(sio.awaitEvent("peerRemoved").at("/peer/id").asText()).isEqualTo("bob");

        // leave has no reply: an acknowledged leave is answered empty, so an SDK awaiting it moves on.
        int ack = sio.emitWithAck("leave", null);
        assertThat(sio.awaitAck(ack)).isEmpty();
        assertThat(alice.await(removed("sio"), WAIT, "peerRemoved sio")).isNotNull();

        // Like on /ws the connection stays open after leave and can join again.
        sio.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        sio.awaitEvent("joined");
        assertThat(alice.await(m -> m.type().equals("peerConnected") && m.data().at("/peer/id").asText().equals("sio"),
                WAIT, "peerConnected sio again")).isNotNull();

        // A disconnect (closing the app) removes the peer for the others at once.
        sio.disconnect();
        assertThat(alice.await(removed("sio"), WAIT, "peerRemoved sio")).isNotNull();
    }

    private static java.util.function.Predicate<Received> removed(String peer) {
        return m -> m.type().equals("peerRemoved") && m.data().at("/peer/id").asText().equals(peer);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBadQueryTokenIsRefusedWithAnErrorAndJoinsOwnTokenWins(Flavour flavour) throws Exception {
        SignalClient bystander = server.joinWatching("r1", "bystander");
        NodeClient sio = node(flavour, "--token=not.a.jwt");

        int ack = sio.emitWithAck("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        JsonNode error = sio.awaitAck(ack).get(0);
        assertThat(error.get("code").asText()).isEqualTo("bad-token");
        assertThat(error.get("request").asText()).isEqualTo("join");
        if (flavour == Flavour.SIO4) {
            assertThat(sio.awaitEvent("error")).isEqualTo(error); // and as the event
        }

        // A token for another user in the query is as good as none.
        NodeClient other = node(flavour, "--token=" + server.token("r1", "someone-else"));
        other.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        assertThat(other.awaitEvent(errorEvent(flavour)).get("code").asText()).isEqualTo("token-mismatch");

        // The token field of join, when present, is the one that counts; the connection was never closed.
        ObjectNode join = server.joinData("r1", "sio", TestServer.emptyOffer());
        sio.emit("join", join);
        sio.awaitEvent("joined");
        assertThat(bystander.await("peerConnected", WAIT).data().at("/peer/id").asText()).isEqualTo("sio");
        assertThat(bystander.types()).doesNotContain("error");
        assertNoErrorEventOnEngineIo3(flavour, sio, other);
    }

    /**
     * The protocol's error event under the name each client generation may receive: socket.io-client 2.x hands
     * an event named error to its connection-error listener (RTCEngine's SDKs then close their session).
     */
    private static String errorEvent(Flavour flavour) {
        return flavour == Flavour.SIO2 ? "roomdeck-error" : "error";
    }

    static void assertNoErrorEventOnEngineIo3(Flavour flavour, NodeClient... clients) {
        if (flavour == Flavour.SIO2) {
            for (NodeClient c : clients) {
                assertThat(c.seen()).noneMatch(n -> "error".equals(n.path("event").asText()) || n.has("socketError"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void badEventsGetTheSameErrorsAsOnWsAndTheRoomNoticesNothing(Flavour flavour) throws Exception {
        SignalClient bystander = server.joinWatching("r1", "bystander");
        NodeClient sio = joined(flavour, "r1", "sio", TestServer.emptyOffer());
        bystander.await("peerConnected", WAIT);

        int ack = sio.emitWithAck("subscribeEverything", TestServer.object());
        JsonNode unknown = sio.awaitAck(ack).get(0);
        assertThat(unknown.get("code").asText()).isEqualTo("unknown-type");
        assertThat(unknown.get("request").asText()).isEqualTo("subscribeEverything");
        if (flavour == Flavour.SIO4) {
            assertThat(sio.awaitEvent("error")).isEqualTo(unknown);
        }

        sio.emit("message", TestServer.json("[1, 2]"));
        JsonNode notObject = sio.awaitEvent(errorEvent(flavour));
        assertThat(notObject.get("code").asText()).isEqualTo("bad-envelope");
        assertThat(notObject.get("request").asText()).isEqualTo("message");

        sio.emit("configure", TestServer.object().put("id", "bystander").put("msid", "x").put("local", true)
                .put("remote", false).put("video", false));
        assertThat(sio.awaitEvent(errorEvent(flavour)).get("code").asText()).isEqualTo("not-owner");

        ObjectNode stillHere = TestServer.object();
        stillHere.putObject("data").put("text", "still here");
        sio.emit("message", stillHere);
        assertThat(bystander.await("message", WAIT).data().at("/data/text").asText()).isEqualTo("still here");
        assertThat(bystander.types()).doesNotContain("error", "peerRemoved", "configure");
        assertNoErrorEventOnEngineIo3(flavour, sio);
        assertThat(sio.seen()).noneMatch(n -> n.has("disconnected"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aServerCloseIsTheLeaveEventThenADisconnectTheClientDoesNotRetry(Flavour flavour) throws Exception {
        SignalClient bob = server.joinWatching("r1", "bob");
        NodeClient sio = NodeClient.start(flavour, base(), "--token=" + server.token("r1", "sio"), "--reconnect");
        nodes.add(sio);
        sio.awaitConnected();
        sio.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        sio.awaitEvent("joined");
        bob.await("peerConnected", WAIT);

        SignalClient again = server.joinWatching("r1", "sio"); // the same user on /ws replaces the Socket.IO one

        JsonNode leave = sio.awaitEvent("leave");
        assertThat(leave.get("reason").asText()).isEqualTo("replaced");
        JsonNode gone = sio.await(n -> n.has("disconnected"), "disconnect");
        // Socket.IO's own reason for a server-side disconnect, after which clients do not reconnect.
        assertThat(gone.get("disconnected").asText()).isEqualTo("io server disconnect");
        assertThat(sio.seesWithin(n -> n.has("reconnecting") || n.has("connected"), Duration.ofMillis(1500))).isFalse();
        assertThat(bob.await(removed("sio"), WAIT, "peerRemoved sio")).isNotNull();
        assertThat(server.server().admin().snapshot().rooms().get(0).peers()).extracting("id")
                .containsExactlyInAnyOrder("bob", "sio");
        assertThat(again.isOpen()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theHeartbeatRunsInEachVersionsDirectionAndKeepsAnIdleClientConnected(Flavour flavour) throws Exception {
        server.close();
        // Idle timeout 3 s: ping interval and timeout 1 s each, so a few seconds cover several heartbeats.
        server = TestServer.start(c -> c.withLimits(new ServerConfig.Limits(256 * 1024, 50, 32, 64, 10_000, 3, 30)));
        NodeClient sio = joined(flavour, "r1", "sio", TestServer.emptyOffer());

        Thread.sleep(3500);

        // Engine.IO 3: the client pings and the server pongs; Engine.IO 4: the server pings and the client pongs.
        String beat = flavour == Flavour.SIO2 ? "pong" : "ping";
        long beats = sio.seen().stream().filter(n -> beat.equals(n.path("engine").asText())).count();
        assertThat(beats).isGreaterThanOrEqualTo(2);
        assertThat(sio.seen()).noneMatch(n -> n.has("disconnected"));
        SignalClient alice = server.joinWatching("r1", "alice");
        assertThat(sio.awaitEvent("peerConnected").at("/peer/id").asText()).isEqualTo("alice");
        alice.close();
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = "SIO4")
    void aTokenInTheConnectAuthDataServesLikeTheQueryToken(Flavour flavour) throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        NodeClient sio = node(flavour, "--auth=" + server.token("r1", "sio"));
        sio.emit("join", joinWithoutToken("r1", "sio", TestServer.emptyOffer()));
        sio.awaitEvent("joined");
        assertThat(alice.await("peerConnected", WAIT).data().at("/peer/id").asText()).isEqualTo("sio");
    }
}
