package dev.roomdeck.admin;

/**
 * One track of a stream: kind, codec, and its live figures (zero before media flows), all simulcast layers
 * together; {@code layers}: how many layers the publisher sends now (1 without simulcast, 0 before media flows).
 */
public record TrackSnapshot(String trackId, String kind, String codec, long ssrc, long bitrateInBps,
                            long packetsIn, long packetsLost, double jitterMillis, int layers) {
    public TrackSnapshot(String trackId, String kind, String codec, long ssrc, long bitrateInBps,
                         long packetsIn, long packetsLost, double jitterMillis) {
        this(trackId, kind, codec, ssrc, bitrateInBps, packetsIn, packetsLost, jitterMillis, 1);
    }
}
