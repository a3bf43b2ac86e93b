package dev.roomdeck.forward;

import dev.roomdeck.room.VideoSize;
import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.RtxWriter;
import dev.roomdeck.rtp.SequenceFloor;
import dev.roomdeck.rtp.Vp8Payload;
import dev.roomdeck.rtp.VideoCodec;
import dev.roomdeck.sdp.Codec;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.SendTrack;
import java.util.Arrays;
import java.util.Map;

/**
 * One subscriber receiving one {@link Producer} (mediasoup's Consumer): what this subscriber gets of the track and
 * how. Rewrites payload types and header-extension ids into the subscriber's numbering; mutes; answers its NACKs;
 * and, for a simulcast track, forwards one layer as one continuous stream.
 *
 * <p><b>Simulcast.</b> The layers are separate RTP streams with their own SSRCs, sequence numbers, timestamps and
 * VP8 picture ids. The subscriber sees one: every packet goes out on the track's forwarded SSRC with sequence
 * number, timestamp, picture id and TL0PICIDX shifted by offsets that are recomputed at each switch so that the
 * numbers continue where the last layer left off. A switch happens only at a keyframe of the target layer (asked
 * for when the target changes), since a decoder cannot continue one layer's frames with another's; until then the
 * current layer keeps flowing, so a switch never freezes the picture.
 *
 * <p>Threads: {@link #forward} and {@link #retransmit} run on the subscriber's fan-out shard ({@link FanOut}: the
 * media worker itself on a small machine), one packet at a time; {@link #targetLayer}, {@link #active} and
 * {@link #wish} are written by the room's rebuild and the timer.
 */
final class Consumer {
    final PeerForwarder subscriber;
    final Producer producer;
    final SendTrack sendTrack;
    /** publisher payload type → subscriber payload type; -1 drops the packet (no common codec). */
    private final int[] payloadTypes = new int[128];
    /** publisher extension id → subscriber id; 0 removes the element (the subscriber did not negotiate it). */
    private final int[] extensionIds;
    /**
     * The subscriber's abs-send-time id (0: none). Its browser estimates the link from these times, so they must be
     * when this server sent, or the publisher's own path would count as this subscriber's congestion. Only packets
     * never resent as they are get our time ({@link #stampable}): a plain resend must repeat the first send's
     * bytes, since SRTP with AES-GCM would otherwise encrypt two different packets under one nonce.
     */
    private final int absSendTimeId;
    /** True when nothing needs rewriting: the packet goes out exactly as it came in. */
    private final boolean identity;
    /** Subscriber's RTX payload type per subscriber media payload type, for NACK answers; -1 = plain resend. */
    private final int[] rtxPayloadTypes = new int[128];
    private final int clockRate;
    final RtxWriter rtx;
    final BitrateMeter meter = new BitrateMeter();
    /** The room lets this subscriber receive this track (no mute of any kind). */
    volatile boolean active;
    /** The largest video the subscriber asked for (videoSize); null when it never said. */
    volatile VideoSize wish;
    /** Simulcast: the layer to forward, -1 for none (paused); chosen by {@link LayerChoice}. */
    volatile int targetLayer;
    /** Why {@link #targetLayer} is what it is, for the operator. */
    volatile LayerChoice.Reason reason = LayerChoice.Reason.BEST;
    /** The layer being forwarded now, -1 for none (written by the packet path, read by the console). */
    volatile int currentLayer = -1;
    /** The last sender report passed on to this subscriber (NTP middle 32 bits) and when: its RR's LSR gives RTT. */
    volatile int lastSrMiddle;
    volatile long lastSrSentNanos;

