package dev.roomdeck.admin;

/** One track of a stream: kind, codec, and its live figures (zero before media flows). */
public record TrackSnapshot(String trackId, String kind, String codec, long ssrc, long bitrateInBps,
                            long packetsIn, long packetsLost, double jitterMillis) {
}
