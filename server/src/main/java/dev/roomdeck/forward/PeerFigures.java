package dev.roomdeck.forward;

import java.util.List;

/**
 * Live figures of one peer's media: transport state, rates in and out over the last second, the loss it
 * reports about what it receives, the round trip to it (-1 until measured), its tracks, and counters of what
 * was dropped or repaired.
 */
public record PeerFigures(String transportState, String remoteAddress, long bitrateInBps, long bitrateOutBps,
                          double lossPercent, double rttMillis, List<TrackFigures> tracks, long unknownSsrcDrops, long malformedDrops,
                          long nacksAnswered, long nacksMissed, long keyframeRequests) {
    public PeerFigures {
        tracks = List.copyOf(tracks);
    }

    public static final PeerFigures NONE = new PeerFigures("new", null, 0, 0, 0, -1, List.of(), 0, 0, 0, 0, 0);
}