    // ---- packet path only ----
    /**
     * Without simulcast: the packets forwarded since this consumer last became active (none while inactive or
     * before the first packet). A NACK for anything older is refused: after a mute the subscriber sees a gap and
     * asks for it, and the cache still holds what was muted.
     */
    private final SequenceFloor activeSince = new SequenceFloor();
    /** The stream forwarded now; null while none (packet path only; {@link #currentLayer} says it to others). */
    private IncomingStream current;
    /** A packet went out since the consumer began: later switches continue its numbering. */
    private boolean started;
    private int seqOffset;
    /** Volatile: a sender report of the layer, passed on by the media worker, is shifted by it. */
    private volatile int tsOffset;
    private int pictureIdOffset;
    private int tl0Offset;
    /** The current layer's packets since the switch to it: older ones belong to before the switch. */
    private final SequenceFloor sinceSwitch = new SequenceFloor();
    private int lastOutSeq;
    private int lastOutTs;
    private int lastOutPictureId = -1;
    private int lastOutTl0 = -1;
    private int lastRetransmitLength;
    private long lastOutNanos;
    /** What went out under each outgoing sequence number, for NACKs on a rewritten stream; null without simulcast. */
    private final SentPackets sent;

    /** @param firstRtxSeq the RTX sequence number to start from (random for a new RTX stream) */
    Consumer(PeerForwarder subscriber, Producer producer, SendTrack sendTrack, int firstRtxSeq) {
        this.subscriber = subscriber;
        this.producer = producer;
        this.sendTrack = sendTrack;
        Arrays.fill(payloadTypes, -1);
        Arrays.fill(rtxPayloadTypes, -1);
        this.sent = producer.simulcast() ? new SentPackets() : null;
        Map<Integer, Integer> pts = sendTrack.payloadTypeMap(producer.description.codecs());
        Map<Integer, Integer> ids = sendTrack.extensionIdMap(producer.description.extensions());
        boolean same = true;
        for (Map.Entry<Integer, Integer> e : pts.entrySet()) {
            payloadTypes[e.getKey()] = e.getValue();
            same &= e.getKey().equals(e.getValue());
        }
        for (Codec c : sendTrack.codecs()) {
            rtxPayloadTypes[c.payloadType()] = c.rtxPayloadType();
        }
        this.extensionIds = new int[256];
        for (int id : producer.description.extensions().values()) {
            if (id > 0 && id < extensionIds.length) {
                extensionIds[id] = ids.getOrDefault(id, 0);
                same &= extensionIds[id] == id;
            }
        }
        this.identity = same && !producer.simulcast();
        this.clockRate = producer.description.codecs().isEmpty() ? 90000 : producer.description.codecs().get(0).clockRate();
        this.rtx = new RtxWriter(0, (int) sendTrack.rtxSsrc(), firstRtxSeq);
        this.absSendTimeId = sendTrack.absSendTimeId();
        this.targetLayer = producer.layerCount() - 1;
    }

    /**
     * Sends one publisher packet of stream {@code from} to this subscriber, if it is what the subscriber gets now.
     * {@code keyframe}: the packet begins a keyframe (the caller looked once for all consumers). {@code scratch}
     * belongs to the calling thread; the packet's own bytes are never changed, so the next consumer sees the
     * original.
     */
    void forward(IncomingStream from, RtpPacket packet, boolean keyframe, byte[] scratch, RtpPacket view, long now) {
        if (!active) {
            activeSince.clear();
            pause(); // a resumed simulcast stream starts again at a keyframe
            return;
        }
        int pt = payloadTypes[packet.payloadType()];
        if (pt < 0) {
            return;
        }
        if (!producer.simulcast()) {
            if (!activeSince.isSet()) {
                activeSince.start(packet.sequenceNumber());
            }
            activeSince.admit(packet.sequenceNumber());
            sendWhole(packet, pt, scratch, view, now);
            return;
        }
        int target = targetLayer;
        if (target < 0) {
            pause();
            return;
        }
        if (from != current) { // another layer, or this layer's stream anew (a sender's new SSRC for it)
            if (from.layer != target || !keyframe) {
                return; // the current layer flows on until the target's keyframe
            }
            switchTo(from, packet, now);
        } else if (!sinceSwitch.admit(packet.sequenceNumber())) {
            return; // a late packet of this layer from before the switch: its numbers belong to another layer's time
        }
        int len = packet.length();
        System.arraycopy(packet.buffer(), packet.offset(), scratch, 0, len);
        if (!view.wrap(scratch, 0, len) || !rewrite(view, pt, seqOffset, tsOffset, pictureIdOffset, tl0Offset)) {
            return;
        }
        int outSeq = view.sequenceNumber();
        sent.sent(outSeq, packet.sequenceNumber());
        if (!started || ((outSeq - lastOutSeq) & 0x8000) == 0) {
            lastOutSeq = outSeq;
            lastOutTs = view.timestamp();
            lastOutNanos = now;
            if (producer.codec == VideoCodec.VP8) {
                int pic = Vp8Payload.pictureId(scratch, view.payloadOffset(), view.payloadLength());
                if (pic >= 0) {
                    lastOutPictureId = pic;
                }
                int tl0 = Vp8Payload.tl0PicIdx(scratch, view.payloadOffset(), view.payloadLength());
                if (tl0 >= 0) {
                    lastOutTl0 = tl0;
                }
            }
            started = true;
        }
        if (stampable(pt)) {
            view.setAbsSendTime(absSendTimeId, now);
        }
        subscriber.transport().sendRtp(scratch, 0, len);
        meter.add(len, now);
        producer.counters.rtpSent();
    }

