package dev.roomdeck.console.view;

import dev.roomdeck.admin.NetworkPath;
import dev.roomdeck.console.model.NetworkStatus;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.ReceivingSummary;
import dev.roomdeck.console.model.RoomRow;
import javafx.beans.binding.Bindings;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

/**
 * The selected room's peers. Sortable by every column; rows are the model's rows updated in place, so the
 * operator's selection and sort order outlive each refresh.
 */
public final class PeersTable {
    private final TableView<PeerRow> table = new TableView<>();
    private final LiveSort<PeerRow> sort = new LiveSort<>(table);
    private RoomRow room;

    public PeersTable(ContextMenu rowMenu) {
        table.setId("peers");
        table.setPlaceholder(new Label("Select a room."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(Columns.explained(nameColumn(),
                "The name the person typed (the peer's id when none). People with the same name get the start of "
                        + "their id beside it. Hover a name for the full id; the line above the streams shows it too."));
        table.getColumns().add(Columns.explained(levelColumn(),
                "How loud the peer's microphone is now (0–100, from the level its browser writes into every audio "
                        + "packet), and 'speaking' while it is above the speech threshold. Sort by it to find the "
                        + "noisy microphone."));
        table.getColumns().add(Columns.explained(deviceColumn(),
                "'in this room': a device in the meeting room itself (joined with \"I'm in this room\", no microphone "
                        + "or sound); 'room display': the room's big screen."));
        table.getColumns().add(Columns.of("Address", "peerAddress", 140, PeerRow::addressProperty, s -> s));
        table.getColumns().add(Columns.explained(Columns.tagged("ICE/DTLS", "peerState", 90, PeerRow::stateProperty, "state-"),
                "The peer's media transport: new, checking (ICE), connected, dtls_handshake, ready (SRTP keys in "
                        + "place, media flows), failed or closed."));
        table.getColumns().add(Columns.explained(networkColumn(),
                "The network doctor's verdict on the peer's media path: 'UDP ✓' media flows; 'TCP ⚠' media flows "
                        + "over TCP because UDP seems blocked (or UDP with loss, delay or jitter a LAN should not "
                        + "have); 'connecting…' still within the first 10 s; 'no media ✗' media has not connected "
                        + "10 s after joining. Hover a cell for the findings; select the peer for the doctor's view."));
        table.getColumns().add(Columns.explained(negotiationColumn(),
                "Server offers the peer's browser reported it could not apply; each time the server sent a fresh, "
                        + "complete offer. Until one succeeds the person may not see everyone. Hover for the browser's "
                        + "words."));
        table.getColumns().add(Columns.numeric("Connected", "peerConnected", 80,
                PeerRow::connectedSecondsProperty, n -> Formats.duration(n.longValue())));
        table.getColumns().add(Columns.numeric("In", "peerIn", 85,
                PeerRow::bitrateInProperty, n -> Formats.bitrate(n.longValue())));
        table.getColumns().add(Columns.numeric("Out", "peerOut", 85,
                PeerRow::bitrateOutProperty, n -> Formats.bitrate(n.longValue())));
        table.getColumns().add(Columns.explained(receivesColumn(),
                "The video the peer receives: how many streams, the rate forwarded to it now, and what its browser "
                        + "estimates its link carries (REMB; missing until it said). With simulcast the server sends "
                        + "each person one size per stream, the one that fits the tile; 'N lowered for bandwidth': "
                        + "that many streams go smaller because the link would not carry more. Hover a cell for each "
                        + "stream; select the peer for its Receiving list."));
        table.getColumns().add(Columns.explained(Columns.numeric("Loss", "peerLoss", 60,
                PeerRow::lossProperty, n -> Formats.percent(n.doubleValue())),
                "Loss the peer reports about the media it receives from the server (its RTCP receiver reports)."));
        table.getColumns().add(Columns.explained(Columns.numeric("RTT", "peerRtt", 60,
                PeerRow::rttProperty, n -> Formats.millis(n.doubleValue())),
                "Round trip server → peer → server, from the peer's receiver reports on a stream it receives "
                        + "(LSR/DLSR); – until the peer has reported on a forwarded sender report."));
        table.getColumns().add(Columns.numeric("Streams", "peerStreams", 60,
                PeerRow::streamCountProperty, n -> String.valueOf(n.intValue())));
        table.setRowFactory(t -> {
            TableRow<PeerRow> row = new FlaggedRow();
            row.contextMenuProperty().bind(
                    Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(rowMenu));
            return row;
        });
    }

    /** The peer's label (name, made distinct); the tooltip has the name and the full id. */
    private static TableColumn<PeerRow, String> nameColumn() {
        TableColumn<PeerRow, String> c = new TableColumn<>("Name");
        c.setId("peerName");
        c.setPrefWidth(150);
        c.setCellValueFactory(f -> f.getValue().labelProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Tooltip tip = new Tooltip();

            @Override
            protected void updateItem(String label, boolean empty) {
                super.updateItem(label, empty);
                PeerRow p = empty ? null : rowItem(this);
                if (empty || label == null || p == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(label);
                tip.setText(identity(p));
                setTooltip(tip);
            }
        });
        return c;
    }

    /** A small bar per peer that moves with each snapshot, and "speaking" beside it; sorts by the level. */
    private static TableColumn<PeerRow, Number> levelColumn() {
        TableColumn<PeerRow, Number> c = new TableColumn<>("Level");
        c.setId("peerLevel");
        c.setPrefWidth(120);
        c.setCellValueFactory(f -> f.getValue().audioLevelProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final ProgressBar bar = new ProgressBar(0);
            private final Label speaking = new Label("speaking");
            private final HBox box = new HBox(4, bar, speaking);
            private javafx.beans.value.ChangeListener<Boolean> follow;
            private PeerRow following;

            {
                bar.getStyleClass().add("level-meter");
                bar.setPrefWidth(56);
                bar.setMinWidth(40);
                bar.setPrefHeight(12);
                bar.setStyle("-fx-accent: #1e7a3c;");
                speaking.getStyleClass().add("speaking-badge");
                speaking.setStyle("-fx-text-fill: #1e7a3c; -fx-font-weight: bold; -fx-font-size: 11px;");
                box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            }

            @Override
            protected void updateItem(Number level, boolean empty) {
                super.updateItem(level, empty);
                PeerRow p = empty ? null : rowItem(this);
                if (following != null && following != p) {
                    following.speakingProperty().removeListener(follow);
                    following = null;
                }
                setText(null);
                if (p == null || level == null) {
                    setGraphic(null);
                    return;
                }
                int n = level.intValue();
                bar.setProgress(n / 100.0);
                setAccessibleText("level " + n);
                if (following != p) {
                    following = p;
                    follow = (o, was, now) -> speaking.setVisible(now);
                    p.speakingProperty().addListener(follow);
                }
                speaking.setVisible(p.speakingProperty().get());
                setGraphic(box);
            }
        });
        return c;
    }

    /**
     * A row whose peer has no media, or media with a warning, carries the style class of that verdict
     * (network-no-media, network-warning) while it lasts: the whole row stands out, and its Network cell says why.
     */
    private static final class FlaggedRow extends TableRow<PeerRow> {
        private static final List<String> FLAGS = List.of(
                new NetworkStatus(NetworkPath.Verdict.NO_MEDIA, null).styleClass(),
                new NetworkStatus(NetworkPath.Verdict.WARNING, null).styleClass());
        private final ChangeListener<NetworkStatus> follow = (o, was, now) -> flag(now);
        private PeerRow following;

        @Override
        protected void updateItem(PeerRow p, boolean empty) {
            super.updateItem(p, empty);
            PeerRow next = empty ? null : p;
            if (following != next) {
                if (following != null) {
                    following.network().statusProperty().removeListener(follow);
                }
                following = next;
                if (next != null) {
                    next.network().statusProperty().addListener(follow);
                }
            }
            flag(next == null ? null : next.network().status());
        }

        private void flag(NetworkStatus s) {
            String wanted = s != null && s.flagged() ? s.styleClass() : null;
            for (String f : FLAGS) {
                if (!f.equals(wanted)) {
                    getStyleClass().remove(f);
                }
            }
            if (wanted != null && !getStyleClass().contains(wanted)) {
                getStyleClass().add(wanted);
            }
        }
    }

    /**
     * The doctor's verdict in words and a mark ("UDP ✓", "TCP ⚠", "connecting…", "no media ✗"), with the style
     * class of the verdict; the tooltip has the findings. Sorts by how much the peer needs a look.
     */
    private static TableColumn<PeerRow, NetworkStatus> networkColumn() {
        TableColumn<PeerRow, NetworkStatus> c = new TableColumn<>("Network");
        c.setId("peerNetwork");
        c.setPrefWidth(100);
        c.setMinWidth(100); // "no media ✗" in bold, whole: the words are the flag
        c.setCellValueFactory(f -> f.getValue().network().statusProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Tooltip tip = new Tooltip();
            private String tag;

            {
                tip.setWrapText(true);
                tip.setMaxWidth(520);
                tip.setShowDuration(javafx.util.Duration.INDEFINITE);
                // The findings change while the cell does not (their seconds count up): read them when it shows.
                tip.setOnShowing(e -> {
                    PeerRow p = rowItem(this);
                    tip.setText(p == null ? "" : networkDetail(p));
                });
            }

            @Override
            protected void updateItem(NetworkStatus status, boolean empty) {
                super.updateItem(status, empty);
                PeerRow p = empty ? null : rowItem(this);
                String next = p == null || status == null ? null : status.styleClass();
                if (!java.util.Objects.equals(tag, next)) {
                    getStyleClass().remove(tag);
                    if (next != null) {
                        getStyleClass().add(next);
                    }
                    tag = next;
                }
                if (next == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(status.text());
                tip.setText(networkDetail(p));
                setTooltip(tip);
            }
        });
        return c;
    }

    /** The Network cell's tooltip: the verdict in a sentence, then each finding. */
    static String networkDetail(PeerRow p) {
        NetworkStatus s = p.network().status();
        StringBuilder b = new StringBuilder(NetworkDoctorPane.verdictText(s));
        for (String f : p.network().findings()) {
            b.append("\n• ").append(f);
        }
        return b.toString();
    }

    /**
     * "3 videos · 1.80 of 2.40 Mbit/s", and an amber "2 lowered for bandwidth" badge in front while streams go
     * smaller than their tiles for want of link (the cell then carries receives-lowered); each stream in the
     * tooltip. Sorts by how many were lowered, then by rate.
     */
    private static TableColumn<PeerRow, ReceivingSummary> receivesColumn() {
        TableColumn<PeerRow, ReceivingSummary> c = new TableColumn<>("Receives");
        c.setId("peerReceives");
        c.setPrefWidth(200);
        c.setMinWidth(170); // the badge whole: in a crowded table the figures give way, not the flag
        c.setCellValueFactory(f -> f.getValue().receptionProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Label badge = new Label();
            private final Tooltip tip = new Tooltip();

            {
                badge.getStyleClass().add("receives-badge");
                // Inline like the device badge: amber with the words, so it never rests on colour alone.
                badge.setStyle("-fx-background-color: #fff4dc; -fx-text-fill: #8a5a00; -fx-font-weight: bold; "
                        + "-fx-font-size: 11px; -fx-padding: 0 5 0 5; -fx-background-radius: 8;");
                badge.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                setGraphicTextGap(6);
                tip.setWrapText(true);
                tip.setMaxWidth(560);
                tip.setShowDuration(javafx.util.Duration.INDEFINITE);
            }

            @Override
            protected void updateItem(ReceivingSummary r, boolean empty) {
                super.updateItem(r, empty);
                String summary = empty || r == null ? "" : ReceivingText.summary(r);
                String lowered = summary.isEmpty() ? "" : ReceivingText.loweredText(r);
                getStyleClass().remove(LOWERED);
                if (summary.isEmpty()) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                setText(summary);
                if (lowered.isEmpty()) {
                    setGraphic(null);
                } else {
                    badge.setText(lowered);
                    setGraphic(badge);
                    getStyleClass().add(LOWERED);
                }
                tip.setText(ReceivingText.tooltip(r));
                setTooltip(tip);
            }
        });
        return c;
    }

