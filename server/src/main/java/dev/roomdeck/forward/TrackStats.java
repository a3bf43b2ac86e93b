package dev.roomdeck.forward;

/**
 * Live figures of one published track, as received from its publisher (all its simulcast layers together), and
 * how many layers it sends now (1 without simulcast).
 */
public record TrackStats(String trackId, int ssrc, long bitrateBps, long packets, long packetsLost,
                           double jitterMillis, int layers) {
    public TrackStats(String trackId, int ssrc, long bitrateBps, long packets, long packetsLost, double jitterMillis) {
        this(trackId, ssrc, bitrateBps, packets, packetsLost, jitterMillis, 1);
    }
}
