package dev.roomdeck.rtp;

/**
 * The last packets of one published track, kept so subscribers' NACKs can be answered (RFC 4585 / 4588).
 *
 * <p>A fixed ring of slots, each a preallocated byte array; a packet lands in slot {@code seq mod slots}
 * and the slot remembers the exact 16-bit seq, so the 65535 -> 0 wrap needs no special case and a slot
 * reused by a newer packet never answers for the older one. Entries older than {@code maxAgeNanos} are not
 * served (a retransmission that late would only arrive after the receiver gave up on the frame).
 *
 * <p>Threads: the publisher's receive thread stores while subscribers' RTCP threads read. Each slot has its
 * own monitor, held only for one array copy, so there is no lock shared by the track and nothing allocates.
 * Store the packet as the publisher sent it (SRTP removed); per-subscriber rewriting happens after {@link #copyTo}.
 */
public final class RetransmissionCache {
    /** A second (the age served) of a stream up to ~5 Mbit/s in 1,200-byte packets: more slots would never be served. */
    public static final int DEFAULT_SLOTS = 512;
    public static final int DEFAULT_SLOT_BYTES = 1500;
    public static final long DEFAULT_MAX_AGE_NANOS = 1_000_000_000L;

    private final Slot[] slots;
    private final int mask;
    private final long maxAgeNanos;

    private static final class Slot {
        final byte[] data;
        int length;          // 0 = empty
        int seq;
        long storedAtNanos;

        Slot(int bytes) { data = new byte[bytes]; }
    }

    public RetransmissionCache() {
        this(DEFAULT_SLOTS, DEFAULT_SLOT_BYTES, DEFAULT_MAX_AGE_NANOS);
    }

    /** @param slotCount a power of two, at most 32768 so two packets in the cache never share a 16-bit seq */
    public RetransmissionCache(int slotCount, int slotBytes, long maxAgeNanos) {
        if (slotCount <= 0 || slotCount > 32768 || Integer.bitCount(slotCount) != 1)
            throw new IllegalArgumentException("slotCount must be a power of two in 1..32768: " + slotCount);
        if (slotBytes < RtpPacket.FIXED_HEADER_LENGTH) throw new IllegalArgumentException("slotBytes: " + slotBytes);
        this.slots = new Slot[slotCount];
        for (int i = 0; i < slotCount; i++) slots[i] = new Slot(slotBytes);
        this.mask = slotCount - 1;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** Copies the packet in; false (not stored) when it is larger than a slot. */
    public boolean store(RtpPacket packet, long nowNanos) {
        return store(packet.buffer(), packet.offset(), packet.length(), packet.sequenceNumber(), nowNanos);
    }

    public boolean store(byte[] buf, int off, int len, int seq, long nowNanos) {
        Slot s = slots[seq & mask];
        if (len > s.data.length || len <= 0) return false;
        synchronized (s) {
            System.arraycopy(buf, off, s.data, 0, len);
            s.length = len;
            s.seq = seq & 0xFFFF;
            s.storedAtNanos = nowNanos;
        }
        return true;
    }

    /**
     * Copies the packet with this seq to {@code out[off..]} and returns its length, or -1 when it was never
     * stored, was overwritten, is older than the max age, or does not fit in {@code out}.
     */
    public int copyTo(int seq, long nowNanos, byte[] out, int off) {
        seq &= 0xFFFF;
        Slot s = slots[seq & mask];
        synchronized (s) {
            if (s.length == 0 || s.seq != seq || nowNanos - s.storedAtNanos > maxAgeNanos) return -1;
            if (off < 0 || s.length > out.length - off) return -1;
            System.arraycopy(s.data, 0, out, off, s.length);
            return s.length;
        }
    }

    public int slotCount() { return slots.length; }
}
