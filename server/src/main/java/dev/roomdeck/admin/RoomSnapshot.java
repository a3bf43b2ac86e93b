package dev.roomdeck.admin;

import java.util.List;

/**
 * One room as the operator sees it.
 *
 * @param locked         new people wait in the lobby until the operator admits them
 * @param pinSet         a PIN is asked at join (the PIN itself is not shown again)
 * @param lobby          people waiting to be let in, oldest first
 * @param speakerPeerId  the dominant speaker's peer id; null before anyone spoke
 */
public record RoomSnapshot(String id, List<PeerSnapshot> peers, boolean locked, boolean pinSet,
                           List<KnockSnapshot> lobby, String speakerPeerId) {
    public RoomSnapshot {
        peers = List.copyOf(peers);
        lobby = List.copyOf(lobby);
    }

    /** An open room with no door settings and nobody speaking yet. */
    public RoomSnapshot(String id, List<PeerSnapshot> peers) {
        this(id, peers, false, false, List.of(), null);
    }
}
