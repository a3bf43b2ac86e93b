package dev.roomdeck.console.view;

import dev.roomdeck.admin.PacketsSnapshot;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.console.feed.ProcessLoad;
import dev.roomdeck.console.join.JoinInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The bottom line: where to join, the media port, uptime, totals, packets through the media port (drops by
 * reason in its tooltip), and this process's CPU and memory.
 */
public final class StatusBar {
    private final HBox box = new HBox(8);
    private final Label join = label("statusJoin");
    private final Tooltip joinDetail = new Tooltip();
    private final Label media = label("statusMedia");
    private final Label network = label("statusNetwork");
    private final Tooltip networkDetail = new Tooltip();
    private final Separator networkSep = sep();
    private List<String> problems = List.of();
    private final Label uptime = label("statusUptime");
    private final Label totals = label("statusTotals");
    private final Label bitrates = label("statusBitrates");
    private final Label packets = label("statusPackets");
    private final Tooltip packetsDetail = new Tooltip("No media counters yet.");
    private final Label load = label("statusLoad");
    private final Tooltip loadDetail = new Tooltip();
    private PacketsSnapshot lastCounters;
    private Instant lastCountersAt;

    public StatusBar(JoinInfo joinInfo) {
        box.setId("statusBar");
        box.getStyleClass().add("status-bar");
        join.getStyleClass().add("join-url");
        join.setTooltip(joinDetail);
        showJoin(joinInfo);
        packetsDetail.setId("statusPacketsDetail");
        packetsDetail.getStyleClass().add("media-counters");
        packetsDetail.setShowDelay(javafx.util.Duration.millis(300));
        packetsDetail.setShowDuration(javafx.util.Duration.INDEFINITE);
        packets.setTooltip(packetsDetail);
        load.setTooltip(loadDetail);
        network.getStyleClass().addAll("warning", "network-problem");
        networkDetail.setId("statusNetworkDetail");
        networkDetail.setWrapText(true);
        networkDetail.setMaxWidth(560);
        networkDetail.setShowDuration(javafx.util.Duration.INDEFINITE);
        network.setTooltip(networkDetail);
        network.setMinWidth(120); // a long problem gives way (with an ellipsis); the tooltip has it in full
        showNetworkProblems(List.of());
        // Everything keeps its width but the load figures, which give way first on a narrow window.
        for (Label l : List.of(join, media, uptime, totals, bitrates, packets)) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        box.getChildren().addAll(join, sep(), media, networkSep, network, sep(), uptime, sep(), totals, sep(), bitrates, sep(), packets,
                grow, load);
    }

    /** Where to join now (again after a restart with new ports); the certificate's fingerprint in the tooltip. */
    public void showJoin(JoinInfo j) {
        List<String> urls = j.urls();
        join.setText(urls.isEmpty() ? "Join: " + j.localUrl() : "Join: " + urls.get(0)
                + (urls.size() > 1 ? "  (+" + (urls.size() - 1) + " more)" : ""));
        joinDetail.setText(String.join("\n", urls) + (urls.isEmpty() ? "" : "\n") + "On this PC: " + j.localUrl()
                + "\nCertificate SHA-256 " + j.certificate().fingerprint() + "\n" + j.browserAdvice());
    }

    public HBox node() {
        return box;
    }

    public Tooltip packetsDetail() {
        return packetsDetail;
    }

