package dev.roomdeck.protocol;

import java.util.List;

/** The protocol's peer_meta: {@code {id, streams}}; the id is the user of join. */
public record PeerMeta(String id, List<StreamMeta> streams) {
    public PeerMeta {
        streams = List.copyOf(streams);
    }
}
