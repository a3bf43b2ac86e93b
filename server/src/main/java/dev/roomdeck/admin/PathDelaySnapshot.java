package dev.roomdeck.admin;

import java.util.List;

/**
 * How long datagrams spent in the server since the start, from the media port's socket to the end of their
 * processing (docs/operations.md, "Packet path delay"): counts per bucket, {@code counts.get(i)} up to
 * {@code boundsMicros.get(i)} microseconds (and above the bound before it), the last above every bound.
 */
public record PathDelaySnapshot(List<Long> boundsMicros, List<Long> counts, long sumNanos) {
    public PathDelaySnapshot {
        boundsMicros = List.copyOf(boundsMicros);
        counts = List.copyOf(counts);
        if (counts.size() != boundsMicros.size() + 1) {
            throw new IllegalArgumentException("one count per bound, and one above them");
        }
    }

    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The bucket bound under which at least {@code quantile} of the datagrams stayed (0.99: the p99), in
     * microseconds; {@link Long#MAX_VALUE} when that is above the last bound, -1 with nothing recorded.
     */
    public long atMostMicros(double quantile) {
        long total = total();
        if (total == 0) {
            return -1;
        }
        long needed = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.get(i);
            if (seen >= needed) {
                return i < boundsMicros.size() ? boundsMicros.get(i) : Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }
}
