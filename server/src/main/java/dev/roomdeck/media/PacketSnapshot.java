package dev.roomdeck.media;

import java.util.Map;

/**
 * Snapshot of a transport's (or the whole shared port's) packet counts. Media counts are packets that made it
 * through SRTP; {@code drops} maps {@link DropReason#code()} to a count and holds only reasons that happened.
 */
public record PacketSnapshot(long rtpReceived, long rtcpReceived, long rtpSent, long rtcpSent, Map<String, Long> drops) {
    public PacketSnapshot {
        drops = Map.copyOf(drops);
    }

    public long drops(DropReason reason) {
        return drops.getOrDefault(reason.code(), 0L);
    }

    public long drops(String code) {
        return drops.getOrDefault(code, 0L);
    }

    public long dropTotal() {
        long sum = 0;
        for (long n : drops.values()) {
            sum += n;
        }
        return sum;
    }
}
