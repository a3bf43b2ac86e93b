package dev.roomdeck.sdp;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The SSRCs the server gives the one stream it forwards of each simulcast track of one peer. Subscribers see a
 * single stream whichever layer feeds it, so it cannot carry a layer's SSRC; and it must keep its SSRCs across
 * the publisher's renegotiations, or every subscriber would be renegotiated with a "new" track. A track is known
 * by its mid (unified-plan) or by its first SIM SSRC (plan-b). Mutable: {@link #copy()} before a negotiation step.
 */
final class ForwardedSsrcs {
    record Pair(long ssrc, long rtxSsrc) {
    }

    private final LongSupplier candidates;
    private final Map<String, Pair> byKey;

    ForwardedSsrcs() {
        this(() -> ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L));
    }

    /** @param candidates SSRCs to try, in order (random in production) */
    ForwardedSsrcs(LongSupplier candidates) {
        this(candidates, new HashMap<>());
    }

    private ForwardedSsrcs(LongSupplier candidates, Map<String, Pair> byKey) {
        this.candidates = candidates;
        this.byKey = byKey;
    }

    ForwardedSsrcs copy() {
        return new ForwardedSsrcs(candidates, new HashMap<>(byKey));
    }

    static String keyOf(PublishedTrack t) {
        return t.mid() != null ? "mid " + t.mid() : "sim " + t.layers().get(0).ssrc();
    }

    /**
     * The forwarded SSRCs for this simulcast track: the ones it had, unless one of them is now in {@code taken}
     * (the peer's SDP), then a new one; an RTX SSRC only when {@code rtx}.
     */
    PublishedTrack assign(PublishedTrack t, boolean rtx, Set<Long> taken) {
        String key = keyOf(t);
        Pair before = byKey.get(key);
        Set<Long> avoid = new HashSet<>(taken);
        byKey.forEach((k, p) -> {
            if (!k.equals(key)) {
                avoid.add(p.ssrc());
                avoid.add(p.rtxSsrc());
            }
        });
        avoid.add(0L);
        long ssrc = before != null && !avoid.contains(before.ssrc()) ? before.ssrc() : pick(avoid);
        avoid.add(ssrc);
        // A track that loses RTX keeps its RTX SSRC in reserve, so that RTX coming back gets the old one.
        long reserved = before == null ? 0 : before.rtxSsrc();
        long rtxSsrc = 0;
        if (rtx) {
            rtxSsrc = !avoid.contains(reserved) ? reserved : pick(avoid);
            reserved = rtxSsrc;
        }
        byKey.put(key, new Pair(ssrc, reserved));
        return t.withSsrcs(ssrc, rtxSsrc);
    }

    private long pick(Set<Long> avoid) {
        while (true) {
            long c = candidates.getAsLong();
            if (c > 0 && c <= 0xFFFFFFFFL && !avoid.contains(c)) {
                return c;
            }
        }
    }
}
