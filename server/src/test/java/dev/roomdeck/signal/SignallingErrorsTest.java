package dev.roomdeck.signal;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal is an {@code error} {code, message, request} to that client only; the connection stays usable
 * and the other peers notice nothing.
 */
class SignallingErrorsTest {
    private TestServer server;
    private SignalClient bystander;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        bystander = server.joinWatching("r1", "bystander");
    }

    @AfterEach
    void stop() throws Exception {
        // The well-behaved peer in the room never saw anything but what it was due.
        assertThat(bystander.types()).doesNotContain("error", "leave", "peerRemoved");
        server.close();
    }

    private Received expectError(SignalClient c, String code, String request) throws InterruptedException {
        Received e = c.await("error", WAIT);
        assertThat(e.data().get("code").asText()).isEqualTo(code);
        assertThat(e.data().get("message").asText()).isNotBlank();
        if (request != null) {
            assertThat(e.data().get("request").asText()).isEqualTo(request);
        }
        return e;
    }

    @Test
    void invalidJsonGetsBadJsonAndEchoesNothing() throws Exception {
        SignalClient c = server.connect();
        c.sendRaw("{not json");
        expectError(c, "bad-json", null);
        c.sendRaw("[1,2,3]");
        expectError(c, "bad-envelope", null);
        c.sendRaw("{\"data\":{}}");
        expectError(c, "bad-envelope", null);
        c.sendRaw("{\"type\":\"message\",\"data\":[1]}");
        expectError(c, "bad-envelope", null);
    }

    @Test
    void unknownTypeIsNamedAndIdEchoed() throws Exception {
        SignalClient c = server.connect();
        String id = c.send("subscribeEverything", c.object());
        Received e = expectError(c, "unknown-type", "subscribeEverything");
        assertThat(e.id().asText()).isEqualTo(id);
    }

    @Test
    void messagesBeforeJoinAreRefused() throws Exception {
        SignalClient c = server.connect();
        for (String type : new String[] {"offer", "answer", "addStream", "removeStream", "configure", "leave", "message"}) {
            ObjectNode d = c.object();
            d.put("sdp", "v=0").put("data", 1);
            c.send(type, d);
            Received e = c.await("error", WAIT);
            assertThat(e.data().get("request").asText()).isEqualTo(type);
            assertThat(e.data().get("code").asText()).isIn("not-joined", "invalid-field");
        }
        c.send("message", dataWith(c, "x"));
        expectError(c, "not-joined", "message");
    }

    @Test
    void missingAndWronglyTypedFieldsAreNamed() throws Exception {
        SignalClient c = server.connect();
        ObjectNode join = server.joinData("r1", "alice", TestServer.offer("m"));
        join.remove("room");
        c.send("join", join);
        Received e = expectError(c, "invalid-field", "join");
        assertThat(e.data().get("message").asText()).contains("join.room");

        join = server.joinData("r1", "alice", TestServer.offer("m"));
        join.put("planb", "yes");
        c.send("join", join);
        assertThat(expectError(c, "invalid-field", "join").data().get("message").asText()).contains("join.planb");

        join = server.joinData("r1", "alice", TestServer.offer("m"));
        join.put("sdp", 42);
        c.send("join", join);
        assertThat(expectError(c, "invalid-field", "join").data().get("message").asText()).contains("join.sdp");
    }

    @Test
    void aSecondJoinOnOneConnectionIsRefusedAndTheSessionGoesOn() throws Exception {
        SignalClient c = server.joinWatching("r1", "alice");
        c.send("join", server.joinData("r2", "alice", TestServer.emptyOffer()));
        expectError(c, "already-joined", "join");

        c.send("message", dataWith(c, "still here"));
        assertThat(bystander.await("message", WAIT).data().get("from").asText()).isEqualTo("alice");
    }

    @Test
    void badExpiredMismatchedAndUnknownAppkeyTokensAreRefused() throws Exception {
        SignalClient c = server.connect();
        ObjectNode join = server.joinData("r1", "mallory", TestServer.emptyOffer());
        join.put("token", "not.a.jwt");
        c.send("join", join);
        expectError(c, "bad-token", "join");

        join = server.joinData("r1", "mallory", TestServer.emptyOffer());
        String forged = server.token("r1", "mallory");
        join.put("token", forged.substring(0, forged.length() - 4) + "AAAA");
        c.send("join", join);
        expectError(c, "bad-token", "join");

        join = server.joinData("r1", "mallory", TestServer.emptyOffer());
        join.put("token", server.token("other-room", "mallory"));
        c.send("join", join);
        expectError(c, "token-mismatch", "join");

        join = server.joinData("r1", "mallory", TestServer.emptyOffer());
        join.put("token", server.token("r1", "someone-else"));
        c.send("join", join);
        expectError(c, "token-mismatch", "join");

        join = server.joinData("r1", "mallory", TestServer.emptyOffer());
        join.put("appkey", "nope");
        c.send("join", join);
        expectError(c, "unknown-appkey", "join");

        var expired = new dev.roomdeck.auth.TokenService(
                dev.roomdeck.auth.AppKeys.load(Map.of(TestServer.APPKEY, TestServer.SECRET), java.nio.file.Path.of("/nonexistent"), TestServer.APPKEY),
                java.time.Clock.fixed(Instant.now().minusSeconds(3600), java.time.ZoneOffset.UTC))
                .issue(TestServer.APPKEY, "r1", "mallory", Duration.ofMinutes(1));
        join = server.joinData("r1", "mallory", TestServer.emptyOffer());
        join.put("token", expired);
        c.send("join", join);
        expectError(c, "token-expired", "join");

        // After all those refusals the same connection can still join properly.
        c.send("join", server.joinData("r1", "mallory", TestServer.emptyOffer()));
        c.await("joined", WAIT);
    }

    @Test
    void aPeerCannotTouchAnotherPeersStreams() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        RoomSignallingTest.addStream(alice, "alice", "alice-cam");
        SignalClient mallory = server.joinWatching("r1", "mallory");

        ObjectNode mute = mallory.object();
        mute.put("id", "alice").put("msid", "alice-cam").put("local", true).put("video", false);
        mallory.send("configure", mute);
        expectError(mallory, "not-owner", "configure");

        ObjectNode remove = mallory.object();
        remove.putObject("stream").put("id", "alice").put("msid", "alice-cam");
        remove.put("sdp", TestServer.emptyOffer());
        mallory.send("removeStream", remove);
        expectError(mallory, "not-owner", "removeStream");

        ObjectNode add = mallory.object();
        add.putObject("stream").put("id", "alice").put("msid", "fake");
        add.put("sdp", TestServer.offer("fake"));
        mallory.send("addStream", add);
        expectError(mallory, "not-owner", "addStream");

        assertThat(alice.receivesWithin("configure", Duration.ofMillis(300))).isFalse();
        assertThat(server.server().admin().snapshot().rooms().get(0).peers().stream()
                .filter(p -> p.id().equals("alice")).findFirst().orElseThrow().streams().get(0).videoMuted()).isFalse();
    }

    @Test
    void anOperatorMuteCannotBeUndoneByThePublisher() throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        RoomSignallingTest.addStream(alice, "alice", "alice-cam");
        server.server().admin().mute("r1", "alice", "alice-cam", false, true);
        Received notice = alice.await("configure", WAIT);
        assertThat(notice.data().get("by").asText()).isEqualTo("operator");
        assertThat(notice.data().get("video").asBoolean()).isFalse();
        assertThat(bystander.await("configure", WAIT).data().get("by").asText()).isEqualTo("operator");

        ObjectNode unmute = alice.object();
        unmute.put("id", "alice").put("msid", "alice-cam").put("local", true).put("video", true);
        alice.send("configure", unmute);
        expectError(alice, "muted-by-operator", "configure");
    }

    @Test
    void badSdpAndAnUnexpectedAnswerAreRefused() throws Exception {
        SignalClient c = server.connect();
        c.send("join", server.joinData("r1", "alice", "this is not sdp"));
        expectError(c, "bad-sdp", "join");
        assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(1);

        c.send("join", server.joinData("r1", "alice", TestServer.emptyOffer()));
        c.await("joined", WAIT);
        ObjectNode answer = c.object();
        answer.put("sdp", TestServer.emptyOffer());
        c.send("answer", answer);
        expectError(c, "no-offer-pending", "answer");
    }

    @Test
    void binaryFramesAreRefusedAndOversizedMessagesCloseWith1009() throws Exception {
        SignalClient c = server.connect();
        c.sendBinary(new byte[] {1, 2, 3});
        expectError(c, "binary-not-supported", null);

        c.sendRaw("{\"type\":\"message\",\"data\":{\"data\":\"" + "x".repeat(300 * 1024) + "\"}}");
        assertThat(c.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void floodingIsRateLimitedWithoutDisturbingOthers() throws Exception {
        SignalClient c = server.joinWatching("r1", "flooder");
        for (int i = 0; i < 300; i++) {
            c.send("message", dataWith(c, "spam " + i));
        }
        Received e = expectError(c, "rate-limited", "message");
        assertThat(e.data().get("message").asText()).contains("messages a second");
        int relayed = 0;
        while (bystander.receivesWithin("message", Duration.ofMillis(200))) {
            bystander.await("message", WAIT);
            relayed++;
        }
        assertThat(relayed).isLessThan(300).isGreaterThan(0);
    }

    @Test
    void deepNestingIsRefusedCheaply() throws Exception {
        SignalClient c = server.connect();
        c.sendRaw("{\"type\":\"message\",\"data\":{\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}}");
        expectError(c, "bad-json", null);
    }

    private static ObjectNode dataWith(SignalClient c, String text) {
        ObjectNode d = c.object();
        d.put("data", text);
        return d;
    }
}
