package dev.roomdeck.admin;

import java.time.Instant;
import java.util.List;

/**
 * The whole server at one instant: what the console's tables and status bar show.
 *
 * @param mediaAddresses  the addresses media is announced on now (they follow the PC's LAN address when detected)
 * @param networkProblems what the self-check of this PC's media addresses found (an address not on any interface
 *                        of this PC, a port that could not be bound, no LAN address at all), in plain words; empty
 *                        when all is well
 */
public record ServerSnapshot(Instant takenAt, long uptimeSeconds, int mediaPort, List<RoomSnapshot> rooms,
                             List<String> mediaAddresses, List<String> networkProblems) {
    public ServerSnapshot {
        rooms = List.copyOf(rooms);
        mediaAddresses = List.copyOf(mediaAddresses);
        networkProblems = List.copyOf(networkProblems);
    }

    /** Without addresses or network problems. */
    public ServerSnapshot(Instant takenAt, long uptimeSeconds, int mediaPort, List<RoomSnapshot> rooms) {
        this(takenAt, uptimeSeconds, mediaPort, rooms, List.of(), List.of());
    }

    public int peerCount() {
        return rooms.stream().mapToInt(r -> r.peers().size()).sum();
    }
}
