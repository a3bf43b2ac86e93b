package dev.roomdeck.room;

/**
 * What one subscriber should receive of one published stream, as the room decides it: whether its audio and video
 * go to this subscriber at all (owner, operator and the subscriber's own mutes) and the largest video it asked for.
 *
 * @param wish the subscriber's {@code videoSize} for this stream; null when it never said (it gets the best layer)
 */
public record Reception(String publisherId, String streamId, boolean audio, boolean video, VideoSize wish) {
}
