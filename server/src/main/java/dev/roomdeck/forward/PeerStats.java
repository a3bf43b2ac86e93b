package dev.roomdeck.forward;

import java.util.List;

import dev.roomdeck.media.IcePath;

/**
 * Live figures of one peer's media: transport state, rates in and out over the last second, the loss it
 * reports about what it receives, the round trip to it (-1 until measured), its tracks, counters of what
 * was dropped or repaired, the level (0–100) of its loudest unmuted audio and whether that is speech, and the
 * path ICE found ({@link IcePath#NOT_STARTED} before the transport starts).
 */
public record PeerStats(String transportState, String remoteAddress, long bitrateInBps, long bitrateOutBps,
                          double lossPercent, double rttMillis, List<TrackStats> tracks, long unknownSsrcDrops, long malformedDrops,
                          long nacksAnswered, long nacksMissed, long keyframeRequests, int audioLevel, boolean speaking,
                          IcePath path) {
    public PeerStats {
        tracks = List.copyOf(tracks);
        path = path == null ? IcePath.NOT_STARTED : path;
    }

    public PeerStats(String transportState, String remoteAddress, long bitrateInBps, long bitrateOutBps,
                       double lossPercent, double rttMillis, List<TrackStats> tracks, long unknownSsrcDrops,
                       long malformedDrops, long nacksAnswered, long nacksMissed, long keyframeRequests,
                       int audioLevel, boolean speaking) {
        this(transportState, remoteAddress, bitrateInBps, bitrateOutBps, lossPercent, rttMillis, tracks,
                unknownSsrcDrops, malformedDrops, nacksAnswered, nacksMissed, keyframeRequests, audioLevel, speaking,
                null);
    }

    public PeerStats(String transportState, String remoteAddress, long bitrateInBps, long bitrateOutBps,
                       double lossPercent, double rttMillis, List<TrackStats> tracks, long unknownSsrcDrops,
                       long malformedDrops, long nacksAnswered, long nacksMissed, long keyframeRequests) {
        this(transportState, remoteAddress, bitrateInBps, bitrateOutBps, lossPercent, rttMillis, tracks,
                unknownSsrcDrops, malformedDrops, nacksAnswered, nacksMissed, keyframeRequests, 0, false);
    }

    /** The same figures with the peer's audio level (0–100) and speaking state. */
    public PeerStats withAudio(int level, boolean isSpeaking) {
        return new PeerStats(transportState, remoteAddress, bitrateInBps, bitrateOutBps, lossPercent, rttMillis,
                tracks, unknownSsrcDrops, malformedDrops, nacksAnswered, nacksMissed, keyframeRequests, level,
                isSpeaking, path);
    }

    public static final PeerStats NONE = new PeerStats("new", null, 0, 0, 0, -1, List.of(), 0, 0, 0, 0, 0);
}
