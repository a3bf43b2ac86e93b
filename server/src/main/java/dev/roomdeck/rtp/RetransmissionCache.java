package dev.roomdeck.rtp;

import java.util.Arrays;

/**
 * The last packets of one published stream, kept so subscribers' NACKs can be answered (RFC 4585 / 4588).
 *
 * <p>The packets' bytes lie one after the other in a ring of bytes (the arena), so a stream costs what it sends
 * and not a full-size slot per packet: a 150 kbit/s simulcast layer in 600-byte packets keeps its second in 32 KB,
 * where fixed 1,500-byte slots took 384 KB. The arena starts small and doubles when it would overwrite bytes
 * younger than the age served (it is checked as the writing enters each eighth of it), up to what the index can
 * address ({@code slotCount × maxPacketBytes}): a few doublings while a stream ramps up, then nothing is allocated.
 *
 * <p>The index: a packet's entry is at {@code seq mod slotCount} and remembers the exact 16-bit seq, so the
 * 65535 → 0 wrap needs no special case and an entry reused by a newer packet never answers for the older one. An
 * entry is served only while its bytes are still in the arena and it is at most {@code maxAgeNanos} old (a
 * retransmission later than that would only arrive after the receiver gave up on the frame).
 *
 * <p>Threads: the publisher's receive path stores, subscribers' feedback paths read (another thread when the
 * fan-out is sharded). One monitor, held only for a copy of one packet; uncontended but for a NACK answered while
 * the stream's next packet is stored. Store the packet as the publisher sent it (SRTP removed); per-subscriber
 * rewriting happens after {@link #copyTo}.
 */
public final class RetransmissionCache {
    /** A second (the age served) of a stream up to ~5 Mbit/s in 1,200-byte packets: more would never be served. */
    public static final int DEFAULT_SLOTS = 512;
    public static final int DEFAULT_SLOT_BYTES = 1500;
    public static final long DEFAULT_MAX_AGE_NANOS = 1_000_000_000L;
    /** Where every arena starts: a quarter second of a 1 Mbit/s stream. */
    static final int INITIAL_ARENA_BYTES = 32 * 1024;
    private static final int CHUNKS = 8;
    /** An eighth never entered (or holding nothing since the arena grew). */
    private static final long NEVER = Long.MIN_VALUE;

    private final int mask;
    private final int maxPacketBytes;
    private final long maxAgeNanos;
    private final int maxArenaBytes;
    // Guarded by this.
    private final int[] seqs;
    private final long[] positions;
    private final int[] lengths;
    private final long[] storedAt;
    private byte[] arena;
    /** Bytes ever written: a packet's position is absolute, its place in the arena this modulo the arena's size. */
    private long written;
    /** When the writing last entered each eighth of the arena: its bytes are at most that old. */
    private final long[] enteredAt = new long[CHUNKS];

    public RetransmissionCache() {
        this(DEFAULT_SLOTS, DEFAULT_SLOT_BYTES, DEFAULT_MAX_AGE_NANOS);
    }

    /**
     * @param slotCount      packets indexed: a power of two, at most 32768 so two packets in the cache never share a
     *                       16-bit seq
     * @param maxPacketBytes the largest packet stored
     */
    public RetransmissionCache(int slotCount, int maxPacketBytes, long maxAgeNanos) {
        if (slotCount <= 0 || slotCount > 32768 || Integer.bitCount(slotCount) != 1)
            throw new IllegalArgumentException("slotCount must be a power of two in 1..32768: " + slotCount);
        if (maxPacketBytes < RtpPacket.FIXED_HEADER_LENGTH || maxPacketBytes > 65536)
            throw new IllegalArgumentException("maxPacketBytes: " + maxPacketBytes);
        this.mask = slotCount - 1;
        this.maxPacketBytes = maxPacketBytes;
        this.maxAgeNanos = maxAgeNanos;
        this.seqs = new int[slotCount];
        this.positions = new long[slotCount];
        this.lengths = new int[slotCount];
        this.storedAt = new long[slotCount];
        Arrays.fill(seqs, -1);
        this.maxArenaBytes = Integer.highestOneBit(Math.max(CHUNKS, slotCount * maxPacketBytes - 1)) << 1;
        int initial = Math.max(Integer.highestOneBit(2 * maxPacketBytes - 1) << 1, INITIAL_ARENA_BYTES);
        this.arena = new byte[Math.min(initial, maxArenaBytes)];
        Arrays.fill(enteredAt, NEVER);
    }

