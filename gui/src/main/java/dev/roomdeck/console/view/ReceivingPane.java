package dev.roomdeck.console.view;

import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.ReceivingSummary;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/**
 * The selected peer's Receiving section, below the network doctor (what its link carries belongs with its path):
 * the link estimate its browser reports, then each video stream it receives, its label over a line that says
 * which layer goes to it, why, and at what rate. The entries are reused from one refresh to the next (only their
 * words change), so a refresh every second neither rebuilds nodes nor loses a tooltip being read.
 */
final class ReceivingPane {
    static final String NONE = "Receives no video.";

    private final Label title = new Label("Receiving");
    private final Label link = new Label();
    private final VBox list = new VBox(3);
    private final Label none = new Label(NONE);
    private final VBox box = new VBox(2, title, link, list);

    ReceivingPane() {
        title.getStyleClass().add("pane-title");
        title.setStyle("-fx-padding: 8 0 2 0;"); // a section of the doctor's pane, not a pane of its own
        box.setId("receiving");
        link.setId("linkEstimate");
        link.setTooltip(new Tooltip("What the person's browser estimates its link carries (REMB), sent every "
                + "second or so. The server fits the layers it forwards within it; Chrome sends it, other browsers "
                + "may not."));
        list.setId("receivingList");
        none.getStyleClass().add("receiving-none");
    }

    /** Shows what this peer receives; null (no peer selected) hides the section. */
    void show(PeerRow peer) {
        box.setVisible(peer != null);
        box.setManaged(peer != null);
        if (peer == null) {
            return;
        }
        ReceivingSummary r = peer.reception();
        link.setText(ReceivingText.linkText(r));
        List<ReceivedVideoSnapshot> videos = r.videos();
        if (videos.isEmpty()) {
            if (list.getChildren().size() != 1 || list.getChildren().get(0) != none) {
                list.getChildren().setAll(none);
            }
            return;
        }
        if (!list.getChildren().isEmpty() && list.getChildren().get(0) == none) {
            list.getChildren().clear();
        }
        while (list.getChildren().size() > videos.size()) {
            list.getChildren().remove(list.getChildren().size() - 1);
        }
        while (list.getChildren().size() < videos.size()) {
            list.getChildren().add(new Entry().node);
        }
        for (int i = 0; i < videos.size(); i++) {
            ((Entry) list.getChildren().get(i).getUserData()).show(videos.get(i));
        }
    }

    Node node() {
        return box;
    }

    /** One stream: its label ("Ben · camera"), and below it "layer 2/3 · 640×360 · fits the tile · 420 kbit/s". */
    private static final class Entry {
        private final Label name = new Label();
        private final Label detail = new Label();
        private final Tooltip tip = new Tooltip();
        private final VBox node = new VBox(0, name, detail);
        private String tag;

        Entry() {
            node.setUserData(this);
            node.getStyleClass().add("receiving-stream");
            name.getStyleClass().add("receiving-name");
            name.setStyle("-fx-font-weight: bold;");
            detail.getStyleClass().add("receiving-detail");
            detail.setWrapText(true);
            tip.setWrapText(true);
            tip.setMaxWidth(420);
            Tooltip.install(node, tip);
        }

        void show(ReceivedVideoSnapshot v) {
            name.setText(v.label());
            detail.setText(ReceivingText.detail(v));
            tip.setText(ReceivingText.reasonSentence(v) + "\nFrom " + v.publisherId() + ", msid " + v.msid()
                    + (v.layers() > 1 ? "; layer 1 is the smallest of " + v.layers() + "." : "."));
            // Lowered for the link: amber, as in the Receives column (and said in words: "lowered: link").
            String next = ReceivingSummary.BANDWIDTH.equals(v.reason()) ? PeersTable.LOWERED : null;
            if (!java.util.Objects.equals(tag, next)) {
                detail.getStyleClass().remove(tag);
                detail.setStyle(next == null ? null : "-fx-text-fill: #8a5a00; -fx-font-weight: bold;");
                if (next != null) {
                    detail.getStyleClass().add(next);
                }
                tag = next;
            }
        }
    }
}
