package dev.roomdeck.admin;

import java.time.Instant;
import java.util.List;

/**
 * One peer as the operator sees it.
 *
 * @param name                   the name the person typed (join or stream attributes {@code name}); the id when none
 * @param negotiationFailures    server offers the peer's browser reported it could not apply (renegotiate requests)
 * @param lastNegotiationFailure the browser's words for the last one; null when none failed
 */
public record PeerSnapshot(String id, String name, String address, Instant joinedAt, String transportState,
                           long bitrateInBps, long bitrateOutBps, double lossPercent, double rttMillis,
                           List<StreamSnapshot> streams, int negotiationFailures, String lastNegotiationFailure) {
    public PeerSnapshot {
        streams = List.copyOf(streams);
        name = name == null || name.isBlank() ? id : name;
    }

    /** A peer without a typed name or negotiation trouble. */
    public PeerSnapshot(String id, String address, Instant joinedAt, String transportState, long bitrateInBps,
                        long bitrateOutBps, double lossPercent, double rttMillis, List<StreamSnapshot> streams) {
        this(id, id, address, joinedAt, transportState, bitrateInBps, bitrateOutBps, lossPercent, rttMillis, streams,
                0, null);
    }
}
