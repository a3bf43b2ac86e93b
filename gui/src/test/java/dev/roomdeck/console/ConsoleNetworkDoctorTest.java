package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.eventually;
import static dev.roomdeck.console.ConsoleWindowTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.client.MediaClient;
import dev.roomdeck.console.model.PeerRow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The network doctor against the real server: two Java clients with real ICE, DTLS and SRTP (one publishes, one
 * receives and reports on what it receives, so the server measures its round trip), and one peer that joins
 * through signalling with an offer whose ICE credentials never send a check, as a device on another network would.
 * The healthy ones read "UDP ✓" with their candidate pair, ICE time and RTT; the silent one reads "connecting…",
 * then "no media ✗" once the grace period is over, with the likely cause in words.
 */
class ConsoleNetworkDoctorTest extends OpenConsole {
    private static final Duration READY = Duration.ofSeconds(20);
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration APPEAR = Duration.ofSeconds(5);
    /** The doctor's 10 s of grace, the console's 1 s poll, and a loaded machine's slack. */
    private static final Duration FLAGGED_WITHIN = Duration.ofSeconds(13);
    /** Seconds between 1900 (NTP) and 1970. */
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopPacing() {
        pacer.shutdownNow();
    }

    @Test
    void healthyPeersShowTheirUdpPathAndASilentOneIsFlaggedNoMediaWithTheLikelyCause() throws Exception {
        int mediaPort = live.server().mediaPort();
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        // Alice's sender reports reach bob through the server; bob's receiver reports echo them: bob's round trip.
        pacer.scheduleAtFixedRate(() -> reportRoundTrip(alice, bob), 0, 250, TimeUnit.MILLISECONDS);

        eventually(SETTLE, () -> "UDP ✓".equals(networkText("alice")) && "UDP ✓".equals(networkText("bob")),
                () -> List.of(networkText("alice"), networkText("bob"), live.server().admin().snapshot()));
        assertThat(fx(() -> flags("bob"))).as("a healthy row is not flagged").isEmpty();

        clickName("bob");
        eventually(SETTLE, () -> !"–".equals(doctor("#doctorRtt")), () -> doctorTexts());
        assertThat(fx(() -> doctor("#doctorVerdict"))).startsWith("UDP ✓");
        assertThat(fx(() -> doctor("#doctorProtocol"))).isEqualTo("UDP");
        assertThat(fx(() -> doctor("#doctorLocal"))).isEqualTo("127.0.0.1:" + mediaPort);
        assertThat(fx(() -> doctor("#doctorRemote"))).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(fx(() -> doctor("#doctorCandidate"))).matches("(host|prflx) \\(.*\\)");
        assertThat(fx(() -> doctor("#doctorIce"))).matches("\\d+ ms|\\d+\\.\\d s|\\d+ s");
        assertThat(fx(() -> doctor("#doctorRtt"))).matches("[\\d.]+ ms");
        assertThat(fx(() -> doctor("#doctorLoss"))).isEqualTo("0.0 %");
        assertThat(fx(() -> doctor("#doctorFindings"))).isEqualTo("No findings.");

        // A device that joins but whose ICE never reaches the media port.
        live.joinPublishing("r1", "carol", "carol-cam");
        long joined = System.nanoTime();
        eventually(APPEAR, () -> "connecting…".equals(networkText("carol")), () -> networkText("carol"));
        assertThat(Duration.ofNanos(System.nanoTime() - joined)).as("shown as connecting within the grace period")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(fx(() -> flags("carol"))).isEmpty();

        Duration left = FLAGGED_WITHIN.minusNanos(System.nanoTime() - joined);
        left = left.isNegative() ? Duration.ZERO : left;
        eventually(left, () -> "no media ✗".equals(networkText("carol")) && flags("carol").contains("network-no-media"),
                () -> networkText("carol") + " " + flags("carol"));
        assertThat(fx(() -> cell("peerNetwork", "carol").getStyleClass())).contains("network-no-media");
        assertThat(fx(() -> networkText("alice"))).as("the others stay healthy").isEqualTo("UDP ✓");

        clickName("carol");
        String finding = "No connectivity check from this device has reached media port " + mediaPort;
        eventually(APPEAR, () -> doctor("#doctorFindings").contains(finding), () -> doctorTexts());
        assertThat(fx(() -> doctor("#doctorVerdict"))).startsWith("no media ✗");
        assertThat(fx(() -> doctor("#doctorProtocol"))).isEqualTo("none selected yet");
        assertThat(fx(() -> doctor("#doctorLocal"))).isEqualTo("–");
        assertThat(fx(() -> doctor("#doctorIce"))).isEqualTo("not yet");
        assertThat(fx(() -> doctor("#doctorLoss"))).as("no media: no loss to speak of").isEqualTo("–");
        assertThat(fx(() -> doctor("#doctorFindings"))).contains("It cannot reach 127.0.0.1");
        assertThat(fx(() -> label("#doctorFindings").isWrapText())).isTrue();
    }

