package dev.roomdeck.admin;

import java.time.Instant;
import java.util.List;

/** One peer as the operator sees it. */
public record PeerSnapshot(String id, String address, Instant joinedAt, String transportState,
                           long bitrateInBps, long bitrateOutBps, double lossPercent, double rttMillis,
                           List<StreamSnapshot> streams) {
    public PeerSnapshot {
        streams = List.copyOf(streams);
    }
}
