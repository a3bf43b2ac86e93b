package dev.roomdeck.socketio;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.signal.CloseCodes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Engine.IO and Socket.IO framing of /socket.io/, frame by frame, with a bare WebSocket: what each protocol
 * revision expects of the handshake, the heartbeat, namespaces, acknowledgements, bad input and closing.
 */
class SocketIoWireTest {
    private static final ServerConfig.Limits FAST_HEARTBEAT =
            new ServerConfig.Limits(256 * 1024, 50, 32, 64, 10_000, 3, 30); // ping interval and timeout 1 s
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

    private EngineIoWire open(String query) throws Exception {
        EngineIoWire w = EngineIoWire.open(server, query);
        wires.add(w);
        return w;
    }

    private static JsonNode json(String frame, int skip) throws Exception {
        return TestServer.json(frame.substring(skip));
    }

    /** An Engine.IO 4 connection with the default namespace connected. */
    private EngineIoWire connected4(String query) throws Exception {
        EngineIoWire w = open("EIO=4&transport=websocket" + query);
        w.expect("0{");
        w.send("40");
        w.expect("40{");
        return w;
    }

    @Test
    void engineIo4OpensWithItsHeartbeatAndConnectsTheDefaultNamespaceWhenAsked() throws Exception {
        EngineIoWire w = open("EIO=4&transport=websocket");

        JsonNode open = json(w.expect("0{"), 1);
        assertThat(open.get("sid").asText()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(open.get("upgrades").isArray() && open.get("upgrades").isEmpty()).isTrue();
        assertThat(open.get("pingInterval").asLong()).isEqualTo(20_000);
        assertThat(open.get("pingTimeout").asLong()).isEqualTo(20_000);
        assertThat(open.get("maxPayload").asLong()).isEqualTo(256 * 1024);
        assertThat(w.poll(Duration.ofMillis(300))).as("no namespace connect before the client's 40").isNull();

        w.send("40");
        JsonNode connect = json(w.expect("40{"), 2);
        assertThat(connect.get("sid").asText()).isNotBlank().isNotEqualTo(open.get("sid").asText());
    }

    @Test
    void engineIo3ConnectsTheDefaultNamespaceAtOnceAndAnswersTheClientsPings() throws Exception {
        EngineIoWire w = open("EIO=3&transport=websocket");

        JsonNode open = json(w.expect("0{"), 1);
        assertThat(open.get("sid").asText()).isNotBlank();
        assertThat(open.has("maxPayload")).isFalse();
        assertThat(w.next()).isEqualTo("40");

        w.send("2");
        assertThat(w.next()).isEqualTo("3");
        w.send("2probe");
        assertThat(w.next()).isEqualTo("3probe");
    }

    @Test
    void engineIo4ServerPingsAndClosesAClientThatStopsAnswering() throws Exception {
        server.close();
        server = TestServer.start(c -> c.withLimits(FAST_HEARTBEAT));
        EngineIoWire w = connected4("");

        long t0 = System.nanoTime();
        assertThat(w.next()).isEqualTo("2");
        w.send("3");
        assertThat(w.next()).isEqualTo("2");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(1500L, 3500L);
        // No pong this time: closed after the 1 s ping timeout.
        assertThat(w.closed().get(3, TimeUnit.SECONDS)).isEqualTo(CloseCodes.NORMAL);
    }

    @Test
    void engineIo3ClosesAClientThatStopsPinging() throws Exception {
        server.close();
        server = TestServer.start(c -> c.withLimits(FAST_HEARTBEAT));
        EngineIoWire w = open("EIO=3&transport=websocket");
        w.expect("0{");
        w.expect("40");
        Thread.sleep(1200);
        w.send("2"); // a ping inside interval + timeout (2 s) keeps it open ...
        assertThat(w.next()).isEqualTo("3");
        assertThat(w.closed().isDone()).isFalse();
        // ... and none after it closes it: the server never pings an Engine.IO 3 client itself.
        long t0 = System.nanoTime();
        assertThat(w.closed().get(4, TimeUnit.SECONDS)).isEqualTo(CloseCodes.NORMAL);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(1500L, 3000L);
        assertThat(w.poll(Duration.ZERO)).isNull();
    }

    @Test
    void anAcknowledgedRequestIsAnsweredOnceWithItsFirstReplyAndOneWithoutReplyEmpty() throws Exception {
        EngineIoWire w = connected4("&token=" + server.token("r1", "alice"));
        JsonNode join = server.joinData("r1", "alice", TestServer.emptyOffer());
        ((com.fasterxml.jackson.databind.node.ObjectNode) join).remove("token");

        w.send("421[\"join\"," + join + "]");
        JsonNode joined = json(w.expect("42[\"joined\","), 2);
        JsonNode ack = json(w.expect("431["), 3);
        assertThat(ack).hasSize(1);
        assertThat(ack.get(0)).isEqualTo(joined.get(1));

        w.send("422[\"message\",{\"data\":{\"text\":\"nobody here\"}}]");
        assertThat(w.next()).isEqualTo("432[]");
        assertThat(w.poll(Duration.ofMillis(300))).isNull();
    }

    @Test
    void badFramesGetTheErrorEventsOfWsAndNobodyElseNotices() throws Exception {
        SignalClient bystander = server.joinWatching("r1", "bystander");
        EngineIoWire w = connected4("");

        assertThat(errorCode(w, "hello")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "4")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "49[]")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "42[broken")).isEqualTo("bad-json");
        assertThat(errorCode(w, "42")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "42[1]")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "42{\"type\":\"join\"}")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "42[\"join\",\"x\"]")).isEqualTo("bad-envelope");
        assertThat(errorCode(w, "42[\"leave\"]")).isEqualTo("not-joined");

        // With an acknowledgement the error also answers it.
        w.send("427[\"subscribeEverything\",{}]");
        JsonNode error = json(w.expect("42[\"error\","), 2).get(1);
        assertThat(error.get("code").asText()).isEqualTo("unknown-type");
        assertThat(error.get("request").asText()).isEqualTo("subscribeEverything");
        assertThat(json(w.expect("437["), 3).get(0)).isEqualTo(error);

        // A binary event and its attachment frame: one error, not two.
        w.send("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
        w.sendBinary(new byte[] {1, 2, 3});
        assertThat(json(w.expect("42[\"error\","), 2).at("/1/code").asText()).isEqualTo("binary-not-supported");
        assertThat(w.poll(Duration.ofMillis(300))).isNull();

        // Only the default namespace exists.
        w.send("40/admin,");
        assertThat(w.next()).isEqualTo("44/admin,{\"message\":\"Invalid namespace\"}");

        // Still a working connection; the room saw none of it.
        w.send("42[\"join\"," + server.joinData("r1", "alice", TestServer.emptyOffer()) + "]");
        w.expect("42[\"joined\",");
        assertThat(bystander.await("peerConnected", WAIT).data().at("/peer/id").asText()).isEqualTo("alice");
        assertThat(bystander.types()).doesNotContain("error", "message");
    }

    private static String errorCode(EngineIoWire w, String frame) throws Exception {
        w.send(frame);
        JsonNode event = json(w.expect("42[\"error\","), 2);
        assertThat(event.at("/1/message").asText()).isNotBlank();
        return event.at("/1/code").asText();
    }

    @Test
    void engineIo3RefusesANamespaceInItsOwnErrorFormat() throws Exception {
        EngineIoWire w = open("EIO=3&transport=websocket");
        w.expect("0{");
        w.expect("40");
        w.send("40/admin,");
        assertThat(w.next()).isEqualTo("44/admin,\"Invalid namespace\"");
    }

    @Test
    void anEventBeforeTheNamespaceConnectClosesTheConnection() throws Exception {
        EngineIoWire w = open("EIO=4&transport=websocket");
        w.expect("0{");
        w.send("42[\"join\",{}]");
        assertThat(w.closed().get(5, TimeUnit.SECONDS)).isEqualTo(1002);
    }

    @Test
    void aServerCloseIsTheLeaveEventThenASocketIoDisconnectThenTheCloseCode() throws Exception {
        EngineIoWire w = connected4("");
        w.send("42[\"join\"," + server.joinData("r1", "alice", TestServer.emptyOffer()) + "]");
        w.expect("42[\"joined\",");

        server.server().admin().kick("r1", "alice", "The meeting is over.");

        JsonNode leave = json(w.expect("42[\"leave\","), 2).get(1);
        assertThat(leave.get("reason").asText()).isEqualTo("kicked");
        assertThat(leave.get("message").asText()).isEqualTo("The meeting is over.");
        assertThat(w.next()).isEqualTo("41");
        assertThat(w.closed().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.KICKED);
    }

    @Test
    void aClientDisconnectLeavesTheRoomAtOnce() throws Exception {
        SignalClient bystander = server.joinWatching("r1", "bystander");
        EngineIoWire w = connected4("");
        w.send("42[\"join\"," + server.joinData("r1", "alice", TestServer.emptyOffer()) + "]");
        w.expect("42[\"joined\",");
        bystander.await("peerConnected", WAIT);

        w.send("41");

        assertThat(bystander.await("peerRemoved", WAIT).data().at("/peer/id").asText()).isEqualTo("alice");
        assertThat(w.closed().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.NORMAL);
    }

    @Test
    void unknownRevisionsAndUpgradesOfUnknownSessionsAreRefusedWithEngineIoErrors() throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> noUpgrade = http.send(HttpRequest.newBuilder(
                server.http("/socket.io/?EIO=4&transport=websocket")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noUpgrade.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(noUpgrade.body()).get("code").asInt()).isEqualTo(3);

        assertThatThrownBy(() -> open("EIO=5&transport=websocket")).hasStackTraceContaining("400");
        assertThatThrownBy(() -> open("EIO=4&transport=websocket&sid=abc")).hasStackTraceContaining("400");
        assertThat(server.server().admin().snapshot().rooms()).isEmpty();
    }

    @Test
    void aTextFrameOverMaxPayloadClosesTheConnectionWith1009AsOnWs() throws Exception {
        EngineIoWire w = connected4("");
        w.send("42[\"message\",{\"data\":\"" + "x".repeat(300 * 1024) + "\"}]");
        assertThat(w.closed().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void engineIo3ClientsGetRefusalsInTheAckOrAsRoomdeckErrorButNeverAnEventNamedError() throws Exception {
        EngineIoWire w = open("EIO=3&transport=websocket");
        w.expect("0{");
        w.expect("40");
        List<String> frames = new ArrayList<>();

        // With an acknowledgement the refusal is the acknowledgement, and nothing else.
        w.send("421[\"subscribeEverything\",{}]");
        frames.add(w.next());
        assertThat(frames.get(0)).startsWith("431[");
        assertThat(json(frames.get(0), 3).at("/0/code").asText()).isEqualTo("unknown-type");
        assertThat(json(frames.get(0), 3).at("/0/request").asText()).isEqualTo("subscribeEverything");
        w.send("422[broken");
        frames.add(w.next());
        assertThat(json(frames.get(1), 3).at("/0/code").asText()).isEqualTo("bad-json");
        w.send("451-3[\"message\",{\"_placeholder\":true,\"num\":0}]");
        w.sendBinary(new byte[] {1, 2, 3});
        frames.add(w.next());
        assertThat(frames.get(2)).startsWith("433[");
        assertThat(json(frames.get(2), 3).at("/0/code").asText()).isEqualTo("binary-not-supported");
        assertThat(w.poll(Duration.ofMillis(300))).isNull();

        // Without one it is the event roomdeck-error, with the same data.
        w.send("42[\"leave\"]");
        frames.add(w.next());
        assertThat(frames.get(3)).startsWith("42[\"roomdeck-error\",");
        assertThat(json(frames.get(3), 2).at("/1/code").asText()).isEqualTo("not-joined");
        w.send("hello");
        frames.add(w.next());
        assertThat(json(frames.get(4), 2).at("/1/code").asText()).isEqualTo("bad-envelope");
        assertThat(frames).noneMatch(f -> f.startsWith("42[\"error\""));
    }
}
