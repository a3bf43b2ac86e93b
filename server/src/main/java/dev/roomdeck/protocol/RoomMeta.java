package dev.roomdeck.protocol;

import java.util.List;

/** The protocol's room_meta: {@code {id, peers}}, every peer of the room including the one receiving it. */
public record RoomMeta(String id, List<PeerMeta> peers) {
    public RoomMeta {
        peers = List.copyOf(peers);
    }
}
