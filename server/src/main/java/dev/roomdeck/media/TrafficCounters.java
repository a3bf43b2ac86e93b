package dev.roomdeck.media;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Live counters behind {@link Counters}: one array of slots, no allocation per packet; may feed a parent (the port). */
final class TrafficCounters {
    private static final int RTP_IN = 0, RTCP_IN = 1, RTP_OUT = 2, RTCP_OUT = 3, FIRST_DROP = 4;
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray slots = new AtomicLongArray(FIRST_DROP + REASONS.length);
    private final TrafficCounters parent;

    TrafficCounters(TrafficCounters parent) {
        this.parent = parent;
    }

    void drop(DropReason reason) {
        add(FIRST_DROP + reason.ordinal());
    }

    void rtpReceived() { add(RTP_IN); }

    void rtcpReceived() { add(RTCP_IN); }

    void rtpSent() { add(RTP_OUT); }

    void rtcpSent() { add(RTCP_OUT); }

    private void add(int slot) {
        slots.incrementAndGet(slot);
        if (parent != null) {
            parent.add(slot);
        }
    }

    Counters snapshot() {
        Map<String, Long> drops = new HashMap<>();
        for (DropReason r : REASONS) {
            long n = slots.get(FIRST_DROP + r.ordinal());
            if (n != 0) {
                drops.put(r.code(), n);
            }
        }
        return new Counters(slots.get(RTP_IN), slots.get(RTCP_IN), slots.get(RTP_OUT), slots.get(RTCP_OUT), drops);
    }
}
