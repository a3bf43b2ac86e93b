package dev.roomdeck.media;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node of the media plane's counter tree: packets in and out and drops by {@link DropReason}, for one stage of
 * the packet path (the shared port ← a peer's transport; the media plane's forwarding ← a peer ← its tracks). Each
 * count also goes to the parent, so a total is read, never summed; {@link #snapshot()} gives {@link PacketSnapshot}.
 * No allocation per packet. LongAdders, not one
 * atomic array: every forwarding thread counts every packet into the port's counters, and a single shared cache
 * line bounced between the cores on each of them.
 */
public final class PacketCounters {
    private static final int RTP_IN = 0, RTCP_IN = 1, RTP_OUT = 2, RTCP_OUT = 3, FIRST_DROP = 4;
    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder[] slots = new LongAdder[FIRST_DROP + REASONS.length];
    private final PacketCounters parent;

    /** @param parent the node above (transport → port; track → peer → media plane), or null */
    public PacketCounters(PacketCounters parent) {
        this.parent = parent;
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new LongAdder();
        }
    }

    public void drop(DropReason reason) {
        add(FIRST_DROP + reason.ordinal());
    }

    public void rtpReceived() { add(RTP_IN); }

    public void rtcpReceived() { add(RTCP_IN); }

    public void rtpSent() { add(RTP_OUT); }

    public void rtcpSent() { add(RTCP_OUT); }

    /** How many packets this node (and the nodes below it) dropped for this reason. */
    public long dropped(DropReason reason) {
        return slots[FIRST_DROP + reason.ordinal()].sum();
    }

    private void add(int slot) {
        slots[slot].increment();
        if (parent != null) {
            parent.add(slot);
        }
    }

    public PacketSnapshot snapshot() {
        Map<String, Long> drops = new HashMap<>();
        for (DropReason r : REASONS) {
            long n = slots[FIRST_DROP + r.ordinal()].sum();
            if (n != 0) {
                drops.put(r.code(), n);
            }
        }
        return new PacketSnapshot(slots[RTP_IN].sum(), slots[RTCP_IN].sum(), slots[RTP_OUT].sum(), slots[RTCP_OUT].sum(), drops);
    }
}