    /**
     * An RTCP sender report from alice on her video SSRC (the server passes it on to bob and notes when), then a
     * receiver report from bob that echoes it (LSR) with no hold time (DLSR 0): the server's round trip to bob.
     */
    private static void reportRoundTrip(MediaClient alice, MediaClient bob) {
        try {
            int video = alice.ssrc("video");
            long now = System.currentTimeMillis();
            long ntp = ((now / 1000 + NTP_EPOCH_OFFSET) << 32) | (((now % 1000) << 32) / 1000);
            byte[] sr = new byte[28];
            sr[0] = (byte) 0x80; // V=2, no report blocks
            sr[1] = (byte) 200; // SR
            sr[3] = 6; // length in 32-bit words - 1
            put32(sr, 4, video);
            put32(sr, 8, (int) (ntp >>> 32));
            put32(sr, 12, (int) ntp);
            alice.transport().sendRtcp(sr, 0, sr.length);
            Thread.sleep(5); // the report must be through the server before the answer
            byte[] rr = new byte[8 + 24];
            rr[0] = (byte) 0x81; // V=2, one report block
            rr[1] = (byte) 201; // RR
            rr[3] = 7;
            put32(rr, 4, 0x0B0B0B0B);
            put32(rr, 8, video);
            put32(rr, 24, (int) (ntp >>> 16)); // LSR: the middle 32 bits of the NTP time
            bob.transport().sendRtcp(rr, 0, rr.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // closing
        }
    }

    private static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    // ---- reading the window (on the FX thread) ----

    /** The Network cell's text on this peer's row; null while the row is not drawn. */
    private String networkText(String peer) {
        TableCell<?, ?> c = cellOrNull("peerNetwork", peer);
        return c == null ? null : c.getText();
    }

    /** The network style classes on this peer's row, as drawn. */
    private List<String> flags(String peer) {
        TableCell<?, ?> c = cellOrNull("peerNetwork", peer);
        TableRow<?> row = c == null ? null : c.getTableRow();
        return row == null ? List.of() : row.getStyleClass().stream().filter(s -> s.startsWith("network-")).toList();
    }

    private TableCell<?, ?> cell(String column, String peer) {
        TableCell<?, ?> c = cellOrNull(column, peer);
        if (c == null) {
            throw new AssertionError("no " + column + " cell drawn for " + peer);
        }
        return c;
    }

    private TableCell<?, ?> cellOrNull(String column, String peer) {
        TableView<?> t = mine("#peers").query();
        return t.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(c.getTableColumn().getId()) && !c.isEmpty()
                        && c.getTableRow() != null && c.getTableRow().getItem() instanceof PeerRow p
                        && p.id().equals(peer) && drawn(c))
                .findFirst().orElse(null);
    }

    /** Visible up to the table: not one of the cells the table keeps aside for reuse or measuring. */
    private static boolean drawn(Node n) {
        for (Node x = n; x != null && !(x instanceof TableView<?>); x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Clicks the peer's name once its cell is drawn (the row is in the model before it is on screen). */
    private void clickName(String peer) throws Exception {
        eventually(APPEAR, () -> cellOrNull("peerName", peer) != null);
        robot.clickOn(fx(() -> (Node) cell("peerName", peer)));
        eventually(APPEAR, () -> {
            TableView<?> t = mine("#peers").query();
            return t.getSelectionModel().getSelectedItem() instanceof PeerRow p && p.id().equals(peer);
        });
    }

    private String doctor(String id) {
        return label(id).getText();
    }

    private List<String> doctorTexts() throws Exception {
        return fx(() -> List.of("#doctorVerdict", "#doctorProtocol", "#doctorLocal", "#doctorRemote",
                "#doctorCandidate", "#doctorIce", "#doctorRtt", "#doctorLoss", "#doctorJitter", "#doctorFindings")
                .stream().map(id -> id + "=" + doctor(id)).toList());
    }

    private Label label(String id) {
        return mine(id).queryAs(Label.class);
    }
}
