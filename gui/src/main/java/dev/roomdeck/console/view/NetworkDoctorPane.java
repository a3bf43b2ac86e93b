package dev.roomdeck.console.view;

import dev.roomdeck.admin.NetworkDoctor;
import dev.roomdeck.console.model.NetworkRow;
import dev.roomdeck.console.model.NetworkStatus;
import dev.roomdeck.console.model.PeerRow;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The network doctor for the selected peer, beside its streams: the candidate pair ICE selected (this PC's address
 * ↔ the device's, UDP or TCP, the device's candidate type), how long ICE took, round trip, loss and jitter, the
 * verdict, and the findings in plain words. Read from the peer's {@link NetworkRow} after every batch. Below it,
 * what the peer receives over that path ({@link ReceivingPane}): its link estimate and the layer of each stream.
 */
public final class NetworkDoctorPane {
    static final String NO_PEER = "Select a peer to see its network path.";

    private final Label title = new Label("Network doctor");
    private final Label verdict = value("doctorVerdict");
    private final Label protocol = value("doctorProtocol");
    private final Label local = value("doctorLocal");
    private final Label remote = value("doctorRemote");
    private final Label candidate = value("doctorCandidate");
    private final Label ice = value("doctorIce");
    private final Label rtt = value("doctorRtt");
    private final Label loss = value("doctorLoss");
    private final Label jitter = value("doctorJitter");
    private final Label findings = value("doctorFindings");
    private final GridPane grid = new GridPane();
    private final ReceivingPane receiving = new ReceivingPane();
    private final VBox box = new VBox(4);
    private final ScrollPane scroll = new ScrollPane(box);
    private PeerRow peer;
    private String tag;

    public NetworkDoctorPane() {
        title.getStyleClass().add("pane-title");
        box.getStyleClass().add("network-doctor");
        scroll.setId("networkDoctor");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        verdict.getStyleClass().add("doctor-verdict");
        verdict.setWrapText(true);
        findings.getStyleClass().add("doctor-findings");
        findings.setWrapText(true);
        grid.setHgap(8);
        grid.setVgap(2);
        ColumnConstraints names = new ColumnConstraints();
        names.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(names, values);
        row(0, "Protocol", protocol, "UDP, or TCP when UDP to the media port is blocked (media then stalls on loss).");
        row(1, "This PC", local, "This PC's side of the candidate pair ICE selected: the address media leaves from.");
        row(2, "Device", remote, "The device's side: where its media comes from, as the server sees it.");
        row(3, "Candidate", candidate, "The device's candidate type: prflx (peer-reflexive: the address its checks "
                + "came from; browsers hide their host address), host (an address the device announced), srflx or "
                + "relay.");
        row(4, "ICE took", ice, "From the transport's start to the selected pair.");
        row(5, "RTT", rtt, "Round trip server → device → server, from the device's receiver reports.");
        row(6, "Loss", loss, "Loss the device reports about the media it receives from the server.");
        row(7, "Jitter", jitter, "How unevenly the device's own media arrives (the worst of its streams).");
        box.getChildren().addAll(title, verdict, grid, findings, receiving.node());
        show(null);
    }

    private void row(int i, String name, Label value, String explanation) {
        Label n = new Label(name + ":");
        n.getStyleClass().add("doctor-name");
        n.setTooltip(new Tooltip(explanation));
        value.setWrapText(true);
        grid.add(n, 0, i);
        grid.add(value, 1, i);
    }

    /** Shows this peer's path (null: none selected). */
    public void show(PeerRow newPeer) {
        peer = newPeer;
        refresh();
    }

    /** After each batch: the figures of the peer shown. */
    public void refresh() {
        grid.setVisible(peer != null);
        grid.setManaged(peer != null);
        findings.setVisible(peer != null);
        findings.setManaged(peer != null);
        receiving.show(peer);
        if (peer == null) {
            title.setText("Network doctor");
            verdict.setText(NO_PEER);
            tagVerdict(null);
            return;
        }
        NetworkRow n = peer.network();
        NetworkStatus s = n.status();
        title.setText("Network doctor · " + peer.label());
        verdict.setText(s.text() + " · " + verdictText(s));
        tagVerdict(s.styleClass());
        protocol.setText(n.protocolProperty().get().isEmpty() ? "none selected yet" : n.protocolProperty().get());
        local.setText(orDash(n.localAddressProperty().get()));
        remote.setText(orDash(n.remoteAddressProperty().get()));
        candidate.setText(candidateText(n.candidateTypeProperty().get()));
        ice.setText(Formats.took(n.iceMillisProperty().get()));
        rtt.setText(Formats.millis(n.rttMillisProperty().get()));
        boolean path = !n.protocolProperty().get().isEmpty(); // no pair: no media whose loss or jitter means anything
        loss.setText(path ? Formats.percent(n.lossPercentProperty().get()) : "–");
        jitter.setText(path ? Formats.millis(n.jitterMillisProperty().get()) : "–");
        findings.setText(findingsText(n.findings()));
    }

    private void tagVerdict(String next) {
        if (!java.util.Objects.equals(tag, next)) {
            verdict.getStyleClass().remove(tag);
            if (next != null) {
                verdict.getStyleClass().add(next);
            }
            tag = next;
        }
    }

    /** The verdict in a sentence, for the operator. */
    public static String verdictText(NetworkStatus s) {
        return switch (s.verdict()) {
            case OK -> "media flows over " + s.protocolWord() + "; nothing looks wrong.";
            case WARNING -> "media flows over " + s.protocolWord() + ", but not as it should on a LAN.";
            case CONNECTING -> "media is being set up (ICE, then DTLS); give it a few seconds.";
            case NO_MEDIA -> "media has not connected " + NetworkDoctor.GRACE.toSeconds() + " s after joining.";
        };
    }

    /** "prflx (the address its checks came from)", "host (an address it announced)", "–" before a pair. */
    static String candidateText(String type) {
        return switch (type == null ? "" : type) {
            case "" -> "–";
            case "prflx" -> "prflx (the address its checks came from)";
            case "host" -> "host (an address it announced)";
            case "srflx" -> "srflx (its address outside a NAT)";
            case "relay" -> "relay (through a TURN server)";
            default -> type;
        };
    }

    /** One bullet per finding; "No findings." when all is well. */
    static String findingsText(List<String> all) {
        if (all.isEmpty()) {
            return "No findings.";
        }
        StringBuilder b = new StringBuilder();
        for (String f : all) {
            b.append(b.length() == 0 ? "" : "\n").append("• ").append(f);
        }
        return b.toString();
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "–" : s;
    }

    private static Label value(String id) {
        Label l = new Label();
        l.setId(id);
        return l;
    }

    public ScrollPane node() {
        return scroll;
    }
}
