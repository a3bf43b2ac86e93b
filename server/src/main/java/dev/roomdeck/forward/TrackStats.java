package dev.roomdeck.forward;

/** Live figures of one published track, as received from its publisher. */
public record TrackStats(String trackId, int ssrc, long bitrateBps, long packets, long packetsLost,
                           double jitterMillis) {
}
