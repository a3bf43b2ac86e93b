package dev.roomdeck.console.model;

import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.admin.TrackSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the console shows, as observable rows that are updated in place from each server snapshot. Lives on
 * the FX thread: {@link #apply} is called there, tables bind to the lists.
 */
public final class ConsoleModel {
    static final int MAX_REMEMBERED_LABELS = 4096;
    private final ObservableList<RoomRow> rooms = FXCollections.observableArrayList();
    private final ObjectProperty<Instant> now = new SimpleObjectProperty<>(this, "now", Instant.EPOCH);
    private final Instant origin;
    private final BitrateHistory history = new BitrateHistory(60);
    private final ObjectProperty<ServerSnapshot> latest = new SimpleObjectProperty<>(this, "latest");
    private Instant at;
    /** "room/peer" → the label last shown, also for peers that have left (their events still name them). */
    private final Map<String, String> labels = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED_LABELS;
        }
    };
    private final Rows<RoomRow, RoomSnapshot> roomRows = new Rows<>(rooms, RoomSnapshot::id,
            r -> new RoomRow(r.id()), (row, r) -> row.update(r, at));

    /** @param origin the chart's time zero (when the console started) */
    public ConsoleModel(Instant origin) {
        this.origin = origin;
    }

    public void apply(ServerSnapshot s) {
        at = s.takenAt();
        roomRows.sync(s.rooms());
        double t = secondsSinceOrigin(s.takenAt());
        Set<String> alive = new HashSet<>();
        for (RoomSnapshot r : s.rooms()) {
            RoomRow row = roomRows.get(r.id());
            for (PeerSnapshot p : r.peers()) {
                labels.put(r.id() + "/" + p.id(), row.peer(p.id()).label());
                for (StreamSnapshot st : p.streams()) {
                    String key = BitrateHistory.key(r.id(), p.id(), st.msid());
                    alive.add(key);
                    history.record(key, t, streamBitrateBps(st) / 1000.0);
                }
            }
        }
        history.retain(alive);
        now.set(s.takenAt());
        latest.set(s);
    }

    /**
     * What the console calls a peer (see {@link PeerRow#label}): its label while it is in the room, the last one
     * it had once it left, its id when the console never saw it in a snapshot.
     */
    public String peerLabel(String roomId, String peerId) {
        if (peerId == null) {
            return null;
        }
        RoomRow room = roomId == null ? null : roomRows.get(roomId);
        PeerRow peer = room == null ? null : room.peer(peerId);
        if (peer != null) {
            return peer.label();
        }
        String known = labels.get(roomId + "/" + peerId);
        return known != null ? known : peerId;
    }

    /** A stream's incoming bitrate: the sum of its tracks'. */
    public static long streamBitrateBps(StreamSnapshot s) {
        long sum = 0;
        for (TrackSnapshot t : s.tracks()) {
            sum += t.bitrateInBps();
        }
        return sum;
    }

    public double secondsSinceOrigin(Instant t) {
        return Duration.between(origin, t).toMillis() / 1000.0;
    }

    /** The instant of a chart x value (seconds since the console started). */
    public Instant instantAt(double secondsSinceOrigin) {
        return origin.plusMillis(Math.round(secondsSinceOrigin * 1000));
    }

    /** Rooms, updated in place (order of appearance; views sort). */
    public ObservableList<RoomRow> rooms() {
        return rooms;
    }

    public RoomRow room(String id) {
        return roomRows.get(id);
    }

    public BitrateHistory history() {
        return history;
    }

    /** The last snapshot applied, or null before the first. */
    public ReadOnlyObjectProperty<ServerSnapshot> latestProperty() {
        return latest;
    }

    /** Time of the last snapshot applied. */
    public ReadOnlyObjectProperty<Instant> nowProperty() {
        return now;
    }
}
