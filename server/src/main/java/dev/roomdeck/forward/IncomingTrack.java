package dev.roomdeck.forward;

import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.KeyframeRequester;
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
    }

    /** Same SSRCs and codecs: the forwarding state (cache, statistics, subscriptions) carries over. */
    boolean sameAs(PublishedTrack other) {
        return other.ssrc() == description.ssrc() && other.rtxSsrc() == description.rtxSsrc()
                && other.codecs().equals(description.codecs()) && other.extensions().equals(description.extensions());
    }
}