    /** Without simulcast: the packet as it came, or with payload type and extension ids in the subscriber's numbering. */
    private void sendWhole(RtpPacket packet, int pt, byte[] scratch, RtpPacket view, long now) {
        int len = packet.length();
        boolean stamp = stampable(pt);
        if (identity && !stamp) {
            subscriber.transport().sendRtp(packet.buffer(), packet.offset(), len);
        } else { // a copy: the original's bytes are every consumer's, and its retransmission cache's
            System.arraycopy(packet.buffer(), packet.offset(), scratch, 0, len);
            if (!view.wrap(scratch, 0, len) || !view.rewriteExtensionIds(extensionIds)) {
                return;
            }
            view.setPayloadType(pt);
            if (stamp) {
                view.setAbsSendTime(absSendTimeId, now);
            }
            subscriber.transport().sendRtp(scratch, 0, len);
        }
        meter.add(len, now);
        producer.counters.rtpSent();
    }

    /**
     * The target layer's keyframe is here: from this packet on, its numbers continue the stream. Sequence numbers
     * go on by one, the timestamp by the time that passed since the last packet out (at least one tick), the
     * picture id and TL0PICIDX by one (a new frame, and a keyframe is a new base-layer frame).
     */
    private void switchTo(IncomingStream from, RtpPacket p, long now) {
        if (started) {
            seqOffset = lastOutSeq + 1 - p.sequenceNumber();
            long ticks = Math.max(1, (now - lastOutNanos) * clockRate / 1_000_000_000L);
            tsOffset = lastOutTs + (int) ticks - p.timestamp();
            if (producer.codec == VideoCodec.VP8) {
                int pic = Vp8Payload.pictureId(p.buffer(), p.payloadOffset(), p.payloadLength());
                pictureIdOffset = pic >= 0 && lastOutPictureId >= 0 ? lastOutPictureId + 1 - pic : 0;
                int tl0 = Vp8Payload.tl0PicIdx(p.buffer(), p.payloadOffset(), p.payloadLength());
                tl0Offset = tl0 >= 0 && lastOutTl0 >= 0 ? lastOutTl0 + 1 - tl0 : 0;
            }
        }
        current = from;
        currentLayer = from.layer;
        sinceSwitch.start(p.sequenceNumber());
        sent.switched(from, seqOffset, tsOffset, pictureIdOffset, tl0Offset);
    }

    private void pause() {
        current = null;
        currentLayer = -1;
    }

