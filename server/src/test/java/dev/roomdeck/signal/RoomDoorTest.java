package dev.roomdeck.signal;

import static dev.roomdeck.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.admin.AdminException;
import dev.roomdeck.admin.KnockSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerEvent;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A room's door, as the operator uses it: lock and lobby, admit and refuse, and a PIN. Real Jetty, real clients. */
class RoomDoorTest {
    private TestServer server;
    private AdminApi admin;
    private final List<ServerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        admin = server.server().admin();
        admin.addListener(events::add);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private RoomSnapshot room(String id) {
        return admin.snapshot().rooms().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private KnockSnapshot awaitKnock(String roomId, String user) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (KnockSnapshot k : room(roomId).lobby()) {
                if (k.userId().equals(user)) {
                    return k;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(user + " never knocked on " + roomId);
    }

    /** A watcher joins the locked room, hears lobby, and the operator sees the knock. */
    private SignalClient waitsInLobby(String roomId, String user) throws Exception {
        SignalClient c = server.connect();
        c.send("join", server.joinData(roomId, user, TestServer.emptyOffer()));
        c.await("lobby", WAIT);
        awaitKnock(roomId, user);
        return c;
    }

    private static ObjectNode named(ObjectNode join, String name) {
        join.putObject("attributes").put("name", name);
        return join;
    }

    @Test
    void aLockedRoomSendsANewcomerToTheLobbyAndTheOperatorLetsThemIn() throws Exception {
        SignalClient anna = server.joinPublishing("weekly", "anna", "anna-cam");
        admin.lock("weekly", true);

        SignalClient ben = server.connect();
        String id = ben.send("join", named(server.joinData("weekly", "ben", TestServer.offer("ben-cam")), "Ben"));
        Received lobby = ben.await("lobby", WAIT);
        assertThat(lobby.id().asText()).isEqualTo(id);
        assertThat(lobby.data().get("room").asText()).isEqualTo("weekly");
        assertThat(room("weekly").peers()).extracting("id").containsExactly("anna");
        assertThat(anna.receivesWithin("peerConnected", Duration.ofMillis(300))).isFalse();

        KnockSnapshot knock = awaitKnock("weekly", "ben");
        assertThat(knock.name()).isEqualTo("Ben");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(ServerEvent.Knock.class));

        admin.admit("weekly", knock.knockId());

        Received joined = ben.await("joined", WAIT);
        assertThat(joined.id().asText()).isEqualTo(id);
        assertThat(joined.data().get("sdp").asText()).startsWith("v=0");
        assertThat(anna.await("peerConnected", WAIT).data().at("/peer/id").asText()).isEqualTo("ben");
        assertThat(room("weekly").lobby()).isEmpty();
        assertThat(room("weekly").locked()).isTrue();
    }

    @Test
    void aRefusedJoinHearsJoinRefusedAndMayKnockAgain() throws Exception {
        server.joinWatching("weekly", "anna");
        admin.lock("weekly", true);
        SignalClient ben = server.connect();
        String id = ben.send("join", server.joinData("weekly", "ben", TestServer.emptyOffer()));
        ben.await("lobby", WAIT);

        admin.refuse("weekly", awaitKnock("weekly", "ben").knockId());

        Received refused = ben.await("error", WAIT);
        assertThat(refused.id().asText()).isEqualTo(id);
        assertThat(refused.data().get("code").asText()).isEqualTo("join-refused");
        assertThat(room("weekly").peers()).extracting("id").containsExactly("anna");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ServerEvent.KnockEnded.class,
                k -> assertThat(k.outcome()).isEqualTo("refused")));

