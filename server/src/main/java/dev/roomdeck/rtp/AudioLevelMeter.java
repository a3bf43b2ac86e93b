package dev.roomdeck.rtp;

/**
 * The smoothed level of one audio stream, from the RFC 6464 {@code ssrc-audio-level} header extension its
 * sender writes into every packet (no decoding). Levels are −dBov, 0 (loudest) to 127 (silence). Smoothing is
 * per packet (about 50 a second): quick to rise (a speaker starts), slower to fall (pauses between words), so
 * that a talker stays "speaking" through a sentence. Written by the packet path, read by the speaker timer.
 */
public final class AudioLevelMeter {
    /** The header extension's URI in SDP ({@code a=extmap}). */
    public static final String URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** Silence, in −dBov. */
    public static final int SILENT = 127;
    /** A stream with no packet for this long counts as silent (DTX, a stalled sender). */
    static final long STALE_NANOS = 400_000_000L;
    /** −dBov at which level() is 0; 0 −dBov is 100. */
    static final int FLOOR_DBOV = 70;

    /** Smoothed −dBov times 16 (fixed point, so that readers see one int). */
    private volatile int smoothed16 = SILENT * 16;
    /** The loudest smoothed value since the last {@link #takeLoudest}: a short syllable (or a beep) between two
     * reads still counts. A lost update between the two threads costs one packet's peak, nothing more. */
    private volatile int loudest16 = SILENT * 16;
    private volatile long lastNanos;

    /** One packet's level in −dBov (0–127). */
    public void add(int minusDbov, long nowNanos) {
        int x16 = Math.max(0, Math.min(SILENT, minusDbov)) * 16;
        int s = smoothed16;
        // Louder: half way at once (~40 ms to follow a speaker); quieter: an eighth per packet (~300 ms).
        s += x16 < s ? (x16 - s) / 2 : (x16 - s) / 8;
        smoothed16 = s;
        if (s < loudest16) {
            loudest16 = s;
        }
        lastNanos = nowNanos;
    }

    /**
     * The loudest smoothed level in −dBov since the previous call (the speaker detector's tick), and starts the next
     * interval; {@link #SILENT} when no packet came for a while.
     */
    public int takeLoudest(long nowNanos) {
        int peak = loudest16;
        loudest16 = smoothed16;
        long last = lastNanos;
        return last == 0 || nowNanos - last > STALE_NANOS ? SILENT : Math.min(peak, smoothed16) / 16;
    }

    /** The smoothed level in −dBov now; {@link #SILENT} when no packet came for a while. */
    public int minusDbov(long nowNanos) {
        long last = lastNanos;
        return last == 0 || nowNanos - last > STALE_NANOS ? SILENT : smoothed16 / 16;
    }

    /** 0–100, linear over −70…0 dBov. */
    public static int percent(int minusDbov) {
        return Math.max(0, Math.min(100, (FLOOR_DBOV - minusDbov) * 100 / FLOOR_DBOV));
    }

    /**
     * The level in an RTP packet's {@code ssrc-audio-level} element (RFC 6464: V bit, then 7 bits of −dBov), or
     * -1 when the packet has none under {@code extensionId}.
     */
    public static int read(RtpPacket packet, int extensionId) {
        if (extensionId <= 0) {
            return -1;
        }
        int at = packet.findExtension(extensionId);
        return at < 0 || packet.foundExtensionLength() < 1 ? -1 : packet.buffer()[at] & 0x7F;
    }
}
