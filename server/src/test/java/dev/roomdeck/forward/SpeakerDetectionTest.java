package dev.roomdeck.forward;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who is speaking, with real media: Java clients send audio packets whose RFC 6464 levels the test controls (50 a
 * second over real ICE/DTLS/SRTP), a watcher that asked for speaker events hears who has the floor.
 */
class SpeakerDetectionTest {
    private static final Duration READY = Duration.ofSeconds(10);
    private TestServer server;
    private ScheduledExecutorService talk;
    /** user → −dBov each client's microphone says now. */
    private final Map<String, Integer> levels = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        talk = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        talk.shutdownNow();
        server.close();
    }

    private MediaClient speaker(String user) throws Exception {
        MediaClient c = server.media("standup", user, user + "-cam");
        c.awaitReady(READY);
        levels.put(user, 127);
        int[] seq = {0};
        talk.scheduleAtFixedRate(() -> {
            int n = seq[0]++;
            c.sendAudio(n & 0xFFFF, n * 960, levels.get(user), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }, 0, 20, TimeUnit.MILLISECONDS);
        return c;
    }

    private SignalClient watcher() throws Exception {
        SignalClient w = server.connect();
        ObjectNode join = server.joinData("standup", "watcher", TestServer.emptyOffer());
        join.putArray("events").add("speaker");
        w.send("join", join);
        w.await("joined", WAIT);
        return w;
    }

    /** Waits for a speaker message with changed:true naming {@code user}; returns how long it took. */
    private static long awaitSpeaker(SignalClient w, String user, Duration within) throws InterruptedException {
        long t0 = System.nanoTime();
        w.await(m -> m.type().equals("speaker") && m.data().path("changed").asBoolean()
                && user.equals(m.data().path("peer").asText(null)), within, "speaker " + user);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Every speaker message waiting in the inbox, taken out. */
    private static List<JsonNode> takeSpeakerMessages(SignalClient w) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        while (w.receivesWithin("speaker", Duration.ZERO)) {
            out.add(w.await("speaker", Duration.ofMillis(10)).data());
        }
        return out;
    }

    @Test
    void theFloorFollowsTheLoudestWithinASecondAndDoesNotFlapBetweenEquals() throws Exception {
        SignalClient w = watcher();
        speaker("anna");
        speaker("ben");
        speaker("chen");

        levels.put("anna", 20);
        levels.put("ben", 60);
        long first = awaitSpeaker(w, "anna", Duration.ofSeconds(3));
        System.out.println("[speaker] anna took the floor after " + first + " ms");

        levels.put("anna", 65);
        levels.put("ben", 15);
        long switched = awaitSpeaker(w, "ben", Duration.ofSeconds(1));
        System.out.println("[speaker] ben took the floor " + switched + " ms after he got louder");

        // Two equally loud people for three seconds: nobody takes the floor from ben.
        levels.put("anna", 25);
        levels.put("ben", 25);
        takeSpeakerMessages(w);
        Thread.sleep(3000);
        List<JsonNode> heard = takeSpeakerMessages(w);
        assertThat(heard).isNotEmpty(); // levels kept coming
        assertThat(heard).allSatisfy(m -> assertThat(m.path("peer").asText()).isEqualTo("ben"));
        assertThat(heard).noneSatisfy(m -> assertThat(m.path("changed").asBoolean()).isTrue());

        // The levels say who is loud, and the operator sees it too.
        assertThat(heard.get(heard.size() - 1).get("levels")).anySatisfy(l -> {
            assertThat(l.get("peer").asText()).isEqualTo("anna");
            assertThat(l.get("level").asInt()).isGreaterThan(50);
            assertThat(l.get("speaking").asBoolean()).isTrue();
        });
        PeerSnapshot chen = server.server().admin().snapshot().rooms().get(0).peers().stream()
                .filter(p -> p.id().equals("chen")).findFirst().orElseThrow();
        PeerSnapshot anna = server.server().admin().snapshot().rooms().get(0).peers().stream()
                .filter(p -> p.id().equals("anna")).findFirst().orElseThrow();
        assertThat(anna.audioLevel()).isGreaterThan(50);
        assertThat(anna.speaking()).isTrue();
        assertThat(chen.audioLevel()).isZero();
        assertThat(chen.speaking()).isFalse();
    }

    @Test
    void mutedAudioNeverSpeaks() throws Exception {
        SignalClient w = watcher();
        speaker("anna");
        speaker("ben");
        levels.put("ben", 15);
        awaitSpeaker(w, "ben", Duration.ofSeconds(3));

        server.server().admin().mute("standup", "ben", "ben-cam", true, true);
        levels.put("anna", 40);

        awaitSpeaker(w, "anna", Duration.ofSeconds(3)); // ben, muted, is silent for the floor
        SignalClient.Received lv = w.await(m -> m.type().equals("speaker"), Duration.ofSeconds(2), "levels");
        assertThat(lv.data().get("levels")).anySatisfy(l -> {
            assertThat(l.get("peer").asText()).isEqualTo("ben");
            assertThat(l.get("level").asInt()).isZero();
            assertThat(l.get("speaking").asBoolean()).isFalse();
        });
        assertThat(server.server().admin().muteAllButSpeaker("standup")).isZero(); // ben is muted, anna speaks
    }
}