    /** Copies the packet in; false (not stored) when it is larger than {@code maxPacketBytes}. */
    public boolean store(RtpPacket packet, long nowNanos) {
        return store(packet.buffer(), packet.offset(), packet.length(), packet.sequenceNumber(), nowNanos);
    }

    public synchronized boolean store(byte[] buf, int off, int len, int seq, long nowNanos) {
        if (len > maxPacketBytes || len <= 0) return false;
        makeRoom(len, nowNanos);
        long at = written;
        copyIn(buf, off, len, at);
        written = at + len;
        int slot = seq & mask;
        seqs[slot] = seq & 0xFFFF;
        positions[slot] = at;
        lengths[slot] = len;
        storedAt[slot] = nowNanos;
        return true;
    }

    /**
     * Copies the packet with this seq to {@code out[off..]} and returns its length, or -1 when it was never
     * stored, was overwritten, is older than the max age, or does not fit in {@code out}.
     */
    public synchronized int copyTo(int seq, long nowNanos, byte[] out, int off) {
        seq &= 0xFFFF;
        int slot = seq & mask;
        int len = lengths[slot];
        if (seqs[slot] != seq || nowNanos - storedAt[slot] > maxAgeNanos || written - positions[slot] > arena.length)
            return -1;
        if (off < 0 || len > out.length - off) return -1;
        int from = (int) (positions[slot] & (arena.length - 1));
        int first = Math.min(len, arena.length - from);
        System.arraycopy(arena, from, out, off, first);
        System.arraycopy(arena, 0, out, off + first, len - first);
        return len;
    }

    public int slotCount() { return mask + 1; }

    /** The arena's size now (what the stream's second costs). */
    public synchronized int arenaBytes() { return arena.length; }

    /**
     * Before {@code len} bytes are written at {@link #written}: each eighth of the arena the write enters (its first
     * byte is written now) must hold only bytes older than the age served, or the arena doubles (while it may).
     */
    private void makeRoom(int len, long now) {
        while (true) {
            int chunk = arena.length / CHUNKS;
            long end = written + len;
            long first = (written + chunk - 1) / chunk * chunk;
            boolean young = false;
            for (long b = first; b < end; b += chunk) {
                long entered = enteredAt[eighth(b)];
                young |= entered != NEVER && now - entered < maxAgeNanos;
            }
            if (!young || arena.length >= maxArenaBytes) {
                for (long b = first; b < end; b += chunk) {
                    enteredAt[eighth(b)] = now;
                }
                return;
            }
            grow(now);
        }
    }

    /**
     * Doubles the arena, keeping every byte at its absolute position. The eighths that hold the kept bytes count as
     * entered now (their real ages are not known: at worst the arena grows once more than it had to); the others
     * hold nothing.
     */
    private void grow(long now) {
        byte[] bigger = new byte[arena.length * 2];
        long from = Math.max(0, written - arena.length);
        for (long p = from; p < written; ) {
            int src = (int) (p & (arena.length - 1));
            int dst = (int) (p & (bigger.length - 1));
            int n = (int) Math.min(written - p, Math.min(arena.length - src, bigger.length - dst));
            System.arraycopy(arena, src, bigger, dst, n);
            p += n;
        }
        arena = bigger;
        Arrays.fill(enteredAt, NEVER);
        int chunk = bigger.length / CHUNKS;
        for (long b = from / chunk * chunk; b < written; b += chunk) {
            enteredAt[eighth(b)] = now;
        }
    }

    /** Which eighth of the arena the byte at absolute {@code position} lies in. */
    private int eighth(long position) {
        return (int) ((position / (arena.length / CHUNKS)) % CHUNKS);
    }

    private void copyIn(byte[] buf, int off, int len, long at) {
        int to = (int) (at & (arena.length - 1));
        int first = Math.min(len, arena.length - to);
        System.arraycopy(buf, off, arena, to, first);
        System.arraycopy(buf, off + first, arena, 0, len - first);
    }
}
