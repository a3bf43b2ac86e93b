package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.eventually;
import static dev.roomdeck.console.ConsoleWindowTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.StreamRow;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's live figures against real media: Java clients with real ICE, DTLS and SRTP publish RTP at a
 * known rate through the in-process server, and the window must show what actually flows. Rates are checked
 * to within 20 % of what the clients send, as figures an operator reads (the cells' text, the chart's points).
 */
class ConsoleMediaTest extends OpenConsole {
    private static final Duration READY = Duration.ofSeconds(20);
    /** Joining, ICE+DTLS and a full one-second meter window on a loaded 2-core machine. */
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final long ALICE_BPS = 500_000;
    private static final long BOB_BPS = 300_000;
    private static final int PAYLOAD = 1000;

    private final PacedSender sender = new PacedSender();

    @AfterEach
    void stopSending() throws Exception {
        sender.close();
    }

    @Test
    void aStreamsBitrateCellAndItsChartLineShowTheRateItsClientSends() throws Exception {
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", null);
        ready(alice, bob);
        sender.send(alice, "video", ALICE_BPS, PAYLOAD);
        flowing(alice, bob);

        clickCell("#peers", "alice");

        eventually(SETTLE, () -> near(shownBps(streamCell("streamBitrate", "video")), ALICE_BPS),
                () -> streamCell("streamBitrate", "video").getText());
        assertThat(fx(() -> streamCell("streamBitrate", "audio").getText())).as("no audio is sent").isEqualTo("0");
        // The line: its last three one-second points, not a lucky single one.
        eventually(SETTLE, () -> {
            List<XYChart.Data<Number, Number>> line = series("alice · camera").getData();
            return line.size() >= 3 && line.subList(line.size() - 3, line.size()).stream()
                    .allMatch(d -> near(d.getYValue().doubleValue() * 1000, ALICE_BPS));
        }, () -> series("alice · camera").getData().stream().map(d -> d.getYValue().intValue()).toList());
    }

    @Test
    void theMuteVideoButtonStopsTheStreamAtTheSubscriberAndUnmuteBringsItBackWithAKeyframeRequest() throws Exception {
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", null);
        ready(alice, bob);
        PacedSender.Flow video = sender.send(alice, "video", ALICE_BPS, PAYLOAD);
        MediaClient.ReceivedTrack atBob = bob.inbound(alice.ssrc("video"));
        flowing(alice, bob);
        clickCell("#peers", "alice");
        eventually(SETTLE, () -> !button("#muteVideo").isDisabled());

        robot.clickOn(button("#muteVideo"));

        assertThat(awaitConfigure(bob.signal(), "video").data().get("video").asBoolean()).isFalse();
        eventually(SETTLE, () -> button("#muteVideo").getText().equals("Unmute video"));
        Thread.sleep(300); // packets forwarded just before the mute may still be on their way
        long bobHad = atBob.packets.sum();
        long aliceSent = video.packets();
        Thread.sleep(1000); // absence takes time to show: alice goes on sending ~60 packets
        assertThat(video.packets() - aliceSent).as("alice kept sending").isGreaterThan(30);
        assertThat(atBob.packets.sum()).as("packets at bob while muted").isEqualTo(bobHad);
        long plis = alice.plisReceived();

        robot.clickOn(button("#muteVideo"));

        assertThat(awaitConfigure(bob.signal(), "video").data().get("video").asBoolean()).isTrue();
        waitUntil("alice's video at bob again", () -> atBob.packets.sum() >= bobHad + 20);
        waitUntil("a keyframe request at alice", () -> alice.plisReceived() > plis);
        eventually(SETTLE, () -> button("#muteVideo").getText().equals("Mute video"));
    }

    @Test
    void thePeersTableShowsTransportReadyAndEachPeersRealBitrateInAndOut() throws Exception {
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", "bob-cam");
        MediaClient carol = live.media("r1", "carol", null);
        ready(alice, bob, carol);
        sender.send(alice, "video", ALICE_BPS, PAYLOAD);
        sender.send(bob, "video", BOB_BPS, PAYLOAD);

        // Each publisher receives the other's stream; carol receives both and sends only receiver reports.
        eventually(SETTLE, () -> peerFigures("alice").matches(ALICE_BPS, BOB_BPS)
                && peerFigures("bob").matches(BOB_BPS, ALICE_BPS)
                && peerFigures("carol").state().equals("ready")
                && near(peerFigures("carol").out(), ALICE_BPS + BOB_BPS)
                && peerFigures("carol").in() > 0 && peerFigures("carol").in() < 10_000,
                () -> List.of(peerFigures("alice"), peerFigures("bob"), peerFigures("carol")));
        assertThat(fx(() -> peerCell("peerLoss", "alice").getText())).isEqualTo("0.0 %");
    }

