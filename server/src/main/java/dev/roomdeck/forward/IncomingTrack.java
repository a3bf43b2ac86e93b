package dev.roomdeck.forward;

import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.KeyframeRequester;
import dev.roomdeck.rtp.NackGenerator;
import dev.roomdeck.rtp.ReceiveStatistics;
import dev.roomdeck.rtp.RetransmissionCache;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.PublishedTrack;

/**
 * A track as it arrives from its publisher: receive statistics, bitrate, the retransmission cache that answers
 * subscribers' NACKs, the keyframe requester, and the subscriptions it is forwarded to.
 */
final class IncomingTrack {
    static final Subscription[] NONE = new Subscription[0];

    final PeerSession publisher;
    final PublishedTrack description;
    final String streamId;
    final MediaKind kind;
    final int ssrc;
    final int rtxSsrc;
    final ReceiveStatistics stats;
    final BitrateMeter meter = new BitrateMeter();
    /** Video only: audio is not retransmitted (Opus FEC covers it, and browsers do not NACK audio). */
    final RetransmissionCache cache;
    final KeyframeRequester keyframes;
    /** Video only: asks the publisher again for what went missing on its way to us (upstream loss). */
    final NackGenerator nacks;
    /** The publisher's RTX payload type → the media payload type it repairs; -1 where none. */
    private final int[] rtxToMedia = new int[128];
    /** Replaced whole on every change (copy on write): the packet path reads it without a lock. */
    volatile Subscription[] subscriptions = NONE;

    IncomingTrack(PeerSession publisher, PublishedTrack description, int senderSsrc) {
        this.publisher = publisher;
        this.description = description;
        this.streamId = description.streamId();
        this.kind = description.kind();
        this.ssrc = (int) description.ssrc();
        this.rtxSsrc = (int) description.rtxSsrc();
        int clockRate = description.codecs().isEmpty() ? (kind == MediaKind.AUDIO ? 48000 : 90000)
                : description.codecs().get(0).clockRate();
        this.stats = new ReceiveStatistics(ssrc, clockRate);
        boolean video = kind == MediaKind.VIDEO;
        this.cache = video ? new RetransmissionCache() : null;
        boolean firOnly = video && description.codecs().stream().noneMatch(c -> c.rtcpFeedback().contains("nack pli"))
                && description.codecs().stream().anyMatch(c -> c.rtcpFeedback().contains("ccm fir"));
        this.keyframes = video ? new KeyframeRequester(senderSsrc, ssrc, firOnly) : null;
        boolean nackable = video && rtxSsrc != 0
                && description.codecs().stream().anyMatch(c -> c.rtcpFeedback().contains("nack"));
        this.nacks = nackable ? new NackGenerator(senderSsrc, ssrc) : null;
        java.util.Arrays.fill(rtxToMedia, -1);
        for (var c : description.codecs()) {
            if (c.rtxPayloadType() >= 0 && c.rtxPayloadType() < 128) {
                rtxToMedia[c.rtxPayloadType()] = c.payloadType();
            }
        }
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
