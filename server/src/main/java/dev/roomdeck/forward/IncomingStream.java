package dev.roomdeck.forward;

import dev.roomdeck.media.DropReason;
import dev.roomdeck.media.ReplayWindow;
import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.KeyframeRequester;
import dev.roomdeck.rtp.NackGenerator;
import dev.roomdeck.rtp.ReceiveStats;
import dev.roomdeck.rtp.RetransmissionCache;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.RtxWriter;
import dev.roomdeck.sdp.MediaKind;

/**
 * One RTP stream as it arrives from a publisher: a track's only encoding, or one simulcast layer of it. Owns what
 * belongs to one SSRC: receive statistics (for our receiver reports), bitrate, the retransmission cache that
 * answers subscribers' NACKs, the NACKs we send upstream, and keyframe requests.
 *
 * <p>{@link #admit} decides whether a packet is used: each sequence number once. SRTP's replay window already
 * refuses a second copy on the media SSRC, but RTX comes on its own SSRC, so a publisher's retransmission of a
 * packet the SFU already has would otherwise go out again under the original number: twice to every subscriber
 * (whose SRTP refuses it). Chrome sends such copies when it answers a NACK twice and as RTX "payload padding" when
 * it probes for bandwidth.
 */
final class IncomingStream {
    /** How long {@link #peakBitsPerSecond} remembers a peak. */
    private static final long PEAK_HOLD_NANOS = 4_000_000_000L;
    /**
     * A lower simulcast layer's retransmission cache: 256 packets hold the second a repair is served for up to 2.4
     * Mbit/s (lower layers run at a fraction of that); the top layer and single streams keep the default 512.
     */
    private static final int LOWER_LAYER_CACHE_SLOTS = 256;
    /** The time constant of {@link #averageBitsPerSecond}. */
    private static final long AVERAGE_NANOS = 3_000_000_000L;

    final Producer producer;
    /** Position among the producer's layers, 0 = the lowest resolution (the only one without simulcast). */
    final int layer;
    final int ssrc;
    /** The RTX SSRC repairing this stream; 0 while unknown (rid-based simulcast learns it from the repaired rid). */
    volatile int rtxSsrc;
    final ReceiveStats stats;
    final BitrateMeter meter = new BitrateMeter();
    private long peakBps;
    private long peakNanos;
    private double averageBps;
    private long updatedNanos;
    private boolean updated;
    /** When the last packet on the media SSRC arrived (0: none yet); the receive thread writes it. */
    volatile long lastMediaNanos;
    /** Video only: audio is not retransmitted (Opus FEC covers it, and browsers do not NACK audio). */
    final RetransmissionCache cache;
    final KeyframeRequester keyframes;
    /** Video only: asks the publisher again for what went missing on its way to us (upstream loss). */
    final NackGenerator nacks;
    /** The last keyframe's size (VP8 says it in the frame), 0 until one came: what a layer choice compares. */
    volatile int width;
    volatile int height;
    /** Sequence numbers already used (media SSRC or restored RTX); the packet path's only. */
    private final ReplayWindow used = new ReplayWindow();

    IncomingStream(Producer producer, int layer, int ssrc, int rtxSsrc, int senderSsrc) {
        this.producer = producer;
        this.layer = layer;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        var d = producer.description;
        int clockRate = d.codecs().isEmpty() ? (producer.kind == MediaKind.AUDIO ? 48000 : 90000) : d.codecs().get(0).clockRate();
        this.stats = new ReceiveStats(ssrc, clockRate);
        boolean video = producer.kind == MediaKind.VIDEO;
        this.cache = !video ? null : layer < producer.layerCount() - 1
                ? new RetransmissionCache(LOWER_LAYER_CACHE_SLOTS, RetransmissionCache.DEFAULT_SLOT_BYTES,
                        RetransmissionCache.DEFAULT_MAX_AGE_NANOS)
                : new RetransmissionCache();
        boolean firOnly = video && d.codecs().stream().noneMatch(c -> c.rtcpFeedback().contains("nack pli"))
                && d.codecs().stream().anyMatch(c -> c.rtcpFeedback().contains("ccm fir"));
        this.keyframes = video ? new KeyframeRequester(senderSsrc, ssrc, firOnly) : null;
        boolean repairable = rtxSsrc != 0 || producer.simulcast(); // simulcast layers' RTX SSRCs come later
        boolean nackable = video && repairable && d.codecs().stream().anyMatch(c -> c.rtcpFeedback().contains("nack"));
        this.nacks = nackable ? new NackGenerator(senderSsrc, ssrc) : null;
    }

    /**
     * Whether a packet of this stream is used: null if so, else why not (a drop reason). A packet on the RTX SSRC
     * ({@code rtx}) is restored in place to the original packet first; a padding-only RTX probe, a copy of a packet
     * already used, or one too old to tell, is not used. Media-SSRC packets are always used (SRTP let them through
     * once) and recorded.
     */
    DropReason admit(RtpPacket packet, boolean rtx) {
        if (rtx) {
            if (packet.payloadLength() <= 2) {
                return DropReason.RTX_PADDING;
            }
            int media = producer.mediaPayloadTypeForRtx(packet.payloadType());
            if (media < 0) {
                return DropReason.RTX_UNKNOWN_PAYLOAD_TYPE;
            }
            if (RtxWriter.restoreOriginal(packet, media, ssrc) <= 0) {
                return DropReason.RTP_MALFORMED;
            }
            switch (used.check(packet.sequenceNumber())) {
                case ReplayWindow.DUPLICATE:
                    return DropReason.RTX_REDUNDANT;
                case ReplayWindow.TOO_OLD:
                    return DropReason.RTX_TOO_LATE;
                default:
                    break;
            }
        }
        used.accept(packet.sequenceNumber());
        return null;
    }

    /** Whether the publisher sends this stream now: a packet within the last second. */
    boolean isActive(long now) {
        long last = lastMediaNanos;
        return last != 0 && now - last < 1_000_000_000L;
    }

    /**
     * The highest 1 s rate of the last few seconds: what a link must carry to take this stream on. An encoder's
     * rate swings from second to second (a keyframe doubles it, a quiet scene halves it), so a layer chosen by one
     * second's rate would be chosen, dropped and chosen again while the link stays the same. Called on the timer
     * and on room changes: a race between the two loses one reading, nothing more.
     */
    long peakBitsPerSecond(long now) {
        update(now);
        return peakBps;
    }

    /** The 1 s rate smoothed over a few seconds: what this stream costs a link that already carries it. */
    long averageBitsPerSecond(long now) {
        update(now);
        return (long) averageBps;
    }

    private void update(long now) {
        if (updated && now - updatedNanos <= 0) {
            return;
        }
        long rate = meter.bitsPerSecond(now);
        if (rate >= peakBps || now - peakNanos > PEAK_HOLD_NANOS) {
            peakBps = rate;
            peakNanos = now;
        }
        averageBps = !updated ? rate : averageBps + (rate - averageBps) * -Math.expm1(-(now - updatedNanos) / (double) AVERAGE_NANOS);
        updatedNanos = now;
        updated = true;
    }
}