    /** The style class of a Receives cell some of whose streams go smaller for want of link. */
    static final String LOWERED = "receives-lowered";

    /** "in this room" for a device in the meeting room, "room display" for its screen; empty for others. */
    private static TableColumn<PeerRow, String> deviceColumn() {
        TableColumn<PeerRow, String> c = new TableColumn<>("Device");
        c.setId("peerDevice");
        c.setPrefWidth(95);
        c.setCellValueFactory(f -> f.getValue().deviceProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Label badge = new Label();

            {
                badge.getStyleClass().add("device-badge");
                badge.setStyle("-fx-background-color: #e3ecf7; -fx-text-fill: #1d4f85; -fx-padding: 0 5 0 5; "
                        + "-fx-background-radius: 8;");
            }

            @Override
            protected void updateItem(String device, boolean empty) {
                super.updateItem(device, empty);
                setText(null);
                String words = empty ? "" : deviceText(device);
                if (words.isEmpty()) {
                    setGraphic(null);
                    return;
                }
                badge.setText(words);
                setGraphic(badge);
            }
        });
        return c;
    }

    /** The words for a peer's device kind: "in this room", "room display", or "" for an ordinary peer. */
    public static String deviceText(String device) {
        if ("in-room".equals(device)) {
            return "in this room";
        }
        return "display".equals(device) ? "room display" : "";
    }

    /** The row a cell is drawing (by index: the row's own item may lag behind while cells are reused). */
    private static <T> PeerRow rowItem(TableCell<PeerRow, T> cell) {
        TableView<PeerRow> t = cell.getTableView();
        int i = cell.getIndex();
        return t == null || i < 0 || i >= t.getItems().size() ? null : t.getItems().get(i);
    }

    /** "Anna\nId u-3f9a01d2a7b4e865", or only the id for a peer without a name. */
    static String identity(PeerRow p) {
        return p.name().equals(p.id()) ? "Id " + p.id() + " (no name given)" : p.name() + "\nId " + p.id();
    }

    /**
     * Empty while all is well; a red "2 failed" badge (colour and words) once the browser reported offers it could
     * not apply, with its last words in the tooltip. Sorts by the count, so troubled peers can be brought to the top.
     */
    private static TableColumn<PeerRow, Number> negotiationColumn() {
        TableColumn<PeerRow, Number> c = new TableColumn<>("Negotiation");
        c.setId("peerNegotiation");
        c.setPrefWidth(95);
        c.setCellValueFactory(f -> f.getValue().negotiationFailuresProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Label badge = new Label();
            private final Tooltip tip = new Tooltip();

            {
                badge.getStyleClass().add("negotiation-badge");
                tip.setWrapText(true);
                tip.setMaxWidth(520);
                tip.setShowDuration(javafx.util.Duration.INDEFINITE);
                badge.setTooltip(tip);
            }

            @Override
            protected void updateItem(Number count, boolean empty) {
                super.updateItem(count, empty);
                PeerRow p = empty ? null : rowItem(this);
                int n = count == null ? 0 : count.intValue();
                setText(null);
                if (p == null || n <= 0) {
                    setGraphic(null);
                    return;
                }
                badge.setText(failedText(n));
                tip.setText(failureDetail(p));
                setGraphic(badge);
            }
        });
        return c;
    }

    /** "1 failed", "3 failed". */
    static String failedText(int count) {
        return count + " failed";
    }

    /** What the tooltip of a failure badge says: how many, when the console saw the last, the browser's words. */
    static String failureDetail(PeerRow p) {
        int n = p.negotiationFailuresProperty().get();
        String words = p.lastNegotiationFailureProperty().get();
        StringBuilder b = new StringBuilder(p.label()).append("'s browser could not apply ")
                .append(n == 1 ? "a server offer; the server sent a fresh one."
                        : n + " server offers; each time the server sent a fresh one.");
        b.append("\nLast").append(p.negotiationFailureSeenAt() == null ? ""
                : " (seen " + Formats.clock(p.negotiationFailureSeenAt()) + ")").append(": ")
                .append(words == null || words.isBlank() ? "no details given" : words);
        return b.toString();
    }

    /** Shows a room's peers (or none); the sort order chosen by the operator carries over to the new room. */
    public void show(RoomRow newRoom) {
        if (newRoom == room) {
            return;
        }
        room = newRoom;
        ((Label) table.getPlaceholder()).setText(newRoom == null ? "Select a room." : "No peers in this room.");
        sort.show(newRoom == null ? null : newRoom.peers());
    }

    /** Sorts the peers loudest first (the operator looking for the noisy microphone). */
    public void sortByLevel() {
        for (TableColumn<PeerRow, ?> c : table.getColumns()) {
            if ("peerLevel".equals(c.getId())) {
                c.setSortType(TableColumn.SortType.DESCENDING);
                table.getSortOrder().setAll(List.of(c));
                return;
            }
        }
    }

    /** After a refresh: puts the rows back in order if new figures broke it. */
    public void resort() {
        sort.resort();
    }

    public RoomRow room() {
        return room;
    }

    public TableView<PeerRow> node() {
        return table;
    }

    public ReadOnlyObjectProperty<PeerRow> selectedProperty() {
        return table.getSelectionModel().selectedItemProperty();
    }
}
