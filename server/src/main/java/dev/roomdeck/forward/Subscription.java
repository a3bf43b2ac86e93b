package dev.roomdeck.forward;

import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.RtxWriter;
import dev.roomdeck.sdp.Codec;
import dev.roomdeck.sdp.SendTrack;
import java.util.Arrays;
import java.util.Map;

/**
 * One subscriber receiving one track: how to rewrite the publisher's packets for it (payload types and
 * header-extension ids as it negotiated them), whether it is muted, and its outgoing meter and RTX state.
 */
final class Subscription {
    final PeerForwarder subscriber;
    final IncomingTrack track;
    final SendTrack sendTrack;
    /** publisher payload type → subscriber payload type; -1 drops the packet (no common codec). */
    private final int[] payloadTypes = new int[128];
    /** publisher extension id → subscriber id; 0 removes the element (the subscriber did not negotiate it). */
    private final int[] extensionIds;
    /** True when nothing needs rewriting: the packet goes out exactly as it came in. */
    private final boolean identity;
    /** Subscriber's RTX payload type per subscriber media payload type, for NACK answers; -1 = plain resend. */
    private final int[] rtxPayloadTypes = new int[128];
    final RtxWriter rtx;
    final BitrateMeter meter = new BitrateMeter();
    volatile boolean active;
    /**
     * The first sequence number forwarded since this subscription last became active, -1 while inactive or before
     * the first packet. A NACK for anything older is refused: after a mute the subscriber sees a gap and asks for
     * it, and the cache still holds what was muted. Packet path only.
     */
    private int activeFromSeq = -1;
    /** The last sender report passed on to this subscriber (NTP middle 32 bits) and when: its RR's LSR gives RTT. */
    volatile int lastSrMiddle;
    volatile long lastSrSentNanos;

    /** @param firstRtxSeq the RTX sequence number to start from (random for a new RTX stream) */
    Subscription(PeerForwarder subscriber, IncomingTrack track, SendTrack sendTrack, int firstRtxSeq) {
        this.subscriber = subscriber;
        this.track = track;
        this.sendTrack = sendTrack;
        Arrays.fill(payloadTypes, -1);
        Arrays.fill(rtxPayloadTypes, -1);
        Map<Integer, Integer> pts = sendTrack.payloadTypeMap(track.description.codecs());
        Map<Integer, Integer> ids = sendTrack.extensionIdMap(track.description.extensions());
        boolean same = true;
        for (Map.Entry<Integer, Integer> e : pts.entrySet()) {
            payloadTypes[e.getKey()] = e.getValue();
            same &= e.getKey().equals(e.getValue());
        }
        for (Codec c : sendTrack.codecs()) {
            rtxPayloadTypes[c.payloadType()] = c.rtxPayloadType();
        }
        this.extensionIds = new int[256];
        for (int id : track.description.extensions().values()) {
            if (id > 0 && id < extensionIds.length) {
                extensionIds[id] = ids.getOrDefault(id, 0);
                same &= extensionIds[id] == id;
            }
        }
        this.identity = same;
        this.rtx = new RtxWriter(0, (int) sendTrack.rtxSsrc(), firstRtxSeq);
    }

    /**
     * Sends one publisher packet to this subscriber. {@code scratch} belongs to the calling receive thread;
     * the packet's own bytes are never changed, so the next subscriber sees the original.
     */
    void forward(RtpPacket packet, byte[] scratch, RtpPacket scratchView, long nowNanos) {
        if (!active) {
            activeFromSeq = -1;
            return;
        }
        if (activeFromSeq < 0) {
            activeFromSeq = packet.sequenceNumber();
        }
        int pt = payloadTypes[packet.payloadType()];
        if (pt < 0) {
            return;
        }
        int len = packet.length();
        if (identity) {
            subscriber.transport().sendRtp(packet.buffer(), packet.offset(), len);
        } else {
            System.arraycopy(packet.buffer(), packet.offset(), scratch, 0, len);
            if (!scratchView.wrap(scratch, 0, len) || !scratchView.rewriteExtensionIds(extensionIds)) {
                return;
            }
            scratchView.setPayloadType(pt);
            subscriber.transport().sendRtp(scratch, 0, len);
        }
        meter.add(len, nowNanos);
        track.counters.rtpSent();
    }

    /**
     * Answers one NACKed sequence number from the track's cache, as RTX when the subscriber negotiated it.
     * Returns false when the packet is no longer cached, or was never meant for this subscriber (sent while it was
     * muted for it).
     */
    boolean retransmit(int seq, byte[] scratch, RtpPacket scratchView, long nowNanos) {
        if (!active || track.cache == null || !forwardedSinceActive(seq)) {
            return false;
        }
        int len = track.cache.copyTo(seq, nowNanos, scratch, 0);
        if (len <= 0 || !scratchView.wrap(scratch, 0, len)) {
            return false;
        }
        int pt = payloadTypes[scratchView.payloadType()];
        if (pt < 0 || !scratchView.rewriteExtensionIds(extensionIds)) {
            return false;
        }
        scratchView.setPayloadType(pt);
        int rtxPt = rtxPayloadTypes[pt];
        if (rtxPt >= 0 && sendTrack.rtxSsrc() != 0) {
            rtx.setRtxPayloadType(rtxPt);
            len = rtx.toRtxInPlace(scratch, 0, len);
            if (len <= 0) {
                return false;
            }
        }
        subscriber.transport().sendRtp(scratch, 0, len);
        meter.add(len, nowNanos);
        track.counters.rtpSent();
        return true;
    }

    /** Whether {@code seq} is not older (RFC 3550 serial arithmetic) than the first packet of this active period. */
    private boolean forwardedSinceActive(int seq) {
        int from = activeFromSeq;
        return from >= 0 && ((seq - from) & 0x8000) == 0;
    }
}
