package dev.roomdeck.admin;

import java.time.Instant;
import java.util.List;

/** The whole server at one instant: what the console's tables and status bar show. */
public record ServerSnapshot(Instant takenAt, long uptimeSeconds, int mediaPort, List<RoomSnapshot> rooms) {
    public ServerSnapshot {
        rooms = List.copyOf(rooms);
    }

    public int peerCount() {
        return rooms.stream().mapToInt(r -> r.peers().size()).sum();
    }
}
