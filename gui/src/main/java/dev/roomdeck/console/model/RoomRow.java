package dev.roomdeck.console.model;

import dev.roomdeck.admin.KnockSnapshot;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** One room, as an entry of the rooms list; its peers are rows of the peers table. */
public final class RoomRow {
    private final String id;
    private final IntegerProperty peerCount = new SimpleIntegerProperty(this, "peerCount");
    private final IntegerProperty streamCount = new SimpleIntegerProperty(this, "streamCount");
    private final javafx.beans.property.BooleanProperty locked =
            new javafx.beans.property.SimpleBooleanProperty(this, "locked");
    private final javafx.beans.property.BooleanProperty pinSet =
            new javafx.beans.property.SimpleBooleanProperty(this, "pinSet");
    private final javafx.beans.property.StringProperty speakerPeerId =
            new javafx.beans.property.SimpleStringProperty(this, "speakerPeerId");
    private final ObservableList<KnockSnapshot> lobby = FXCollections.observableArrayList();
    // No extractor: cells follow their rows' properties; the tables re-sort once per refresh.
    private final ObservableList<PeerRow> peers = FXCollections.observableArrayList();
    private final Rows<PeerRow, PeerSnapshot> peerRows;
    private Instant now = Instant.EPOCH;

    RoomRow(String id) {
        this.id = id;
        this.peerRows = new Rows<>(peers, PeerSnapshot::id, p -> new PeerRow(id, p.id()), (row, p) -> row.update(p, now));
    }

    void update(RoomSnapshot r, Instant now) {
        this.now = now;
        peerRows.sync(r.peers());
        List<PeerLabels.Named> named = new ArrayList<>(r.peers().size());
        for (PeerSnapshot p : r.peers()) {
            named.add(new PeerLabels.Named(p.id(), peerRows.get(p.id()).name()));
        }
        PeerLabels.of(named).forEach((id, label) -> peerRows.get(id).label(label));
        for (PeerSnapshot p : r.peers()) {
            peerRows.get(p.id()).reception(p, this::receivedLabel);
        }
        locked.set(r.locked());
        pinSet.set(r.pinSet());
        speakerPeerId.set(r.speakerPeerId());
        if (!lobby.equals(r.lobby())) {
            lobby.setAll(r.lobby());
        }
        peerCount.set(r.peers().size());
        streamCount.set(r.peers().stream().mapToInt(p -> p.streams().size()).sum());
    }

    /**
     * A received stream as the console calls it where it is published ("Ben (u-3f9a) · camera 2": namesakes told
     * apart, like the streams table), the server's label when its publisher is not in this snapshot.
     */
    private String receivedLabel(ReceivedVideoSnapshot v) {
        PeerRow publisher = peerRows.get(v.publisherId());
        if (publisher != null && publisher.msids().contains(v.msid())) {
            return publisher.streamLabel(v.msid());
        }
        return v.label() == null || v.label().isBlank() ? v.msid() : v.label();
    }

    public String id() {
        return id;
    }

    public IntegerProperty peerCountProperty() {
        return peerCount;
    }

    /** New people wait in the lobby until the operator admits them. */
    public javafx.beans.property.BooleanProperty lockedProperty() {
        return locked;
    }

    /** A PIN is asked at join. */
    public javafx.beans.property.BooleanProperty pinSetProperty() {
        return pinSet;
    }

    /** The dominant speaker's peer id; null before anyone spoke. */
    public javafx.beans.property.StringProperty speakerPeerIdProperty() {
        return speakerPeerId;
    }

    /** People waiting to be let in, oldest first (changed only when the lobby changes). */
    public ObservableList<KnockSnapshot> lobby() {
        return lobby;
    }

    public IntegerProperty streamCountProperty() {
        return streamCount;
    }

    /** Peer rows, updated in place: a table over them keeps its selection and sort across refreshes. */
    public ObservableList<PeerRow> peers() {
        return peers;
    }

    public PeerRow peer(String peerId) {
        return peerRows.get(peerId);
    }

    @Override
    public String toString() {
        return id;
    }
}
