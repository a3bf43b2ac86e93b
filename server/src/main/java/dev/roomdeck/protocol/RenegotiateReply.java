package dev.roomdeck.protocol;

/**
 * Reply to {@code renegotiate} when no fresh offer is needed (reason {@code no-media} only): {@code action} is
 * {@code keyframe} (the server forwards that video to the client and asked its publisher for a keyframe) or
 * {@code wait} (the video has not reached the server, or the client's own media connection is not up: a new offer
 * would change nothing). {@code detail} says which, in words.
 */
public record RenegotiateReply(String action, String detail) {
}
