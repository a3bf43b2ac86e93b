package dev.roomdeck.signal;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The room semantics of the RTCEngine protocol, over a real Jetty server and real WebSocket clients. */
class RoomSignallingTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void joinedCarriesTheAnswerAndARoomThatIncludesTheJoiner() throws Exception {
        SignalClient alice = server.connect();
        String id = alice.send("join", server.joinData("r1", "alice", TestServer.offer("alice-cam")));
        Received joined = alice.await("joined", WAIT);

        assertThat(joined.id().asText()).isEqualTo(id);
        assertThat(joined.data().get("sdp").asText()).startsWith("v=0");
        assertThat(joined.data().at("/room/id").asText()).isEqualTo("r1");
        assertThat(peerIds(joined.data().get("room"))).containsExactly("alice");
    }

    @Test
    void othersHearPeerConnectedAndPeerRemovedOnLeave() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");

        Received connected = alice.await("peerConnected", WAIT);
        assertThat(connected.data().at("/peer/id").asText()).isEqualTo("bob");
        assertThat(connected.data().at("/peer/streams").isArray()).isTrue();

        bob.send("leave", bob.object());
        Received removed = alice.await("peerRemoved", WAIT);
        assertThat(removed.data().at("/peer/id").asText()).isEqualTo("bob");
        assertThat(server.server().admin().snapshot().rooms().get(0).peers()).extracting("id").containsExactly("alice");
    }

    @Test
    void threePeersSeeEachOtherAndTheRoomListsEveryone() throws Exception {
        SignalClient a = server.joinPublishing("r3", "a", "a-cam");
        SignalClient b = server.joinPublishing("r3", "b", "b-cam");
        SignalClient c = server.connect();
        c.send("join", server.joinData("r3", "c", TestServer.offer("c-cam")));
        Received joined = c.await("joined", WAIT);

        assertThat(peerIds(joined.data().get("room"))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(a.await(m -> m.type().equals("peerConnected") && m.data().at("/peer/id").asText().equals("c"),
                WAIT, "peerConnected c")).isNotNull();
        assertThat(b.await(m -> m.type().equals("peerConnected") && m.data().at("/peer/id").asText().equals("c"),
                WAIT, "peerConnected c")).isNotNull();
    }

    @Test
    void abruptDisconnectRemovesThePeerForTheOthers() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");
        alice.await("peerConnected", WAIT);

        bob.abort();

        Received removed = alice.await("peerRemoved", WAIT);
        assertThat(removed.data().at("/peer/id").asText()).isEqualTo("bob");
    }

    @Test
    void messageIsRelayedToEveryOtherPeerWithFrom() throws Exception {
        SignalClient a = server.joinWatching("r1", "a");
        SignalClient b = server.joinWatching("r1", "b");
        SignalClient c = server.joinWatching("r1", "c");
        ObjectNode d = a.object();
        d.putObject("data").put("text", "hello").putArray("n").add(1).add(2);

        a.send("message", d);

        for (SignalClient other : List.of(b, c)) {
            Received m = other.await("message", WAIT);
            assertThat(m.data().get("from").asText()).isEqualTo("a");
            assertThat(m.data().at("/data/text").asText()).isEqualTo("hello");
            assertThat(m.data().at("/data/n/1").asInt()).isEqualTo(2);
        }
        assertThat(a.receivesWithin("message", Duration.ofMillis(300))).isFalse();
    }

    @Test
    void addStreamAnswersThenStreamAddedAndRoomMetaShowsBitrateAndAttributes() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");
        alice.await("peerConnected", WAIT);

        ObjectNode d = alice.object();
        ObjectNode stream = d.putObject("stream");
        stream.put("id", "alice").put("msid", "alice-screen").put("local", true).put("bitrate", 800);
        stream.putObject("attributes").put("kind", "screen");
        d.put("sdp", TestServer.offer("alice-cam", "alice-screen"));
        String id = alice.send("addStream", d);

        Received answer = alice.await("answer", WAIT);
        Received added = alice.await("streamAdded", WAIT);
        assertThat(answer.id().asText()).isEqualTo(id);
        assertThat(added.data().get("msid").asText()).isEqualTo("alice-screen");
        JsonNode aliceMeta = peer(answer.data().get("room"), "alice");
        JsonNode screen = stream(aliceMeta, "alice-screen");
        assertThat(stream(aliceMeta, "alice-cam")).isNotNull();
        assertThat(screen.get("bitrate").asInt()).isEqualTo(800);
        assertThat(screen.at("/attributes/kind").asText()).isEqualTo("screen");

        // Bob was offered alice-cam when he joined; once he answers, the next offer brings alice-screen.
        Received first = bob.await("offer", WAIT);
        bob.send("answer", TestServer.answerTo(first));
        Received offer = bob.await("offer", WAIT);
        assertThat(stream(peer(offer.data().get("room"), "alice"), "alice-screen").get("bitrate").asInt()).isEqualTo(800);
        assertThat(offer.data().get("sdp").asText()).contains("a=msid:alice-screen alice-screen-video");
    }

    @Test
    void aClientOfferCrossingAServerOfferWinsAndTheServerOffersAgain() throws Exception {
        server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");
        Received withdrawn = bob.await("offer", WAIT);

        ObjectNode own = bob.object();
        own.put("sdp", TestServer.emptyOffer());
        String id = bob.send("offer", own);

        Received answer = bob.await("answer", WAIT);
        assertThat(answer.id().asText()).isEqualTo(id);
        Received again = bob.await("offer", WAIT);
        assertThat(again.data().get("sdp").asText()).contains("a=msid:alice-cam alice-cam-video");
        // The withdrawn offer can no longer be answered; the new one can.
        bob.send("answer", TestServer.answerTo(again));
        assertThat(bob.receivesWithin("error", Duration.ofMillis(300))).isFalse();
        assertThat(withdrawn).isNotNull();
    }

    @Test
    void configureLocalIsRelayedToOthersAndRemoteIsNot() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");
        addStream(alice, "alice", "alice-cam");

        ObjectNode mute = alice.object();
        mute.put("id", "alice").put("msid", "alice-cam").put("local", true).put("remote", false)
                .put("video", false).put("audio", true);
        alice.send("configure", mute);

        Received relayed = bob.await("configure", WAIT);
        assertThat(relayed.data().get("id").asText()).isEqualTo("alice");
        assertThat(relayed.data().get("msid").asText()).isEqualTo("alice-cam");
        assertThat(relayed.data().get("video").asBoolean()).isFalse();
        assertThat(relayed.data().get("audio").asBoolean()).isTrue();
        assertThat(server.server().admin().snapshot().rooms().get(0).peers().get(0).streams().get(0).videoMuted()).isTrue();

        ObjectNode stop = bob.object();
        stop.put("id", "alice").put("msid", "alice-cam").put("local", false).put("remote", true).put("video", false);
        bob.send("configure", stop);
        assertThat(alice.receivesWithin("configure", Duration.ofMillis(300))).isFalse();
        assertThat(bob.receivesWithin("error", Duration.ofMillis(100))).isFalse();
    }

    /** RTCEngine's SDK sends the token's appkey claim, so a token minted without one gives a join without appkey. */
    @Test
    void aJoinWithoutAppkeyIsForTheDefaultAppkey() throws Exception {
        SignalClient c = server.connect();
        ObjectNode join = server.joinData("r1", "alice", TestServer.emptyOffer());
        join.remove("appkey");
        join.put("token", server.server().tokens().issue("default", "r1", "alice", Duration.ofMinutes(5)));
        c.send("join", join);
        assertThat(c.await(m -> m.type().equals("joined") || m.type().equals("error"), WAIT, "the reply").type())
                .isEqualTo("joined");
    }

    /**
     * The RTCEngine JavaScript SDK's own form: the key names the kind ({@code "video": true}), {@code muting} the
     * state, and a remote mute says only {@code local: false}. Receivers get the state in both forms.
     */
    @Test
    void configureAsTheRtcEngineSdkSendsIt() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");
        addStream(alice, "alice", "alice-cam");

        ObjectNode mute = alice.object();
        mute.put("video", true).put("id", "alice").put("msid", "alice-cam").put("local", true).put("muting", true);
        alice.send("configure", mute);
        Received muted = bob.await("configure", WAIT);
        assertThat(muted.data().get("video").asBoolean()).isFalse();
        assertThat(muted.data().get("muting").asBoolean()).isTrue();
        assertThat(muted.data().has("audio")).isFalse();
        assertThat(server.server().admin().snapshot().rooms().get(0).peers().get(0).streams().get(0).videoMuted()).isTrue();

        mute.put("muting", false);
        alice.send("configure", mute);
        Received unmuted = bob.await("configure", WAIT);
        assertThat(unmuted.data().get("video").asBoolean()).isTrue();
        assertThat(unmuted.data().get("muting").asBoolean()).isFalse();
        assertThat(server.server().admin().snapshot().rooms().get(0).peers().get(0).streams().get(0).videoMuted()).isFalse();

        // Bob stops alice's audio for himself the SDK's way: local false, no remote. Nothing relayed, no error.
        ObjectNode stop = bob.object();
        stop.put("audio", true).put("id", "alice").put("msid", "alice-cam").put("local", false).put("muting", true);
        bob.send("configure", stop);
        assertThat(bob.receivesWithin("error", Duration.ofMillis(300))).isFalse();
        assertThat(alice.receivesWithin("configure", Duration.ofMillis(100))).isFalse();

        ObjectNode both = alice.object();
        both.put("video", true).put("audio", true).put("id", "alice").put("msid", "alice-cam").put("local", true)
                .put("muting", true);
        alice.send("configure", both);
        assertThat(alice.await("error", WAIT).data().get("message").asText()).contains("exactly one of video or audio");
    }

    @Test
    void aNewcomerHearsWhichStreamsAreAlreadyMuted() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        addStream(alice, "alice", "alice-cam");
        ObjectNode mute = alice.object();
        mute.put("id", "alice").put("msid", "alice-cam").put("local", true).put("audio", false);
        alice.send("configure", mute);
        server.server().admin().mute("r1", "alice", "alice-cam", false, true);

        SignalClient late = server.joinWatching("r1", "late");

        Received owner = late.await(m -> m.type().equals("configure") && "peer".equals(m.data().path("by").asText()), WAIT, "owner mute");
        assertThat(owner.data().get("audio").asBoolean()).isFalse();
        Received operator = late.await(m -> m.type().equals("configure") && "operator".equals(m.data().path("by").asText()), WAIT, "operator mute");
        assertThat(operator.data().get("video").asBoolean()).isFalse();
        assertThat(operator.data().get("msid").asText()).isEqualTo("alice-cam");
    }

    @Test
    void theSameUserJoiningAgainReplacesTheFirstConnection() throws Exception {
        SignalClient first = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = server.joinWatching("r1", "bob");

        SignalClient second = server.joinPublishing("r1", "alice", "alice-cam2");

        Received leave = first.await("leave", WAIT);
        assertThat(leave.data().get("reason").asText()).isEqualTo("replaced");
        assertThat(first.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.REPLACED);
        assertThat(bob.await("peerRemoved", WAIT).data().at("/peer/id").asText()).isEqualTo("alice");
        assertThat(bob.await(m -> m.type().equals("peerConnected") && m.data().at("/peer/id").asText().equals("alice"),
                WAIT, "alice again")).isNotNull();
        assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(2);
        assertThat(second.isOpen()).isTrue();
    }

    @Test
    void replacingTheOnlyPeerKeepsTheRoomOpen() throws Exception {
        server.joinWatching("solo", "alice");
        SignalClient again = server.joinWatching("solo", "alice");
        SignalClient bob = server.joinWatching("solo", "bob");

        assertThat(server.server().admin().snapshot().rooms()).extracting("id").containsExactly("solo");
        assertThat(again.await("peerConnected", WAIT).data().at("/peer/id").asText()).isEqualTo("bob");
        ObjectNode d = again.object();
        d.put("data", "hi");
        again.send("message", d);
        assertThat(bob.await("message", WAIT).data().get("from").asText()).isEqualTo("alice");
    }

    @Test
    void theRoomClosesWithItsLastPeer() throws Exception {
        SignalClient a = server.joinWatching("gone", "a");
        assertThat(server.server().admin().snapshot().rooms()).extracting("id").containsExactly("gone");

        a.send("leave", a.object());

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!server.server().admin().snapshot().rooms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.server().admin().snapshot().rooms()).isEmpty();
    }

    @Test
    void operatorKickTellsTheClientWhyAndTheOthersSeePeerRemoved() throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        SignalClient bob = server.joinWatching("r1", "bob");

        server.server().admin().kick("r1", "bob", "Meeting is over for you");

        Received leave = bob.await("leave", WAIT);
        assertThat(leave.data().get("reason").asText()).isEqualTo("kicked");
        assertThat(leave.data().get("message").asText()).isEqualTo("Meeting is over for you");
        assertThat(bob.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.KICKED);
        assertThat(alice.await("peerRemoved", WAIT).data().at("/peer/id").asText()).isEqualTo("bob");
    }

    @Test
    void shutdownTellsEveryClient() throws Exception {
        SignalClient alice = server.joinWatching("r1", "alice");
        SignalClient idle = server.connect();

        server.server().close();

        assertThat(alice.await("leave", WAIT).data().get("reason").asText()).isEqualTo("shutdown");
        assertThat(idle.await("leave", WAIT).data().get("reason").asText()).isEqualTo("shutdown");
        assertThat(alice.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.SHUTDOWN);
    }

    static void addStream(SignalClient c, String user, String msid) throws Exception {
        ObjectNode d = c.object();
        d.putObject("stream").put("id", user).put("msid", msid).put("local", true).put("bitrate", 1000);
        d.put("sdp", TestServer.offer(msid));
        c.send("addStream", d);
        c.await("streamAdded", WAIT);
    }

    static List<String> peerIds(JsonNode room) {
        List<String> ids = new ArrayList<>();
        room.get("peers").forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }

    static JsonNode peer(JsonNode room, String id) {
        for (JsonNode p : room.get("peers")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no peer " + id + " in " + room);
    }

    static JsonNode stream(JsonNode peer, String msid) {
        for (JsonNode s : peer.get("streams")) {
            if (s.get("id").asText().equals(msid)) {
                return s;
            }
        }
        throw new AssertionError("no stream " + msid + " in " + peer);
    }
}
