package dev.roomdeck.admin;

import java.util.List;

/** One room as the operator sees it. */
public record RoomSnapshot(String id, List<PeerSnapshot> peers) {
    public RoomSnapshot {
        peers = List.copyOf(peers);
    }
}
