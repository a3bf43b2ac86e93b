package dev.roomdeck.forward;

import java.util.List;

import dev.roomdeck.media.IcePath;

/**
 * Live figures of one peer's media: transport state, rates in and out over the last second, the loss it
 * reports about what it receives, the round trip to it (-1 until measured), its tracks, counters of what
 * was dropped or repaired, the level (0–100) of its loudest unmuted audio and whether that is speech, and the
 * path ICE found ({@link IcePath#NOT_STARTED} before the transport starts); as a subscriber, what its link carries
 * by its own estimate (REMB, -1 while it sent none) and the video it receives of each stream (which layer, why).
 */
public record PeerStats(String transportState, String remoteAddress, long bitrateInBps, long bitrateOutBps,
                          double lossPercent, double rttMillis, List<TrackStats> tracks, long unknownSsrcDrops, long malformedDrops,
                          long nacksAnswered, long nacksMissed, long keyframeRequests, int audioLevel, boolean speaking,
                          IcePath path, long linkEstimateBps, List<ReceivedVideo> receiving) {
    public PeerStats {
        tracks = List.copyOf(tracks);
        path = path == null ? IcePath.NOT_STARTED : path;
        receiving = receiving == null ? List.of() : List.copyOf(receiving);
    }

    /**
     * One video stream this peer receives: the layer sent now (-1: none yet or paused) of {@code layers}, the one
     * chosen ({@code targetLayer}, which the switch waits a keyframe for), its size, why it was chosen, and the rate.
     */
    public record ReceivedVideo(String publisherId, String streamId, int layer, int targetLayer, int layers,
                                int width, int height, String reason, long bitrateBps) {
    }

    public PeerStats(String transportState, String remoteAddress, long bitrateInBps, long bitrateOutBps,
                       double lossPercent, double rttMillis, List<TrackStats> tracks, long unknownSsrcDrops,
                       long malformedDrops, long nacksAnswered, long nacksMissed, long keyframeRequests,
                       int audioLevel, boolean speaking) {
        this(transportState, remoteAddress, bitrateInBps, bitrateOutBps, lossPercent, rttMillis, tracks,
                unknownSsrcDrops, malformedDrops, nacksAnswered, nacksMissed, keyframeRequests, audioLevel, speaking,
                null, -1, List.of());
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
                isSpeaking, path, linkEstimateBps, receiving);
    }

    public static final PeerStats NONE = new PeerStats("new", null, 0, 0, 0, -1, List.of(), 0, 0, 0, 0, 0);
}
