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

    /** A server whose offers count as applied after 800 ms without an answer. */
    private static TestServer withShortOfferTimeout() throws Exception {
        return TestServer.start(c -> c.withLimits(new ServerConfig.Limits(256 * 1024, 50, 32, 64, 800, 60, 30)));
    }

    /** What a watcher got: an offer it left unanswered past the offer timeout, then the one after alice's screen. */
    private record LeftUnanswered(SignalClient watcher, Received first, Received next) {
    }

    private static LeftUnanswered offerLeftUnansweredThenAScreen(TestServer server, String watcher) throws Exception {
        SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
        SignalClient w = server.joinWatching("r1", watcher);
        Received first = w.await("offer", WAIT);
        Thread.sleep(2500); // past the 800 ms offer timeout, checked every second
        addStream(alice, "alice", "alice-cam", "alice-screen");
        return new LeftUnanswered(w, first, w.await("offer", WAIT));
    }

    @Test
    void anUnansweredOfferCountsAsAppliedAfterTheOfferTimeout() throws Exception {
        try (TestServer server = withShortOfferTimeout()) {
            Received next = offerLeftUnansweredThenAScreen(server, "legacy").next();

            assertThat(next.data().get("sdp").asText()).contains("a=msid:alice-screen alice-screen-video")
                    .contains("a=msid:alice-cam alice-cam-video");
        }
    }

    /**
     * A browser too busy to answer within the offer timeout (eight people arriving at once on a small PC): its offer
     * is taken as applied and the next change is offered. Its answer to the first offer, arriving after that, is
     * not the answer to the second (it lacks the new sections): it is let go without an error, and the answer to
     * the second is taken.
     */
    @Test
    void aLateAnswerArrivingAfterTheNextOfferIsLetGoAndTheNextAnswerTaken() throws Exception {
        try (TestServer server = withShortOfferTimeout()) {
            LeftUnanswered offers = offerLeftUnansweredThenAScreen(server, "slow");
            SignalClient slow = offers.watcher();
            Received first = offers.first();
            Received second = offers.next();
            assertThat(second.data().get("sdp").asText().split("m=").length)
                    .isGreaterThan(first.data().get("sdp").asText().split("m=").length);

            slow.send("answer", TestServer.answerTo(first));
            assertThat(slow.receivesWithin("error", Duration.ofMillis(500))).as("an error for the late answer").isFalse();
            slow.send("answer", TestServer.answerTo(second));
            assertThat(slow.receivesWithin("error", Duration.ofMillis(500))).as("an error for the due answer").isFalse();
            slow.send("answer", TestServer.answerTo(second));
            Received again = slow.await("error", WAIT);
            assertThat(again.data().get("code").asText()).as("the second offer was answered: nothing is outstanding")
                    .isEqualTo("no-offer-pending");
        }
    }

    /** RTCEngine's SDK joins with two transceivers added as inactive and no track, and never says answersOffers. */
    private static SignalClient joinAsTheSdk(TestServer server, String room, String user) throws Exception {
        String offer = TestServer.offer(user + "-cam").lines()
                .filter(l -> !l.startsWith("a=msid") && !l.startsWith("a=ssrc"))
                .map(l -> l.equals("a=sendrecv") || l.equals("a=sendonly") ? "a=inactive" : l)
                .collect(java.util.stream.Collectors.joining("\r\n", "", "\r\n"));
        SignalClient c = server.connect();
        ObjectNode join = server.joinData(room, user, offer);
        join.remove("answersOffers");
        c.send("join", join);
        c.await("joined", WAIT);
        return c;
    }

    /**
     * A client that never said it answers offers gets its first one only once its addStream was answered (the SDK
     * re-applies its last remote description right after sending addStream); a viewer, which sends none, gets it
     * after the hold. Its offers count as applied after 2 s, so later changes need not wait the offer timeout.
     */
    @Test
    void aClientThatNeverAnswersGetsItsFirstOfferAfterTheHoldAndLaterOnesAfterAShortSettle() throws Exception {
        try (TestServer server = TestServer.start()) {
            SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
            addStream(alice, "alice", "alice-cam");
            long joinedAt = System.nanoTime();
            SignalClient viewer = joinAsTheSdk(server, "r1", "viewer");

            assertThat(viewer.receivesWithin("offer", Duration.ofMillis(2000))).as("held").isFalse();
            Received first = viewer.await("offer", Duration.ofSeconds(4));
            assertThat(Duration.ofNanos(System.nanoTime() - joinedAt)).isLessThan(Duration.ofMillis(4600));
            assertThat(first.data().get("sdp").asText()).contains("a=msid:alice-cam alice-cam-video");

            // Never answered: alice's second stream still reaches it within a few seconds, well under the 10 s
            // offer timeout.
            addStream(alice, "alice", "alice-cam", "alice-screen");
            long added = System.nanoTime();
            Received next = viewer.await("offer", Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(Duration.ofMillis(3600));
            assertThat(next.data().get("sdp").asText()).contains("a=msid:alice-screen alice-screen-video");
            assertThat(viewer.types()).doesNotContain("error");
        }
    }

    /**
     * RTCEngine's SDK ignores the answer to its addStream and re-applies its join answer, which left its sections
     * inactive: the server offers right after, with the client's sending sections as recvonly, so that applying it
     * makes them send. The viewers get the new stream as usual.
     */
    @Test
    void aClientThatNeverAnswersIsOfferedRightAfterItsAddStream() throws Exception {
        try (TestServer server = TestServer.start()) {
            SignalClient viewer = server.joinWatching("r1", "viewer");
            SignalClient sdk = joinAsTheSdk(server, "r1", "sdk");

            addStream(sdk, "sdk", "sdk-cam");
            Received offer = sdk.await("offer", Duration.ofSeconds(1));
            String sdp = offer.data().get("sdp").asText();
            assertThat(sdp.split("m=")[1]).contains("a=recvonly").contains("a=mid:0");
            assertThat(sdp.split("m=")[2]).contains("a=recvonly").contains("a=mid:1");
            assertThat(viewer.await("offer", WAIT).data().get("sdp").asText()).contains("a=msid:sdk-cam sdk-cam-video");
            assertThat(sdk.types()).doesNotContain("error");
        }
    }

    /** An answer that comes after its offer was taken as applied is still welcome: no error to a slow client. */
    @Test
    void aLateAnswerToAnOfferTakenAsAppliedIsAccepted() throws Exception {
        try (TestServer server = TestServer.start()) {
            SignalClient alice = server.joinPublishing("r1", "alice", "alice-cam");
            addStream(alice, "alice", "alice-cam");
            SignalClient slow = joinAsTheSdk(server, "r1", "slow");
            Received offer = slow.await("offer", Duration.ofSeconds(5));
            Thread.sleep(3500); // past the 2 s settle, checked every second

            slow.send("answer", TestServer.answerTo(offer));

            assertThat(slow.receivesWithin("error", Duration.ofMillis(500))).isFalse();
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
