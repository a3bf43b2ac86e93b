package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.eventually;
import static dev.roomdeck.console.ConsoleWindowTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.client.MediaClient;
import dev.roomdeck.console.model.PeerRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The level meters against real media: two Java clients (real ICE, DTLS, SRTP) send audio packets whose RFC 6464
 * header extension says how loud they are, as browsers do, and the console's meters, speaking marks and the
 * loudest-first order follow what they send.
 */
class ConsoleLevelTest extends OpenConsole {
    private static final Duration READY = Duration.ofSeconds(20);
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /** −dBov: loud speech, and silence. */
    private static final int LOUD = 8;
    private static final int QUIET = 127;

    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopPacing() {
        pacer.shutdownNow();
    }

    @Test
    void theMetersFollowTheLevelsClientsSendAndLoudestFirstFindsTheNoisyMicrophone() throws Exception {
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", "bob-cam");
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        AtomicInteger aliceLevel = new AtomicInteger(LOUD);
        AtomicInteger bobLevel = new AtomicInteger(QUIET);
        speak(alice, aliceLevel);
        speak(bob, bobLevel);

        eventually(SETTLE, () -> meter("alice") > 0.7 && speaking("alice") && meter("bob") == 0 && !speaking("bob"),
                this::seen);
        fx(() -> {
            robot.lookup("#peers").queryAs(TableView.class); // the window is up
            return null;
        });
        robot.push(javafx.scene.input.KeyCode.SHORTCUT, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.L);
        eventually(SETTLE, () -> order().equals(List.of("alice", "bob")), this::order);

        // Bob's microphone gets noisy, Alice goes quiet: the meters move and Bob comes to the top.
        bobLevel.set(LOUD);
        aliceLevel.set(QUIET);
        eventually(SETTLE, () -> meter("bob") > 0.7 && speaking("bob") && meter("alice") < 0.2 && !speaking("alice"),
                this::seen);
        eventually(SETTLE, () -> order().equals(List.of("bob", "alice")), this::order);
    }

    /** Sends an audio packet every 20 ms with the level the holder says (as Opus in a browser would). */
    private void speak(MediaClient c, AtomicInteger minusDbov) {
        AtomicInteger seq = new AtomicInteger();
        int ssrc = c.ssrc("audio");
        pacer.scheduleAtFixedRate(() -> {
            int s = seq.getAndIncrement();
            byte[] p = new byte[12 + 8 + 40];
            p[0] = (byte) 0x90; // V=2, X=1
            p[1] = (byte) 111;
            p[2] = (byte) (s >>> 8);
            p[3] = (byte) s;
            int ts = s * 960;
            p[4] = (byte) (ts >>> 24);
            p[5] = (byte) (ts >>> 16);
            p[6] = (byte) (ts >>> 8);
            p[7] = (byte) ts;
            p[8] = (byte) (ssrc >>> 24);
            p[9] = (byte) (ssrc >>> 16);
            p[10] = (byte) (ssrc >>> 8);
            p[11] = (byte) ssrc;
            p[12] = (byte) 0xBE; // one-byte header extensions (RFC 8285)
            p[13] = (byte) 0xDE;
            p[14] = 0;
            p[15] = 1; // one 32-bit word
            p[16] = (byte) (1 << 4); // id 1 (ssrc-audio-level in the client's offer), length 1
            p[17] = (byte) (0x80 | minusDbov.get()); // V (voice) and the level
            try {
                c.transport().sendRtp(p, 0, p.length);
            } catch (RuntimeException ignored) {
                // closing
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    // ---- reading the window ----

    /** The meter's fill (0–1) on the row of this peer, as drawn. */
    private double meter(String peer) {
        Node box = levelCell(peer).getGraphic();
        return box == null ? -1 : ((ProgressBar) box.lookup(".level-meter")).getProgress();
    }

    private boolean speaking(String peer) {
        Node box = levelCell(peer).getGraphic();
        return box != null && box.lookup(".speaking-badge").isVisible();
    }

    private TableCell<?, ?> levelCell(String peer) {
        TableView<?> t = robot.from(stage.getScene().getRoot()).lookup("#peers").query();
        int index = -1;
        for (int i = 0; i < t.getItems().size(); i++) {
            if (((PeerRow) t.getItems().get(i)).id().equals(peer)) {
                index = i;
            }
        }
        int row = index;
        return t.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "peerLevel".equals(c.getTableColumn().getId())
                        && c.getIndex() == row && c.isVisible() && !c.isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError("no level cell for " + peer));
    }

    private List<String> order() throws Exception {
        return fx(() -> {
            TableView<?> t = robot.from(stage.getScene().getRoot()).lookup("#peers").query();
            List<String> out = new ArrayList<>();
            t.getItems().forEach(p -> out.add(((PeerRow) p).id()));
            return out;
        });
    }

    private String seen() throws Exception {
        return fx(() -> {
            List<String> out = new ArrayList<>();
            for (String p : List.of("alice", "bob")) {
                out.add(p + " meter " + meter(p) + (speaking(p) ? " speaking" : ""));
            }
            return out + " server: " + live.server().admin().snapshot().rooms();
        });
    }

}
