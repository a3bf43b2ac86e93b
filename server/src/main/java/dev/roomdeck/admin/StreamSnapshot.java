package dev.roomdeck.admin;

import java.util.List;

/** One published stream as the operator sees it. */
public record StreamSnapshot(String msid, int bitrateCapKbps, String attributes, List<TrackSnapshot> tracks,
                             boolean audioMuted, boolean videoMuted, boolean audioMutedByOperator,
                             boolean videoMutedByOperator) {
    public StreamSnapshot {
        tracks = List.copyOf(tracks);
    }
}