    @Test
    void theStatusBarCountsMediaPacketsAndItsTooltipListsDropsByReason() throws Exception {
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", null);
        ready(alice, bob);
        PacedSender.Flow video = sender.send(alice, "video", ALICE_BPS, PAYLOAD);
        double pps = ALICE_BPS / (8.0 * (12 + PAYLOAD)); // ~62 a second, forwarded once (to bob)
        flowing(alice, bob);

        // Five packets on an SSRC alice never announced: they pass SRTP and are dropped by the forwarder.
        byte[] stray = new byte[12 + 100];
        stray[0] = (byte) 0x80;
        stray[1] = 96;
        for (int i = 0; i < 5; i++) {
            stray[3] = (byte) i;
            stray[8] = 0x0B;
            stray[9] = (byte) 0xAD;
            stray[10] = (byte) 0xCA;
            stray[11] = (byte) 0xFE;
            alice.transport().sendRtp(stray, 0, stray.length);
        }

        eventually(SETTLE, () -> console.status().packetsDetail().getText().contains("\n  rtp-unknown-ssrc  5"),
                () -> console.status().packetsDetail().getText());
        eventually(SETTLE, () -> {
            Matcher m = Pattern.compile("RTP (\\d+)/s in · (\\d+)/s out · (\\d+) dropped").matcher(label("#statusPackets").getText());
            return m.matches() && near(Double.parseDouble(m.group(1)), pps) && near(Double.parseDouble(m.group(2)), pps)
                    && Long.parseLong(m.group(3)) >= 5;
        }, () -> label("#statusPackets").getText());
        String detail = fx(() -> console.status().packetsDetail().getText());
        Matcher m = Pattern.compile("RTP received (\\d+) · RTCP received \\d+\nRTP sent (\\d+)").matcher(detail);
        assertThat(m.find()).as(detail).isTrue();
        long received = Long.parseLong(m.group(1));
        assertThat(received).as("RTP received").isPositive().isLessThanOrEqualTo(video.packets() + 5);
        assertThat(Long.parseLong(m.group(2))).as("RTP sent (to bob only)").isPositive().isLessThanOrEqualTo(received);
    }

    // ---- the window, as read on the FX thread ----

    /** What the peers table shows for one peer: its state cell and its bitrate cells read back as numbers. */
    private record PeerStats(String state, long in, long out) {
        boolean matches(long expectedIn, long expectedOut) {
            return state.equals("ready") && near(in, expectedIn) && near(out, expectedOut);
        }
    }

    private PeerStats peerFigures(String peer) throws Exception {
        return fx(() -> new PeerStats(peerCell("peerState", peer).getText(), shownBps(peerCell("peerIn", peer)),
                shownBps(peerCell("peerOut", peer))));
    }

    private TableCell<?, ?> peerCell(String column, String peer) {
        return cellOf("#peers", column, row -> row instanceof PeerRow p && p.id().equals(peer));
    }

    private TableCell<?, ?> streamCell(String column, String kind) {
        return cellOf("#streams", column, row -> row instanceof StreamRow s && s.kindProperty().get().equals(kind));
    }

    private TableCell<?, ?> cellOf(String table, String column, java.util.function.Predicate<Object> row) {
        return mine(table).lookup((Node n) -> n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                && column.equals(c.getTableColumn().getId()) && c.getTableRow() != null
                && row.test(c.getTableRow().getItem())).query();
    }

    @SuppressWarnings("unchecked")
    private XYChart.Series<Number, Number> series(String name) {
        LineChart<Number, Number> chart = mine("#chart").query();
        return chart.getData().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElse(new XYChart.Series<>());
    }

    /** A bitrate cell's text ("0", "850 bit/s", "500 kbit/s", "1.25 Mbit/s") as bits per second. */
    private static long shownBps(TableCell<?, ?> cell) {
        String text = cell.getText();
        Matcher m = Pattern.compile("([\\d.]+)(?: (bit|kbit|Mbit)/s)?").matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new AssertionError("not a bitrate: " + text);
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "bit" : m.group(2);
        return Math.round(v * switch (unit) {
            case "kbit" -> 1e3;
            case "Mbit" -> 1e6;
            default -> 1;
        });
    }

    private static boolean near(double shown, double sent) {
        return Math.abs(shown - sent) <= 0.2 * sent;
    }

    private Button button(String id) {
        return mine(id).queryButton();
    }

    private Label label(String id) {
        return mine(id).queryAs(Label.class);
    }

    private void clickCell(String table, String text) throws Exception {
        Callable<Boolean> present = () -> mine(table)
                .lookup((Node n) -> n instanceof TableCell<?, ?> c && text.equals(c.getText())).tryQuery().isPresent();
        eventually(SETTLE, present);
        robot.clickOn(mine(table).lookup((Node n) -> n instanceof TableCell<?, ?> c && text.equals(c.getText()))
                .<Node>query());
    }

    private static void ready(MediaClient... clients) throws InterruptedException {
        for (MediaClient c : clients) {
            c.awaitReady(READY);
        }
    }

    /** Waits until the publisher's video reaches the subscriber; if it never does, says what the server saw. */
    private void flowing(MediaClient publisher, MediaClient subscriber) throws InterruptedException {
        MediaClient.ReceivedTrack in = subscriber.inbound(publisher.ssrc("video"));
        waitUntil(publisher.user() + "'s video at " + subscriber.user(), () -> in.packets.sum() >= 20,
                () -> subscriber.user() + "'s transport " + subscriber.transport().state() + "; server: "
                        + live.server().admin().snapshot() + "; " + live.server().admin().mediaCounters());
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        waitUntil(what, condition, () -> "");
    }

    private static void waitUntil(String what, BooleanSupplier condition, java.util.function.Supplier<String> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(String.format(Locale.ROOT, "not within %s: %s %s", SETTLE, what, seen.get()));
            }
            Thread.sleep(20);
        }
    }

    private static Received awaitConfigure(SignalClient c, String kind) throws InterruptedException {
        return c.await(m -> m.type().equals("configure") && m.data().has(kind) && !m.data().get(kind).isNull(),
                SETTLE, "configure with " + kind);
    }
}