    public void update(ServerSnapshot s, PacketsSnapshot m, ProcessLoad l) {
        if (s != null) {
            media.setText("Media port " + s.mediaPort());
            showNetworkProblems(s.networkProblems());
            uptime.setText("Up " + Formats.duration(s.uptimeSeconds()));
            long in = 0;
            long out = 0;
            int streams = 0;
            for (RoomSnapshot r : s.rooms()) {
                for (PeerSnapshot p : r.peers()) {
                    in += p.bitrateInBps();
                    out += p.bitrateOutBps();
                    streams += p.streams().size();
                }
            }
            totals.setText(s.rooms().size() + " rooms · " + s.peerCount() + " peers · " + streams + " streams");
            bitrates.setText("in " + Formats.bitrate(in) + " · out " + Formats.bitrate(out));
        }
        if (s != null && m != null) {
            showCounters(m, s.takenAt());
        }
        if (l != null) {
            load.setText("CPU " + (l.cpuPercent() < 0 ? "–" : String.format(Locale.ROOT, "%.0f %%", l.cpuPercent()))
                    + " · heap " + Formats.megabytes(l.heapUsedBytes()) + " · RSS " + Formats.megabytes(l.residentBytes()));
            loadDetail.setText("This process (server and console): CPU as a share of all " + l.cores()
                    + " cores, Java heap in use (of " + Formats.megabytes(l.heapMaxBytes()) + "), resident memory.");
        }
    }

    /**
     * What the self-check of this PC's media addresses found: the first problem as a warning (with how many more),
     * all of them in the tooltip; nothing at all while there are none.
     */
    void showNetworkProblems(List<String> now) {
        if (now.equals(problems) && network.isManaged() == !now.isEmpty()) {
            return;
        }
        problems = List.copyOf(now);
        boolean any = !problems.isEmpty();
        network.setVisible(any);
        network.setManaged(any);
        networkSep.setVisible(any);
        networkSep.setManaged(any);
        if (!any) {
            network.setText("");
            networkDetail.setText("");
            return;
        }
        network.setText("⚠ " + problems.get(0) + (problems.size() > 1 ? "  (+" + (problems.size() - 1) + " more)" : ""));
        networkDetail.setText("This PC's media addresses:\n• " + String.join("\n• ", problems));
    }

    /** The network problems shown now (empty: the warning is hidden). */
    public List<String> networkProblems() {
        return problems;
    }

    public Tooltip networkDetail() {
        return networkDetail;
    }

    /**
     * Packets per second (media that passed SRTP) and drops since start; the label turns to a warning while
     * drops are rising, so a fault shows without opening anything. The tooltip has every reason.
     */
    private void showCounters(PacketsSnapshot m, Instant at) {
        long drops = totalDrops(m);
        String rates = "";
        boolean rising = false;
        if (lastCounters != null && at.isAfter(lastCountersAt)) {
            double seconds = Duration.between(lastCountersAt, at).toMillis() / 1000.0;
            rates = String.format(Locale.ROOT, "RTP %s/s in · %s/s out · ",
                    perSecond(m.rtpReceived() - lastCounters.rtpReceived(), seconds),
                    perSecond(m.rtpSent() - lastCounters.rtpSent(), seconds));
            rising = drops > totalDrops(lastCounters);
        }
        packets.setText(rates + drops + " dropped");
        packets.getStyleClass().remove("warning");
        if (rising) {
            packets.getStyleClass().add("warning");
        }
        packetsDetail.setText(describe(m));
        lastCounters = m;
        lastCountersAt = at;
    }

    /** The media port's counters since start, for the tooltip: packets each way, then drops by reason. */
    public static String describe(PacketsSnapshot m) {
        StringBuilder b = new StringBuilder("Media port since start\n");
        b.append(String.format(Locale.ROOT, "RTP received %d · RTCP received %d\nRTP sent %d · RTCP sent %d\n",
                m.rtpReceived(), m.rtcpReceived(), m.rtpSent(), m.rtcpSent()));
        if (totalDrops(m) == 0) {
            return b.append("Nothing dropped").toString();
        }
        b.append("Dropped, by reason:");
        m.drops().entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> b.append("\n  ").append(e.getKey()).append("  ").append(e.getValue()));
        return b.toString();
    }

    private static long totalDrops(PacketsSnapshot m) {
        return m.drops().values().stream().mapToLong(Long::longValue).sum();
    }

    private static String perSecond(long count, double seconds) {
        double r = Math.max(0, count) / seconds;
        return r < 10_000 ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.1fk", r / 1000);
    }

    private static Label label(String id) {
        Label l = new Label();
        l.setId(id);
        return l;
    }

    private static Separator sep() {
        return new Separator(Orientation.VERTICAL);
    }
}
