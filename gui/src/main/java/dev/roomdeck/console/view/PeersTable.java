package dev.roomdeck.console.view;

import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.RoomRow;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

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
        table.getColumns().add(Columns.of("Name", "peerName", 140,
                p -> new ReadOnlyStringWrapper(p.id()).getReadOnlyProperty(), s -> s));
        table.getColumns().add(Columns.of("Address", "peerAddress", 150, PeerRow::addressProperty, s -> s));
        table.getColumns().add(Columns.explained(Columns.tagged("ICE/DTLS", "peerState", 90, PeerRow::stateProperty, "state-"),
                "The peer's media transport: new, checking (ICE), connected, dtls_handshake, ready (SRTP keys in "
                        + "place, media flows), failed or closed."));
        table.getColumns().add(Columns.numeric("Connected", "peerConnected", 80,
                PeerRow::connectedSecondsProperty, n -> Formats.duration(n.longValue())));
        table.getColumns().add(Columns.numeric("In", "peerIn", 95,
                PeerRow::bitrateInProperty, n -> Formats.bitrate(n.longValue())));
        table.getColumns().add(Columns.numeric("Out", "peerOut", 95,
                PeerRow::bitrateOutProperty, n -> Formats.bitrate(n.longValue())));
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
            TableRow<PeerRow> row = new TableRow<>();
            row.contextMenuProperty().bind(
                    Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(rowMenu));
            return row;
        });
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
