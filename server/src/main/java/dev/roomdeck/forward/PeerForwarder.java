package dev.roomdeck.forward;

import dev.roomdeck.media.DropReason;
import dev.roomdeck.media.IcePath;
import dev.roomdeck.media.PacketCounters;
import dev.roomdeck.media.PacketReceiver;
import dev.roomdeck.media.RemoteParameters;
import dev.roomdeck.media.PeerTransport;
import dev.roomdeck.media.TransportState;
import dev.roomdeck.room.MediaEvents;
import dev.roomdeck.room.PeerMedia;
import dev.roomdeck.room.VideoFlow;
import dev.roomdeck.rtp.AudioLevelMeter;
import dev.roomdeck.rtp.BitrateMeter;
import dev.roomdeck.rtp.Fir;
import dev.roomdeck.rtp.GenericNack;
import dev.roomdeck.rtp.ReceiveStats;
import dev.roomdeck.rtp.ReceiverReport;
import dev.roomdeck.rtp.Remb;
import dev.roomdeck.rtp.ReportBlock;
import dev.roomdeck.rtp.RtcpIterator;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.SenderReport;
import dev.roomdeck.rtp.TransportCcRecorder;
import dev.roomdeck.rtp.VideoCodec;
import dev.roomdeck.rtp.Vp8Payload;
import dev.roomdeck.sdp.LocalTransport;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SendTrack;
import dev.roomdeck.sdp.TransportDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One peer's media, the room's {@link dev.roomdeck.room.PeerMedia}: its transport, the tracks it publishes
 * ({@link Producer}s) and what it receives of others' ({@link Consumer}s), the RTCP between them, and the timer's
 * work for it (reports, keyframe and NACK retries, layer choice, liveness). The packet path runs one packet at a
 * time and touches only arrays published by copy-on-write: onRtp/onRtcp on the media worker (what it publishes),
 * the sends to it and {@link #onFeedback} (what it says as a subscriber) on its {@link FanOut} shard.
 */
final class PeerForwarder implements PeerMedia, PacketReceiver {
    private static final int MAX_PACKET = 1600;
    private static final long MISSING_MEDIA_GRACE_NANOS = 20_000_000_000L;
    static final long TRANSPORT_CC_INTERVAL_MILLIS = 50;
    private static final int TRANSPORT_CC_PACKETS = 2048;
    static final String TRANSPORT_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    private final ForwardingPlane router;
    private final RoomGraph room;
    final String peerId;
    private final PeerTransport transport;
    final MediaEvents events;
    /** This server's SSRC in RTCP it writes to this peer (receiver reports, REMB, PLI). */
    final int senderSsrc = ThreadLocalRandom.current().nextInt() | 1;
    private final long createdNanos = System.nanoTime();
    /** The fan-out shard that sends to this peer and handles its feedback ({@link FanOut}). */
    final int shard;

    private volatile Producer[] published = new Producer[0];
    private volatile Consumer[] receiving = new Consumer[0];
    private volatile List<SendTrack> sendTracks = List.of();
    private volatile boolean started;
    /** The transport reached READY once: from then on silence, not set-up, is what ends it. */
    private volatile boolean wasReady;
    private volatile boolean closed;
    private volatile boolean failed;

    // Owned by the receive path (the media worker, one packet at a time per transport).
    private final RtpPacket packet = new RtpPacket();
    private final RtcpIterator rtcp = new RtcpIterator();
    /** Sender reports passed on to subscribers are written here. */
    private final byte[] reportOut = new byte[MAX_PACKET];
    private final byte[] nackOut = new byte[256];
    private final byte[] feedbackOut = new byte[1200];
    // Owned by this peer's fan-out shard (its feedback as a subscriber).
    private final RtcpIterator feedback = new RtcpIterator();
    private final int[] lost = new int[256];
    /**
     * transport-cc feedback to this peer as a publisher, made when it first publishes with transport-cc (most
     * peers of a large room only watch): 2,048 packets between two feedbacks 50 ms apart is 40,000 packets a
     * second. The extension's id, 0 when not negotiated.
     */
    private volatile TransportCcRecorder transportCc;
    private volatile int transportCcExtensionId;
    private long lastTransportCcNanos;
    /** What this peer's link carries as a subscriber (its REMB), for the layer choice. */
    final LinkEstimate link = new LinkEstimate();
    /** Retransmissions to this peer in the last second (NACK answers; the packet path's). */
    private final BitrateMeter retransmitted = new BitrateMeter();
    /** NACK answers always get at least this rate, however low the link's budget. */
    private static final long MIN_RETRANSMIT_BPS = 100_000;

    // Owned by the timer thread.
    private final byte[] report = new byte[1200];

    final BitrateMeter in = new BitrateMeter();
    /** This peer's forwarding stage (its tracks count into it); a child of the media plane's. */
    final PacketCounters counters;
    final LongAdder nacksAnswered = new LongAdder();
    final LongAdder nacksMissed = new LongAdder();
    final LongAdder keyframeRequests = new LongAdder();
    private volatile double lossFraction;
    private volatile double rttMillis = -1;

    PeerForwarder(ForwardingPlane router, RoomGraph room, String peerId, PeerTransport transport, MediaEvents events) {
        this.router = router;
        this.counters = new PacketCounters(router.forwarding);
        this.room = room;
        this.peerId = peerId;
        this.transport = transport;
        this.events = events;
        this.shard = router.fanOut().assign();
        transport.addStateListener(this::stateChanged);
    }

    PeerTransport transport() {
        return transport;
    }

    Producer[] published() {
        return published;
    }

    Consumer[] receiving() {
        return receiving;
    }

    List<SendTrack> sendTracks() {
        return sendTracks;
    }

    void receiving(Consumer[] subs) {
        receiving = subs;
    }

    @Override
    public LocalTransport localTransport() {
        return new LocalTransport(transport.localUfrag(), transport.localPwd(),
                router.certificate().fingerprintAlgorithm(), router.certificate().fingerprint(),
                transport.localCandidates());
    }

    @Override
    public void update(TransportDescription remote, List<PublishedTrack> publishedTracks, List<SendTrack> receive) {
        if (closed) {
            return;
        }
        if (!started && remote != null && remote.iceUfrag() != null) {
            started = true;
            // Our answers say passive: a client that offered actpass becomes the DTLS client, so we are server.
            String setup = remote.setup() == null || "actpass".equalsIgnoreCase(remote.setup()) ? "active" : remote.setup();
            transport.start(new RemoteParameters(remote.iceUfrag(), remote.icePwd(), remote.fingerprintAlgorithm(),
                    remote.fingerprint(), setup, List.of()), this);
        }
        List<Producer> next = new ArrayList<>();
        for (PublishedTrack t : publishedTracks) {
            Producer kept = null;
            for (Producer old : published) {
                if (old.sameAs(t)) {
                    kept = old;
                }
            }
            next.add(kept != null ? kept : new Producer(this, t, senderSsrc));
        }
        published = next.toArray(new Producer[0]);
        int twcc = 0;
        for (PublishedTrack t : publishedTracks) {
            twcc = Math.max(twcc, t.extensions().getOrDefault(TRANSPORT_CC_URI, 0));
            if (twcc != 0) {
                if (transportCc == null) {
                    transportCc = new TransportCcRecorder(senderSsrc, (int) t.ssrc(), TRANSPORT_CC_PACKETS);
                } else {
                    transportCc.setSsrcs(senderSsrc, (int) t.ssrc());
                }
                break;
            }
        }
        transportCcExtensionId = twcc;
        sendTracks = List.copyOf(receive);
        room.rebuild();
    }

    @Override
    public VideoFlow videoFlow(String publisherId, String streamId) {
        if (transport.state() != TransportState.READY) {
            return VideoFlow.RECEIVER_NOT_CONNECTED;
        }
        Producer track = room.publishedVideo(publisherId, streamId);
        long now = System.nanoTime();
        // The meter covers the last second: a publisher that sent nothing in it is not sending now.
        if (track == null || track.publisher.transport.state() != TransportState.READY
                || track.bitsPerSecond(now) == 0) {
            return VideoFlow.PUBLISHER_SILENT;
        }
        for (Consumer s : receiving) {
            if (s.producer == track) {
                return s.active && s.meter.bitsPerSecond(now) > 0 ? VideoFlow.FORWARDING : VideoFlow.NOT_FORWARDED;
            }
        }
        return VideoFlow.NOT_FORWARDED;
    }

    @Override
    public void requestKeyframe(String publisherId, String streamId) {
        for (Consumer c : receiving) {
            if (c.producer.kind == MediaKind.VIDEO && c.producer.publisher.peerId.equals(publisherId)
                    && c.producer.streamId.equals(streamId)) {
                c.requestKeyframe(System.nanoTime());
                return;
            }
        }
        Producer track = room.publishedVideo(publisherId, streamId);
        if (track != null) {
            track.publisher.requestKeyframe(track.streams()[track.layerCount() - 1], System.nanoTime());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        published = new Producer[0];
        sendTracks = List.of();
        room.remove(this);
        transport.close();
        router.fanOut().release(shard);
    }

    boolean isClosed() {
        return closed;
    }

    // ---- packet path: publisher side ----

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        if (!packet.wrap(buf, off, len)) {
            counters.drop(DropReason.RTP_MALFORMED);
            return;
        }
        long now = System.nanoTime();
        in.add(len, now);
        feedTransportCc(now);
        int ssrc = packet.ssrc();
        IncomingStream stream = null;
        boolean rtx = false;
        Producer[] tracks = published;
        for (Producer t : tracks) {
            stream = t.byMediaSsrc(ssrc);
            if (stream != null) {
                break;
            }
            stream = t.byRtxSsrc(ssrc);
            if (stream != null) {
                rtx = true;
                break;
            }
        }
        if (stream == null) {
            for (Producer t : tracks) {
                if (t.simulcast() && (stream = t.learn(packet, now)) != null) {
                    rtx = stream.ssrc != ssrc;
                    break;
                }
            }
            if (stream == null) {
                counters.drop(DropReason.UNKNOWN_SSRC);
                learnFromMid(packet, now);
                return;
            }
        }
        Producer track = stream.producer;
        stream.meter.add(len, now);
        if (!rtx) {
            stream.lastMediaNanos = now;
        }
        // RTX: a repair for our NACK is restored to the original packet and forwarded like it; a padding-only
        // probe, or a second copy of a packet already forwarded, goes no further (counted by reason).
        DropReason notUsed = stream.admit(packet, rtx);
        if (notUsed != null) {
            track.counters.drop(notUsed);
            return;
        }
        track.counters.rtpReceived();
        stream.stats.packetReceived(packet, now);
        if (track.level != null) {
            int minusDbov = AudioLevelMeter.read(packet, track.audioLevelExtensionId);
            if (minusDbov >= 0) {
                track.level.add(minusDbov, now);
            }
        }
        if (stream.nacks != null) {
            if (stream.nacks.packetReceived(packet.sequenceNumber(), now)) {
                requestKeyframe(stream, now); // a gap too big to repair: start over from a keyframe
            }
            int n = stream.nacks.poll(now, nackOut, 0, nackOut.length);
            if (n > 0) {
                transport.sendRtcp(nackOut, 0, n);
            }
        }
        if (packet.payloadLength() == 0) {
            track.counters.drop(DropReason.RTP_PADDING); // a bandwidth probe: received above, nothing to forward
            return;
        }
        if (stream.cache != null) {
            stream.cache.store(packet, now);
        }
        boolean keyframe = track.kind == MediaKind.VIDEO
                && track.codec.isKeyframe(buf, packet.payloadOffset(), packet.payloadLength());
        if (keyframe) {
            keyframeArrived(stream, now);
        }
        router.fanOut().forward(stream, packet, keyframe, now);
    }

    /** A keyframe begins on {@code stream}: requests for one are answered, and VP8 says the layer's size. */
    private void keyframeArrived(IncomingStream stream, long now) {
        stream.keyframes.keyframeReceived(now);
        if (stream.producer.codec == VideoCodec.VP8) {
            int w = Vp8Payload.width(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
            int h = Vp8Payload.height(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
            if (w > 0 && h > 0) {
                stream.width = w;
                stream.height = h;
            }
        }
    }

    /**
     * transport-cc: notes the packet's transport-wide sequence number and arrival time, and at most every
     * {@value #TRANSPORT_CC_INTERVAL_MILLIS} ms sends the feedback that Chrome's send-side estimator runs on.
     */
    private void feedTransportCc(long now) {
        int id = transportCcExtensionId;
        TransportCcRecorder recorder = transportCc;
        if (id == 0 || recorder == null || !recorder.record(packet, id, transport.arrivalNanos())) {
            return;
        }
        if (now - lastTransportCcNanos >= TRANSPORT_CC_INTERVAL_MILLIS * 1_000_000L) {
            lastTransportCcNanos = now;
            int n;
            while ((n = recorder.buildFeedback(feedbackOut, 0, feedbackOut.length)) > 0) {
                transport.sendRtcp(feedbackOut, 0, n);
            }
        }
    }

    /**
     * RTCP from this peer. Its sender reports (as a publisher) are handled here on the receive path; the rest is
     * its feedback as a subscriber, which goes to its fan-out shard ({@link #onFeedback}), the thread that sends it
     * media.
     */
    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        long now = System.nanoTime();
        in.add(len, now);
        counters.rtcpReceived();
        boolean subscriberSide = false;
        rtcp.reset(buf, off, len);
        while (rtcp.next()) {
            if (rtcp.isSenderReport()) {
                senderReport(buf, rtcp.offset(), rtcp.contentLength(), now);
            } else {
                subscriberSide |= rtcp.isPli() || rtcp.isFir() || rtcp.isNack() || rtcp.isReceiverReport() || rtcp.isRemb();
            }
        }
        if (rtcp.malformed()) {
            counters.drop(DropReason.RTCP_MALFORMED);
        }
        if (subscriberSide) {
            router.fanOut().feedback(this, buf, off, len, now);
        }
    }

    /**
     * This peer's feedback about what it receives (on its fan-out shard): keyframe requests, NACKs, receiver
     * reports, REMB. {@code scratch} and {@code view} are the shard's. Sender reports were handled in {@link #onRtcp}.
     */
    void onFeedback(byte[] buf, int off, int len, byte[] scratch, RtpPacket view, long now) {
        feedback.reset(buf, off, len);
        while (feedback.next()) {
            int at = feedback.offset();
            int plen = feedback.contentLength();
            if (feedback.isPli()) {
                requestKeyframe(dev.roomdeck.rtp.Rtcp.mediaSsrc(buf, at), now);
            } else if (feedback.isFir()) {
                for (int i = 0; i < Fir.entryCount(plen); i++) {
                    requestKeyframe(Fir.entrySsrc(buf, at, i), now);
                }
            } else if (feedback.isNack()) {
                nack(buf, at, plen, scratch, view, now);
            } else if (feedback.isReceiverReport()) {
                receiverReport(buf, at, plen);
            } else if (feedback.isRemb() && Remb.isValid(buf, at, plen)) {
                link.remb(Remb.bitrate(buf, at), now); // this subscriber's estimate of what reaches it
            }
        }
    }

    /** A publisher's sender report: note it for our receiver reports, pass it on for lip sync. */
    private void senderReport(byte[] buf, int at, int plen, long now) {
        if (!SenderReport.isValid(buf, at, plen)) {
            return;
        }
        int ssrc = SenderReport.ssrc(buf, at);
        for (Producer t : published) {
            IncomingStream stream = t.byMediaSsrc(ssrc);
            if (stream == null) {
                continue;
            }
            int middle = SenderReport.ntpMiddle32(buf, at);
            stream.stats.senderReportReceived(middle, now);
            int rtpTime = SenderReport.rtpTimestamp(buf, at);
            for (Consumer s : t.consumers) {
                // A simulcast subscriber hears of the layer it gets, in that layer's forwarded timeline.
                if (s.active && (!t.simulcast() || s.currentLayer == stream.layer)) {
                    int n = SenderReport.writeForwarded(buf, at, (int) s.sendTrack.ssrc(), reportOut, 0);
                    if (t.simulcast()) {
                        SenderReport.setRtpTimestamp(reportOut, 0, rtpTime + s.timestampOffset());
                    }
                    s.subscriber.transport().sendRtcp(reportOut, 0, n);
                    s.lastSrMiddle = middle;
                    s.lastSrSentNanos = now;
                }
            }
        }
        int blocks = SenderReport.reportCount(buf, at);
        for (int i = 0; i < blocks; i++) {
            int block = SenderReport.reportBlockOffset(at, i);
            if (block + ReportBlock.LENGTH <= at + plen) {
                noteLoss(buf, block);
            }
        }
    }

    private void receiverReport(byte[] buf, int at, int plen) {
        if (!ReceiverReport.isValid(buf, at, plen)) {
            return;
        }
        int blocks = ReceiverReport.reportCount(buf, at);
        int worst = -1;
        for (int i = 0; i < blocks; i++) {
            int block = ReceiverReport.reportBlockOffset(at, i);
            if (block + ReportBlock.LENGTH <= at + plen) {
                noteLoss(buf, block);
                noteRtt(buf, block, System.nanoTime());
                worst = Math.max(worst, ReportBlock.fractionLost(buf, block));
            }
        }
        if (worst >= 0) {
            link.loss(worst / 256.0, System.nanoTime()); // loss of what we send it: a sign of a full link
        }
    }

    /**
     * Round trip to this subscriber: its report names the last sender report we passed on (LSR) and how long it
     * held it (DLSR, 1/65536 s); what remains of the time since we sent that SR is the network's round trip.
     */
    private void noteRtt(byte[] buf, int block, long now) {
        int ssrc = ReportBlock.ssrc(buf, block);
        long lsr = ReportBlock.lastSr(buf, block);
        if (lsr == 0) {
            return;
        }
        for (Consumer s : receiving) {
            if ((int) s.sendTrack.ssrc() == ssrc && (s.lastSrMiddle & 0xFFFFFFFFL) == lsr && s.lastSrSentNanos != 0) {
                long dlsrNanos = ReportBlock.delaySinceLastSr(buf, block) * 1_000_000_000L / 65536;
                long rtt = now - s.lastSrSentNanos - dlsrNanos;
                if (rtt >= 0) {
                    rttMillis = rtt / 1e6;
                }
                return;
            }
        }
    }

    /** Loss this peer reports about what we send it: the operator's loss column, and a sign of a full link. */
    private void noteLoss(byte[] buf, int block) {
        lossFraction = ReportBlock.fractionLost(buf, block) / 256.0;
    }

    /** RFC 8843's MID header extension: names the m-section a packet belongs to. */
    static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** One learning report per m-section at most this often: a client cannot make the room renegotiate in a loop. */
    private static final long LEARN_INTERVAL_NANOS = 2_000_000_000L;
    /** A declared SSRC without a packet for this long is taken as abandoned. */
    private static final long DECLARED_SILENCE_NANOS = 1_000_000_000L;
    /** m-section mid → when an SSRC was last reported for it (receive path only). */
    private final java.util.Map<String, Long> learnedAt = new java.util.HashMap<>();

    /**
     * An authentic packet on an SSRC no SDP of this peer declared: if its MID extension names one of the peer's
     * sending sections whose declared SSRC is silent, and its payload type is that section's media or RTX one, the
     * room hears of it (on the timer thread) and may take it as the track's SSRC. Rare: no allocation until then.
     */
    private void learnFromMid(RtpPacket p, long now) {
        Producer[] tracks = published;
        int midId = 0;
        for (Producer t : tracks) {
            Integer id = t.description.extensions().get(MID_URI);
            if (id != null) {
                midId = id;
                break;
            }
        }
        int at = midId == 0 ? -1 : p.findExtension(midId);
        if (at < 0) {
            return;
        }
        int n = p.foundExtensionLength();
        for (Producer t : tracks) {
            String mid = t.description.mid();
            if (mid == null || t.simulcast() || !sameAscii(p.buffer(), at, n, mid)) {
                continue;
            }
            boolean rtx = false;
            boolean media = false;
            for (var c : t.description.codecs()) {
                media |= c.payloadType() == p.payloadType();
                rtx |= c.rtxPayloadType() == p.payloadType();
            }
            // A declared stream that is alive keeps its SSRC: this one is a stray, not the track's.
            IncomingStream declared = t.streams()[0];
            boolean declaredAlive = declared.lastMediaNanos != 0 && now - declared.lastMediaNanos < DECLARED_SILENCE_NANOS;
            boolean learnable = media ? !declaredAlive : rtx && (declared.rtxSsrc == 0 || !declaredAlive);
            Long last = learnedAt.get(mid);
            if (!learnable || (last != null && now - last < LEARN_INTERVAL_NANOS)) {
                return;
            }
            learnedAt.put(mid, now);
            long ssrc = p.ssrc() & 0xFFFFFFFFL;
            boolean isRtx = !media;
            router.timer().execute(() -> events.ssrcLearned(this, mid, ssrc, isRtx));
            return;
        }
    }

    static boolean sameAscii(byte[] buf, int at, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- packet path: subscriber side (feedback about what we send it) ----

    private void requestKeyframe(int mediaSsrc, long now) {
        for (Consumer s : receiving) {
            if ((int) s.sendTrack.ssrc() == mediaSsrc) {
                s.requestKeyframe(now);
                return;
            }
        }
    }

    /** Asks this publisher for a keyframe of one of its streams (throttled by the stream's requester). */
    void requestKeyframe(IncomingStream track, long now) {
        if (track == null || track.keyframes == null) {
            return;
        }
        byte[] out = new byte[32]; // rare: keyframe requests are throttled to a few a second
        int n = track.keyframes.request(now, out, 0);
        if (n > 0) {
            keyframeRequests.increment();
            transport.sendRtcp(out, 0, n);
        }
    }

    private void nack(byte[] buf, int at, int plen, byte[] scratch, RtpPacket view, long now) {
        if (!GenericNack.isValid(buf, at, plen)) {
            return;
        }
        int mediaSsrc = dev.roomdeck.rtp.Rtcp.mediaSsrc(buf, at);
        Consumer sub = null;
        for (Consumer s : receiving) {
            if ((int) s.sendTrack.ssrc() == mediaSsrc) {
                sub = s;
                break;
            }
        }
        if (sub == null) {
            return;
        }
        int n = GenericNack.lostSequenceNumbers(buf, at, plen, lost);
        long rtxLimit = Math.max(MIN_RETRANSMIT_BPS, link.lastBudget() / 4);
        for (int i = 0; i < n; i++) {
            // Repairs for a link that loses because it is full make it fuller: they get a quarter of its budget.
            if (retransmitted.bitsPerSecond(now) <= rtxLimit && sub.retransmit(lost[i], scratch, view, now)) {
                retransmitted.add(sub.lastRetransmitLength(), now);
                nacksAnswered.increment();
            } else {
                nacksMissed.increment();
            }
        }
    }

    // ---- timer: RTCP to the publisher, keyframe polls, liveness ----

    void tick(long now) {
        if (closed) {
            return;
        }
        Producer[] tracks = published;
        if (tracks.length > 0 && transport.state() == TransportState.READY) {
            List<ReceiveStats> stats = new ArrayList<>();
            List<Integer> videoSsrcs = new ArrayList<>();
            long cap = 0;
            for (Producer t : tracks) {
                for (IncomingStream s : t.streams()) {
                    if (s == null) {
                        continue;
                    }
                    if (s.stats.hasPackets()) {
                        stats.add(s.stats);
                    }
                    if (t.kind == MediaKind.VIDEO) {
                        videoSsrcs.add(s.ssrc);
                    }
                    if (s.nacks != null) {
                        int n = s.nacks.poll(now, report, 0, report.length);
                        if (n > 0) {
                            transport.sendRtcp(report, 0, n); // retries while the publisher sends nothing new
                        }
                    }
                    if (s.keyframes != null) {
                        int n = s.keyframes.poll(now, report, 0);
                        if (n > 0) {
                            keyframeRequests.increment();
                            transport.sendRtcp(report, 0, n);
                        }
                    }
                }
                if (t.kind == MediaKind.VIDEO) {
                    // A simulcast sender shares the cap among its layers itself (maxBitrate per encoding); its
                    // estimate needs headroom above their sum, or the top layer, enabled only once the estimate
                    // covers the lower layers plus its own minimum, may never start.
                    long c = room.videoCapBps(this, t.streamId);
                    cap += t.simulcast() ? c + c / 4 : c;
                }
            }
            int len = ReceiverReport.write(report, 0, senderSsrc, stats.toArray(new ReceiveStats[0]),
                    Math.min(stats.size(), 31), now);
            if (!videoSsrcs.isEmpty() && cap > 0) {
                int[] ssrcs = videoSsrcs.stream().mapToInt(Integer::intValue).limit(64).toArray();
                len += Remb.write(report, len, senderSsrc, cap, ssrcs, ssrcs.length);
            }
            transport.sendRtcp(report, 0, len);
        }
        chooseLayers(now, true);
        checkLiveness(now);
    }

    /**
     * Picks the layer of every simulcast track this peer receives: each by its tile's size, then within what its
     * link carries after audio and single-encoding video, screen shares first, then the speaker, then the rest. A target that changes asks
     * the publisher for a keyframe of the new layer (the switch waits for it). {@code tick}: the timer's call,
     * which also moves the link's budget on; a room change re-chooses within the current budget.
     */
    void chooseLayers(long now, boolean tick) {
        Consumer[] mine = receiving;
        if (mine.length == 0) {
            return;
        }
        long sending = 0;
        for (Consumer c : mine) {
            sending += c.meter.bitsPerSecond(now);
        }
        long budget = tick ? link.budget(sending, now) : link.lastBudget();
        // What cannot be made smaller goes first: audio, and video sent in one encoding.
        List<Consumer> layered = new ArrayList<>();
        for (Consumer c : mine) {
            if (!c.active) {
                continue;
            }
            if (c.producer.simulcast()) {
                layered.add(c);
            } else {
                budget -= c.producer.bitsPerSecond(now);
            }
        }
        Producer speaker = room.speakerVideo();
        layered.sort((a, b) -> Integer.compare(rank(a, speaker), rank(b, speaker)));
        boolean steppedUp = false;
        for (Consumer c : layered) {
            Producer p = c.producer;
            IncomingStream[] streams = p.streams();
            int bySize = LayerChoice.forSize(streams, c.wish, now);
            int layer = bySize < 0 ? -1 : LayerChoice.forBudget(streams, bySize, c.currentLayer, Math.max(0, budget), now);
            if (layer >= 0 && streams[layer] != null) {
                budget -= streams[layer].averageBitsPerSecond(now);
            }
            c.reason = layer < 0 ? LayerChoice.Reason.PAUSED : layer < bySize ? LayerChoice.Reason.BANDWIDTH
                    : c.wish == null ? LayerChoice.Reason.BEST : LayerChoice.Reason.SIZE;
            int before = c.targetLayer;
            if (layer != before) {
                c.targetLayer = layer;
                steppedUp |= tick && layer > before && before >= 0;
            }
            if (layer >= 0 && c.currentLayer != layer) {
                c.requestKeyframe(now); // throttled per stream: asking again while waiting costs nothing
            }
        }
        if (steppedUp) {
            link.steppedUp(now);
        } else if (tick) {
            link.settled(now);
        }
    }

    /** Allocation order: screen shares, then the speaker's camera, then the rest. */
    private static int rank(Consumer c, Producer speaker) {
        if (c.producer.screen) {
            return 0;
        }
        return speaker != null && c.producer.publisher == speaker.publisher && c.producer.streamId.equals(speaker.streamId) ? 1 : 2;
    }

    /**
     * The one place that decides a peer's media is dead (the transport only reports its state and when it last
     * heard from the peer): silent for the configured consent timeout after media was up → "timeout"; media never
     * up within the consent timeout plus a grace period → "media-failed".
     */
    private void checkLiveness(long now) {
        if (failed || !started) {
            return;
        }
        TransportState state = transport.state();
        if (wasReady) {
            long silentFor = now - Math.max(transport.lastReceivedNanos(), createdNanos);
            if (silentFor > router.consentTimeoutNanos()) {
                fail("timeout", "no media or connectivity checks from you for "
                        + router.consentTimeoutNanos() / 1_000_000_000L + " s");
            }
        } else if (now - createdNanos > router.consentTimeoutNanos() + MISSING_MEDIA_GRACE_NANOS) {
            fail("media-failed", "the media connection never came up (ICE/DTLS state " + state + ")");
        }
    }

    private void stateChanged(TransportState state) {
        if (state == TransportState.READY) {
            wasReady = true;
            // Keyframe requests made before this subscriber could receive were lost: ask again now.
            long now = System.nanoTime();
            for (Consumer s : receiving) {
                if (s.active) {
                    s.requestKeyframe(now);
                }
            }
        } else if (state == TransportState.FAILED) {
            fail("media-failed", "the media connection failed (ICE, DTLS or certificate fingerprint check)");
        }
    }

    private void fail(String reason, String message) {
        if (failed || closed) {
            return;
        }
        failed = true;
        router.timer().execute(() -> events.failed(this, reason, message));
    }

    PeerStats figures(long now) {
        List<TrackStats> tracks = new ArrayList<>();
        for (Producer t : published) {
            long packets = 0;
            long lostPackets = 0;
            double jitter = 0;
            int layers = 0;
            for (IncomingStream s : t.streams()) {
                if (s != null) {
                    packets += s.stats.packetsReceived();
                    lostPackets += Math.max(0, s.stats.cumulativeLost());
                    jitter = Math.max(jitter, s.stats.jitter());
                    layers += s.isActive(now) ? 1 : 0;
                }
            }
            int clock = t.description.codecs().isEmpty() ? 90000 : t.description.codecs().get(0).clockRate();
            tracks.add(new TrackStats(t.description.trackId(), t.ssrc, t.bitsPerSecond(now), packets, lostPackets,
                    jitter * 1000.0 / Math.max(1, clock), layers));
        }
        long out = 0;
        List<PeerStats.ReceivedVideo> video = new ArrayList<>();
        for (Consumer c : receiving) {
            long bps = c.meter.bitsPerSecond(now);
            out += bps;
            Producer p = c.producer;
            if (p.kind != MediaKind.VIDEO) {
                continue;
            }
            IncomingStream[] streams = p.streams();
            int layer = p.simulcast() ? (c.active ? c.currentLayer : -1) : (c.active ? 0 : -1);
            int target = p.simulcast() ? (c.active ? c.targetLayer : -1) : layer;
            int shown = layer >= 0 ? layer : Math.max(0, target);
            video.add(new PeerStats.ReceivedVideo(p.publisher.peerId, p.streamId, layer, target, p.layerCount(),
                    LayerChoice.width(streams, shown), LayerChoice.height(streams, shown),
                    !c.active ? LayerChoice.Reason.PAUSED.label : p.simulcast() ? c.reason.label : "single", bps));
        }
        return new PeerStats(transport.state().name().toLowerCase(), String.valueOf(transport.selectedRemote()),
                in.bitsPerSecond(now), out, lossFraction * 100, rttMillis, tracks,
                counters.dropped(DropReason.UNKNOWN_SSRC),
                counters.dropped(DropReason.RTP_MALFORMED) + counters.dropped(DropReason.RTCP_MALFORMED),
                nacksAnswered.sum(), nacksMissed.sum(), keyframeRequests.sum(),
                0, false, transport.state() == TransportState.NEW ? IcePath.NOT_STARTED : transport.path(),
                link.estimateBps(now), video);
    }
}
