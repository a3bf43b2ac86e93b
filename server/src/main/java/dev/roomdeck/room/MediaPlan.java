package dev.roomdeck.room;

import java.util.List;
import java.util.Map;

/**
 * What the media plane should forward in one room, pushed by the room after every change (under its lock) so that
 * the media plane never reads the room's model back. Immutable.
 *
 * @param streams    every published stream: its mutes for everyone, its bitrate cap and kind
 * @param receptions subscriber peer id → what it receives of each stream it may receive
 */
public record MediaPlan(Map<String, PublishedStream> streams, Map<String, List<Reception>> receptions) {
    public static final MediaPlan EMPTY = new MediaPlan(Map.of(), Map.of());

    public MediaPlan {
        streams = Map.copyOf(streams);
        receptions = Map.copyOf(receptions);
    }

    /**
     * One published stream as everyone receives it.
     *
     * @param capBps the video cap from addStream's bitrate, bits per second (0: none given)
     * @param screen a screen share (it goes first when a subscriber's link cannot carry every stream's best layer)
     */
    public record PublishedStream(String publisherId, String streamId, boolean audioMuted, boolean videoMuted,
                                  long capBps, boolean screen) {
    }

    /** The key of {@link #streams}: publisher and stream id. */
    public static String key(String publisherId, String streamId) {
        return publisherId + "\n" + streamId;
    }

    public PublishedStream stream(String publisherId, String streamId) {
        return streams.get(key(publisherId, streamId));
    }

    /** What {@code subscriberId} gets of that stream; null when the room has not said (a stream just added). */
    public Reception reception(String subscriberId, String publisherId, String streamId) {
        for (Reception r : receptions.getOrDefault(subscriberId, List.of())) {
            if (r.publisherId().equals(publisherId) && r.streamId().equals(streamId)) {
                return r;
            }
        }
        return null;
    }
}
