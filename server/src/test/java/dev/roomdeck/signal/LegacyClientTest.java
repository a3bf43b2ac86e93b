package dev.roomdeck.signal;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.ClientAnswer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import dev.roomdeck.config.ServerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RTCEngine's SDKs applied server offers without answering them, and some said planb: true from unified-plan
 * browsers. The server must not wedge on such clients.
 */
class LegacyClientTest {
    private static void addStream(SignalClient c, String user, String... msids) throws Exception {
        ObjectNode d = c.object();
        d.putObject("stream").put("id", user).put("msid", msids[msids.length - 1]).put("local", true).put("bitrate", 500);
        d.put("sdp", TestServer.offer(msids));
        c.send("addStream", d);
        c.await("streamAdded", WAIT);
    }

    /** The offer a client sends after applying the server's offer locally: it carries the server's sections. */
    private static ObjectNode reofferAfterApplying(Received serverOffer) throws Exception {
        String applied = ClientAnswer.write(serverOffer.data().get("sdp").asText(), TestServer.transportForTests(),
                List.of(), "legacy").replace("a=setup:active", "a=setup:actpass");
        ObjectNode d = TestServer.object();
        d.put("sdp", applied);
        return d;
    }

    @Test
    void anOfferTheClientAppliedWithoutAnsweringCountsAsAppliedAtItsNextOffer() throws Exception {
        try (TestServer server = TestServer.start()) {
            SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
            SignalClient legacy = server.joinWatching("r1", "legacy");
            Received offer = legacy.await("offer", WAIT);

            legacy.send("offer", reofferAfterApplying(offer));

            Received answer = legacy.await("answer", WAIT);
            assertThat(answer.data().get("sdp").asText()).contains("a=msid:alice-cam alice-cam-video");
            assertThat(legacy.receivesWithin("offer", Duration.ofMillis(500))).as("no re-offer: nothing changed").isFalse();
            assertThat(legacy.types()).doesNotContain("error");

            addStream(alice, "alice", "alice-cam", "alice-screen");
            Received next = legacy.await("offer", WAIT);
            assertThat(next.data().get("sdp").asText()).contains("a=msid:alice-screen alice-screen-video");
        }
    }

    @Test
    void anUnansweredOfferCountsAsAppliedAfterTheOfferTimeout() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withLimits(new ServerConfig.Limits(
                256 * 1024, 50, 32, 64, 800, 60, 30)))) {
            SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
            SignalClient legacy = server.joinWatching("r1", "legacy");
            legacy.await("offer", WAIT);
            Thread.sleep(2500); // past the 800 ms offer timeout, checked every second

            addStream(alice, "alice", "alice-cam", "alice-screen");

            Received next = legacy.await("offer", WAIT);
            assertThat(next.data().get("sdp").asText()).contains("a=msid:alice-screen alice-screen-video")
                    .contains("a=msid:alice-cam alice-cam-video");
        }
    }

    @Test
    void aPlanBFlagOnAUnifiedPlanOfferIsDecidedByTheSdp() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.joinPublishing("r1", "alice", "alice-cam");
            SignalClient liar = server.connect();
            ObjectNode join = server.joinData("r1", "liar", TestServer.offer("liar-cam"));
            join.put("planb", true);
            liar.send("join", join);
            Received joined = liar.await("joined", WAIT);
            // A unified-plan answer: one m-section per track, each with its own mid and a=msid.
            String sdp = joined.data().get("sdp").asText();
            assertThat(sdp).contains("a=mid:0").contains("a=mid:1").doesNotContain("a=mid:audio");
            Received offer = liar.await("offer", WAIT);
            assertThat(offer.data().get("sdp").asText()).contains("a=msid:alice-cam alice-cam-video");
        }
    }
}
