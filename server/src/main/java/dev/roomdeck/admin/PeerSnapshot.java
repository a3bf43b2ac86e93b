package dev.roomdeck.admin;

import java.time.Instant;
import java.util.List;

/**
 * One peer as the operator sees it.
 *
 * @param name                   the name the person typed (join or stream attributes {@code name}); the id when none
 * @param negotiationFailures    server offers the peer's browser reported it could not apply (renegotiate requests)
 * @param lastNegotiationFailure the browser's words for the last one; null when none failed
 * @param audioLevel             the peer's loudest audio stream now, 0–100 (smoothed; 0 when muted or silent)
 * @param speaking               above the speech threshold now (never while muted)
 * @param device                 what the peer's join attributes say it is: "in-room", "display", or null
 * @param network                the media path and the network doctor's verdict on it
 * @param linkEstimateBps        what the peer's browser estimates its downlink carries (REMB), -1 before it said
 * @param receiving              the video streams it receives: which layer and why
 */
public record PeerSnapshot(String id, String name, String address, Instant joinedAt, String transportState,
                           long bitrateInBps, long bitrateOutBps, double lossPercent, double rttMillis,
                           List<StreamSnapshot> streams, int negotiationFailures, String lastNegotiationFailure,
                           int audioLevel, boolean speaking, String device, NetworkPath network,
                           long linkEstimateBps, List<ReceivedVideoSnapshot> receiving) {
    public PeerSnapshot {
        streams = List.copyOf(streams);
        receiving = receiving == null ? List.of() : List.copyOf(receiving);
        name = name == null || name.isBlank() ? id : name;
        network = network == null ? NetworkPath.UNKNOWN : network;
    }

    /** Without what it receives. */
    public PeerSnapshot(String id, String name, String address, Instant joinedAt, String transportState,
                        long bitrateInBps, long bitrateOutBps, double lossPercent, double rttMillis,
                        List<StreamSnapshot> streams, int negotiationFailures, String lastNegotiationFailure,
                        int audioLevel, boolean speaking, String device, NetworkPath network) {
        this(id, name, address, joinedAt, transportState, bitrateInBps, bitrateOutBps, lossPercent, rttMillis,
                streams, negotiationFailures, lastNegotiationFailure, audioLevel, speaking, device, network, -1, null);
    }

    /** Without the network doctor's view. */
    public PeerSnapshot(String id, String name, String address, Instant joinedAt, String transportState,
                        long bitrateInBps, long bitrateOutBps, double lossPercent, double rttMillis,
                        List<StreamSnapshot> streams, int negotiationFailures, String lastNegotiationFailure,
                        int audioLevel, boolean speaking, String device) {
        this(id, name, address, joinedAt, transportState, bitrateInBps, bitrateOutBps, lossPercent, rttMillis,
                streams, negotiationFailures, lastNegotiationFailure, audioLevel, speaking, device, null);
    }

    /** Without audio figures or a device kind. */
    public PeerSnapshot(String id, String name, String address, Instant joinedAt, String transportState,
                        long bitrateInBps, long bitrateOutBps, double lossPercent, double rttMillis,
                        List<StreamSnapshot> streams, int negotiationFailures, String lastNegotiationFailure) {
        this(id, name, address, joinedAt, transportState, bitrateInBps, bitrateOutBps, lossPercent, rttMillis,
                streams, negotiationFailures, lastNegotiationFailure, 0, false, null);
    }

    /** A peer without a typed name or negotiation trouble. */
    public PeerSnapshot(String id, String address, Instant joinedAt, String transportState, long bitrateInBps,
                        long bitrateOutBps, double lossPercent, double rttMillis, List<StreamSnapshot> streams) {
        this(id, id, address, joinedAt, transportState, bitrateInBps, bitrateOutBps, lossPercent, rttMillis, streams,
                0, null);
    }
}
