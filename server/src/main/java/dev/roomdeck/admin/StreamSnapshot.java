package dev.roomdeck.admin;

import java.util.List;

/**
 * One published stream as the operator sees it.
 *
 * @param kind  "camera" or "screen" (the stream's attributes {@code kind}; camera when absent)
 * @param label what people call it: "Ben · camera", "Ben · screen"
 */
public record StreamSnapshot(String msid, int bitrateCapKbps, String attributes, List<TrackSnapshot> tracks,
                             boolean audioMuted, boolean videoMuted, boolean audioMutedByOperator,
                             boolean videoMutedByOperator, String kind, String label) {
    public StreamSnapshot {
        tracks = List.copyOf(tracks);
        kind = kind == null ? "camera" : kind;
        label = label == null ? msid : label;
    }

    /** A camera stream labelled by its msid. */
    public StreamSnapshot(String msid, int bitrateCapKbps, String attributes, List<TrackSnapshot> tracks,
                          boolean audioMuted, boolean videoMuted, boolean audioMutedByOperator,
                          boolean videoMutedByOperator) {
        this(msid, bitrateCapKbps, attributes, tracks, audioMuted, videoMuted, audioMutedByOperator,
                videoMutedByOperator, "camera", msid);
    }
}