    /** Puts a simulcast packet (in scratch, wrapped by {@code view}) into the forwarded stream's numbering. */
    private boolean rewrite(RtpPacket view, int pt, int seqOff, int tsOff, int picOff, int tl0Off) {
        if (!view.rewriteExtensionIds(extensionIds)) {
            return false;
        }
        view.setPayloadType(pt);
        view.setSsrc((int) sendTrack.ssrc());
        view.setSequenceNumber((view.sequenceNumber() + seqOff) & 0xFFFF);
        view.setTimestamp(view.timestamp() + tsOff);
        if (producer.codec == VideoCodec.VP8) {
            byte[] b = view.buffer();
            int off = view.payloadOffset();
            int len = view.payloadLength();
            int pic = Vp8Payload.pictureId(b, off, len);
            if (pic >= 0) {
                Vp8Payload.setPictureId(b, off, len, pic + picOff);
            }
            int tl0 = Vp8Payload.tl0PicIdx(b, off, len);
            if (tl0 >= 0) {
                Vp8Payload.setTl0PicIdx(b, off, len, tl0 + tl0Off);
            }
        }
        return true;
    }

    /**
     * Answers one NACKed sequence number (in the subscriber's numbering) from the cache of the stream it came
     * from, as RTX when the subscriber negotiated it. Returns false when the packet is no longer cached, or was
     * never sent to this subscriber (sent while it was muted for it, or another layer's).
     */
    boolean retransmit(int seq, byte[] scratch, RtpPacket view, long now) {
        if (!active) {
            return false;
        }
        int len;
        if (producer.simulcast()) {
            int s = sent.find(seq);
            IncomingStream from = s < 0 ? null : sent.from(s);
            if (from == null || from.cache == null) {
                return false;
            }
            len = from.cache.copyTo(sent.originalSeq(seq), now, scratch, 0);
            if (len <= 0 || !view.wrap(scratch, 0, len)) {
                return false;
            }
            int pt = payloadTypes[view.payloadType()];
            if (pt < 0 || !rewrite(view, pt, sent.seqOffset(s), sent.tsOffset(s), sent.pictureIdOffset(s), sent.tl0Offset(s))) {
                return false;
            }
        } else {
            IncomingStream from = producer.streams()[0];
            if (from.cache == null || !forwardedSinceActive(seq)) {
                return false;
            }
            len = from.cache.copyTo(seq, now, scratch, 0);
            if (len <= 0 || !view.wrap(scratch, 0, len)) {
                return false;
            }
            int pt = payloadTypes[view.payloadType()];
            if (pt < 0 || !view.rewriteExtensionIds(extensionIds)) {
                return false;
            }
            view.setPayloadType(pt);
        }
        int rtxPt = rtxPayloadTypes[view.payloadType()];
        if (rtxPt >= 0 && sendTrack.rtxSsrc() != 0) {
            view.setAbsSendTime(absSendTimeId, now); // a new RTX packet: its own sequence number, its own time
            rtx.setRtxPayloadType(rtxPt);
            len = rtx.toRtxInPlace(scratch, 0, len);
            if (len <= 0) {
                return false;
            }
        }
        subscriber.transport().sendRtp(scratch, 0, len);
        meter.add(len, now);
        producer.counters.rtpSent();
        lastRetransmitLength = len;
        return true;
    }

    /** Whether packets of this subscriber payload type get our abs-send-time: audio (never resent) or video resent as RTX. */
    private boolean stampable(int pt) {
        return absSendTimeId != 0 && (producer.kind == MediaKind.AUDIO || rtxPayloadTypes[pt] >= 0 && sendTrack.rtxSsrc() != 0);
    }

    /** The length of the packet the last successful {@link #retransmit} sent. */
    int lastRetransmitLength() {
        return lastRetransmitLength;
    }

    /** Whether {@code seq} was forwarded in this active period (not before it: muted, or never sent). */
    private boolean forwardedSinceActive(int seq) {
        return activeSince.covers(seq);
    }

    /**
     * Asks the publisher for a keyframe of what this subscriber should decode: the target layer (the switch to it
     * waits for one), else the layer it gets. Throttled per stream by its requester.
     */
    void requestKeyframe(long now) {
        int layer = !producer.simulcast() ? 0 : targetLayer >= 0 ? targetLayer : currentLayer;
        IncomingStream[] streams = producer.streams();
        if (layer >= 0 && layer < streams.length) {
            producer.publisher.requestKeyframe(streams[layer], now);
        }
    }

    /** The RTP timestamp offset of the layer being forwarded: a sender report of that layer is shifted by it. */
    int timestampOffset() {
        return tsOffset;
    }
}
