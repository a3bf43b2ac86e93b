package dev.roomdeck.console.view;

import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.console.feed.ProcessLoad;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.geometry.Orientation;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The bottom line: where to join, the media port, uptime, totals, and this process's CPU and memory. */
public final class StatusBar {
    private final HBox box = new HBox(8);
    private final Label join = label("statusJoin");
    private final Label media = label("statusMedia");
    private final Label uptime = label("statusUptime");
    private final Label totals = label("statusTotals");
    private final Label bitrates = label("statusBitrates");
    private final Label load = label("statusLoad");

    public StatusBar(List<String> joinUrls) {
        box.setId("statusBar");
        box.getStyleClass().add("status-bar");
        join.getStyleClass().add("join-url");
        join.setText(joinUrls.isEmpty() ? "Join: no address" : "Join: " + joinUrls.get(0)
                + (joinUrls.size() > 1 ? "  (+" + (joinUrls.size() - 1) + " more)" : ""));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        box.getChildren().addAll(join, sep(), media, sep(), uptime, sep(), totals, sep(), bitrates, grow, load);
    }

    public HBox node() {
        return box;
    }

    public void update(ServerSnapshot s, ProcessLoad l) {
        if (s != null) {
            media.setText("Media UDP " + s.mediaPort());
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
        if (l != null) {
            load.setText("CPU " + (l.cpuPercent() < 0 ? "–" : String.format(Locale.ROOT, "%.0f %%", l.cpuPercent()))
                    + " of " + l.cores() + " cores · heap " + Formats.megabytes(l.heapUsedBytes())
                    + " · RSS " + Formats.megabytes(l.residentBytes()));
        }
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
