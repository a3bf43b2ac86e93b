package dev.roomdeck.media;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters behind {@link Counters}, no allocation per packet; may feed a parent (the port). LongAdders, not one
 * atomic array: every forwarding thread counts every packet into the port's counters, and a single shared cache
 * line bounced between the cores on each of them.
 */
final class TrafficCounters {
    private static final int RTP_IN = 0, RTCP_IN = 1, RTP_OUT = 2, RTCP_OUT = 3, FIRST_DROP = 4;
    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder[] slots = new LongAdder[FIRST_DROP + REASONS.length];
    private final TrafficCounters parent;

    TrafficCounters(TrafficCounters parent) {
        this.parent = parent;
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new LongAdder();
        }
    }

    void drop(DropReason reason) {
        add(FIRST_DROP + reason.ordinal());
    }

    void rtpReceived() { add(RTP_IN); }

    void rtcpReceived() { add(RTCP_IN); }

    void rtpSent() { add(RTP_OUT); }

    void rtcpSent() { add(RTCP_OUT); }

    private void add(int slot) {
        slots[slot].increment();
        if (parent != null) {
            parent.add(slot);
        }
    }

    Counters snapshot() {
        Map<String, Long> drops = new HashMap<>();
        for (DropReason r : REASONS) {
            long n = slots[FIRST_DROP + r.ordinal()].sum();
            if (n != 0) {
                drops.put(r.code(), n);
            }
        }
        return new Counters(slots[RTP_IN].sum(), slots[RTCP_IN].sum(), slots[RTP_OUT].sum(), slots[RTCP_OUT].sum(), drops);
    }
}