        ben.send("join", server.joinData("weekly", "ben", TestServer.emptyOffer()));
        ben.await("lobby", WAIT);
        assertThat(awaitKnock("weekly", "ben")).isNotNull();
    }

    @Test
    void aReloadTakesItsOwnSeatBackWithoutKnocking() throws Exception {
        server.joinWatching("weekly", "anna");
        server.joinWatching("weekly", "ben");
        admin.lock("weekly", true);

        SignalClient benAgain = server.connect();
        benAgain.send("join", server.joinData("weekly", "ben", TestServer.emptyOffer()));

        assertThat(benAgain.await("joined", WAIT)).isNotNull();
        assertThat(room("weekly").lobby()).isEmpty();
    }

    @Test
    void leavingOrClosingWhileWaitingWithdrawsTheKnock() throws Exception {
        server.joinWatching("weekly", "anna");
        admin.lock("weekly", true);
        SignalClient ben = waitsInLobby("weekly", "ben");
        SignalClient chen = waitsInLobby("weekly", "chen");

        ben.send("leave", ben.object());
        chen.abort();

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!room("weekly").lobby().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(room("weekly").lobby()).isEmpty();
        assertThatThrownBy(() -> admin.admit("weekly", "k1")).isInstanceOf(AdminException.class);
    }

    @Test
    void unlockingLetsEveryoneWaitingIn() throws Exception {
        server.joinWatching("weekly", "anna");
        admin.lock("weekly", true);
        SignalClient ben = waitsInLobby("weekly", "ben");
        SignalClient chen = waitsInLobby("weekly", "chen");

        admin.lock("weekly", false);

        assertThat(ben.await("joined", WAIT)).isNotNull();
        assertThat(chen.await("joined", WAIT)).isNotNull();
        assertThat(room("weekly").peers()).extracting("id").containsExactlyInAnyOrder("anna", "ben", "chen");
    }

    @Test
    void aPinIsAskedCheckedAndThenLetsIn() throws Exception {
        server.joinWatching("weekly", "anna");
        admin.setPin("weekly", "4711");
        assertThat(room("weekly").pinSet()).isTrue();
        SignalClient ben = server.connect();

        ben.send("join", server.joinData("weekly", "ben", TestServer.emptyOffer()));
        assertThat(ben.await("error", WAIT).data().get("code").asText()).isEqualTo("pin-required");

        ObjectNode wrong = server.joinData("weekly", "ben", TestServer.emptyOffer());
        wrong.put("pin", "1234");
        ben.send("join", wrong);
        assertThat(ben.await("error", WAIT).data().get("code").asText()).isEqualTo("pin-wrong");

        ObjectNode right = server.joinData("weekly", "ben", TestServer.emptyOffer());
        right.put("pin", "4711");
        ben.send("join", right);
        assertThat(ben.await("joined", WAIT)).isNotNull();

        admin.setPin("weekly", "");
        assertThat(room("weekly").pinSet()).isFalse();
        SignalClient chen = server.connect();
        chen.send("join", server.joinData("weekly", "chen", TestServer.emptyOffer()));
        assertThat(chen.await("joined", WAIT)).isNotNull();
    }

    @Test
    void theOperatorStopsAScreenShareForEveryone() throws Exception {
        SignalClient ben = server.joinPublishing("weekly", "ben", "ben-cam");
        SignalClient anna = server.joinWatching("weekly", "anna");
        ObjectNode d = ben.object();
        ObjectNode stream = d.putObject("stream");
        stream.put("id", "ben").put("msid", "ben-screen").put("local", true).put("bitrate", 2500);
        stream.putObject("attributes").put("kind", "screen").put("name", "Ben");
        d.put("sdp", TestServer.offer("ben-cam", "ben-screen"));
        ben.send("addStream", d);
        ben.await("streamAdded", WAIT);
        assertThat(room("weekly").peers().stream().filter(p -> p.id().equals("ben")).findFirst().orElseThrow()
                .streams()).anySatisfy(s -> {
                    assertThat(s.kind()).isEqualTo("screen");
                    assertThat(s.label()).isEqualTo("Ben · screen");
                });
        Received withScreen = anna.await(m -> m.type().equals("offer")
                && m.data().get("sdp").asText().contains("ben-screen"), WAIT, "an offer with the screen");
        anna.send("answer", TestServer.answerTo(withScreen));

        admin.stopStream("weekly", "ben", "ben-screen");

        Received stop = ben.await("stopStream", WAIT);
        assertThat(stop.data().get("msid").asText()).isEqualTo("ben-screen");
        assertThat(stop.data().get("by").asText()).isEqualTo("operator");
        Received offer = anna.await(m -> m.type().equals("offer") && !m.data().get("sdp").asText().contains("msid:ben-screen"),
                WAIT, "an offer without the screen");
        assertThat(offer.data().toString()).doesNotContain("\"ben-screen\"");
        assertThat(room("weekly").peers().stream().filter(p -> p.id().equals("ben")).findFirst().orElseThrow()
                .streams()).extracting("msid").containsExactly("ben-cam");
    }
}
