package dev.roomdeck.console.view;

import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.StreamRow;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.scene.layout.Priority;

/** The selected peer's detail line and its streams, one row per track (a stream's audio, its video). */
public final class StreamsTable {
    private final TableView<StreamRow> table = new TableView<>();
    private final LiveSort<StreamRow> sort = new LiveSort<>(table);
    private final Label detail = new Label("Select a peer to see its streams.");
    private final VBox box = new VBox(4, detail, table);
    private PeerRow peer;

    public StreamsTable() {
        table.setId("streams");
        detail.setId("peerDetail");
        detail.getStyleClass().add("peer-detail");
        table.setPlaceholder(new Label("No streams."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(table, Priority.ALWAYS);
        table.getColumns().add(nameColumn());
        table.getColumns().add(Columns.of("Kind", "streamKind", 60, StreamRow::kindProperty, x -> x));
        TableColumn<StreamRow, String> codec = Columns.explained(
                Columns.of("Codec", "streamCodec", 95, StreamRow::sentAsProperty, x -> x),
                "The track's codec. '3 layers': the publisher sends its video in three sizes at once (simulcast) and "
                        + "each subscriber gets the one that fits its tile and its link (select that peer: Receiving). "
                        + "A browser sends fewer layers while its own uplink is short.");
        table.getColumns().add(codec);
        table.getColumns().add(Columns.numeric("Bitrate", "streamBitrate", 85,
                StreamRow::bitrateProperty, n -> Formats.bitrate(n.longValue())));
        table.getColumns().add(Columns.numeric("Packets", "streamPackets", 70,
                StreamRow::packetsProperty, n -> String.valueOf(n.longValue())));
        table.getColumns().add(Columns.numeric("Lost", "streamLost", 50,
                StreamRow::lostProperty, n -> String.valueOf(n.longValue())));
        TableColumn<StreamRow, String> muted = Columns.of("Muted by", "streamMuted", 80, StreamRow::mutedProperty, x -> x);
        muted.setMinWidth(85);
        table.getColumns().add(muted);
    }

    /** "Ben · camera", "Ben · screen" (screens marked); the msid in the tooltip. */
    private static TableColumn<StreamRow, String> nameColumn() {
        TableColumn<StreamRow, String> c = new TableColumn<>("Stream");
        c.setId("streamName");
        c.setPrefWidth(150);
        c.setCellValueFactory(f -> f.getValue().labelProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Tooltip tip = new Tooltip();

            @Override
            protected void updateItem(String label, boolean empty) {
                super.updateItem(label, empty);
                TableView<StreamRow> t = getTableView();
                int i = getIndex();
                StreamRow row = empty || t == null || i < 0 || i >= t.getItems().size() ? null : t.getItems().get(i);
                getStyleClass().remove("stream-screen");
                setStyle(null);
                if (row == null || label == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(label);
                tip.setText((row.isScreen() ? "Screen share, msid " : "Camera, msid ") + row.msid());
                setTooltip(tip);
                if (row.isScreen()) {
                    getStyleClass().add("stream-screen");
                    setStyle("-fx-font-weight: bold; -fx-text-fill: #1d4f85;");
                }
            }
        });
        return c;
    }

    public void show(PeerRow newPeer) {
        if (newPeer != peer) {
            peer = newPeer;
            sort.show(newPeer == null ? null : newPeer.tracks());
        }
        refreshDetail();
    }

    /** After a refresh: the detail line's figures, and the order if new figures broke it. */
    public void refresh() {
        sort.resort();
        refreshDetail();
    }

    private void refreshDetail() {
        if (peer == null) {
            detail.setText("Select a peer to see its streams.");
            return;
        }
        // The name first; the full id beside it (where the label may carry only its start).
        String who = peer.name().equals(peer.id()) ? peer.id() : peer.name() + " (id " + peer.id() + ")";
        detail.setText(who + " · " + peer.addressProperty().get() + " · joined "
                + (peer.joinedAt() == null ? "?" : Formats.clock(peer.joinedAt())) + " ("
                + Formats.duration(peer.connectedSecondsProperty().get()) + " ago) · ICE/DTLS "
                + peer.stateProperty().get());
    }

    public VBox node() {
        return box;
    }

    public TableView<StreamRow> table() {
        return table;
    }

    public ReadOnlyObjectProperty<StreamRow> selectedProperty() {
        return table.getSelectionModel().selectedItemProperty();
    }
}
