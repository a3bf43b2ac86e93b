package dev.roomdeck.forward;

import dev.roomdeck.media.DropReason;
import dev.roomdeck.media.PacketCounters;
import dev.roomdeck.media.ReplayWindow;
import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.KeyframeRequester;
import dev.roomdeck.rtp.NackGenerator;
import dev.roomdeck.rtp.ReceiveStats;
import dev.roomdeck.rtp.RetransmissionCache;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.RtxWriter;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.PublishedTrack;

/**
 * A track as it arrives from its publisher: receive statistics, bitrate, the retransmission cache that answers
 * subscribers' NACKs, the keyframe requester, and the subscriptions it is forwarded to.
 *
 * <p>{@link #admit} decides whether a packet is used: each sequence number is forwarded once. SRTP's replay window
 * already refuses a second copy on the media SSRC, but RTX comes on its own SSRC, so a publisher's retransmission
 * of a packet the SFU already has would otherwise go out again under the original number: twice to every
 * subscriber (whose SRTP refuses it). Chrome sends such copies when it answers a NACK twice and as RTX "payload
 * padding" when it probes for bandwidth.
 */
final class IncomingTrack {
    static final Subscription[] NONE = new Subscription[0];


    final PeerForwarder publisher;
    final PublishedTrack description;
    final String streamId;
    final MediaKind kind;
    final int ssrc;
    final int rtxSsrc;
    final ReceiveStats stats;
    final BitrateMeter meter = new BitrateMeter();
    /** When the last packet on the media SSRC arrived (0: none yet); the receive thread writes it. */
    volatile long lastMediaNanos;
    /** Video only: audio is not retransmitted (Opus FEC covers it, and browsers do not NACK audio). */
    final RetransmissionCache cache;
    final KeyframeRequester keyframes;
    /** Video only: asks the publisher again for what went missing on its way to us (upstream loss). */
    final NackGenerator nacks;
    /** Sequence numbers already used (media SSRC or restored RTX); the packet path's only. */
    private final ReplayWindow used = new ReplayWindow();
    /** The publisher's RTX payload type → the media payload type it repairs; -1 where none. */
    private final int[] rtxToMedia = new int[128];
    /** Replaced whole on every change (copy on write): the packet path reads it without a lock. */
    volatile Subscription[] subscriptions = NONE;
    /** Audio only: the level its packets say (RFC 6464), for the speaker detector; null for video. */
    final dev.roomdeck.rtp.AudioLevelMeter level;
    /** The publisher's id of the audio-level extension; 0 when not negotiated. */
    final int audioLevelExtensionId;
    /** Audio muted by its owner or the operator (set on every rebuild): never counts as speaking. */
    volatile boolean audioMuted;
    /**
     * The forwarding stage for this track: packets in (used), copies out to subscribers, and drops by reason. A
     * child of its publisher's counters, which feed the media plane's: one count, three levels.
     */
    final PacketCounters counters;

    IncomingTrack(PeerForwarder publisher, PublishedTrack description, int senderSsrc) {
        this.publisher = publisher;
        this.counters = new PacketCounters(publisher == null ? null : publisher.counters);
        this.description = description;
        this.streamId = description.streamId();
        this.kind = description.kind();
        this.ssrc = (int) description.ssrc();
        this.rtxSsrc = (int) description.rtxSsrc();
        int clockRate = description.codecs().isEmpty() ? (kind == MediaKind.AUDIO ? 48000 : 90000)
                : description.codecs().get(0).clockRate();
        this.stats = new ReceiveStats(ssrc, clockRate);
        boolean video = kind == MediaKind.VIDEO;
        this.cache = video ? new RetransmissionCache() : null;
        boolean firOnly = video && description.codecs().stream().noneMatch(c -> c.rtcpFeedback().contains("nack pli"))
                && description.codecs().stream().anyMatch(c -> c.rtcpFeedback().contains("ccm fir"));
        this.keyframes = video ? new KeyframeRequester(senderSsrc, ssrc, firOnly) : null;
        boolean nackable = video && rtxSsrc != 0
                && description.codecs().stream().anyMatch(c -> c.rtcpFeedback().contains("nack"));
        this.nacks = nackable ? new NackGenerator(senderSsrc, ssrc) : null;
        this.level = video ? null : new dev.roomdeck.rtp.AudioLevelMeter();
        this.audioLevelExtensionId = description.extensions().getOrDefault(dev.roomdeck.rtp.AudioLevelMeter.URI, 0);
        java.util.Arrays.fill(rtxToMedia, -1);
        for (var c : description.codecs()) {
            if (c.rtxPayloadType() >= 0 && c.rtxPayloadType() < 128) {
                rtxToMedia[c.rtxPayloadType()] = c.payloadType();
            }
        }
    }

    /**
     * Whether a packet of this track is used: null if so, else why not (a drop reason). A packet on the RTX SSRC
     * ({@code rtx}) is restored in place to the original packet first; a padding-only RTX probe, a copy of a packet
     * already used, or one too old to tell, is not used. Media-SSRC packets are always used (SRTP let them through
     * once) and recorded.
     */
    DropReason admit(RtpPacket packet, boolean rtx) {
        if (rtx) {
            if (packet.payloadLength() <= 2) {
                return DropReason.RTX_PADDING;
            }
            int media = mediaPayloadTypeForRtx(packet.payloadType());
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

    /** The media payload type an RTX packet of this payload type repairs, or -1. */
    int mediaPayloadTypeForRtx(int rtxPayloadType) {
        return rtxToMedia[rtxPayloadType & 0x7F];
    }

    /** Same SSRCs and codecs: the forwarding state (cache, statistics, subscriptions) carries over. */
    boolean sameAs(PublishedTrack other) {
        return other.ssrc() == description.ssrc() && other.rtxSsrc() == description.rtxSsrc()
                && other.codecs().equals(description.codecs()) && other.extensions().equals(description.extensions());
    }
}
