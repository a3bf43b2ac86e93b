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
 * One peer's media, the room's {@link dev.roomdeck.room.PeerMedia}: its transport, the tracks it publishes and the
 * subscriptions it receives. The packet path
 * (onRtp/onRtcp) runs on the transport's receive path, one packet at a time, and touches only arrays published
 * by copy-on-write.
 */
final class PeerForwarder implements PeerMedia, PacketReceiver {
    private static final int MAX_PACKET = 1600;
    private static final long MISSING_MEDIA_GRACE_NANOS = 20_000_000_000L;
    /** Drop reason of a padding-only packet on a media SSRC (Chrome probes this way where RTX is not negotiated). */

    private final ForwardingPlane router;
    private final RoomGraph room;
    final String peerId;
    private final PeerTransport transport;
    final MediaEvents events;
    /** This server's SSRC in RTCP it writes to this peer (receiver reports, REMB, PLI). */
    final int senderSsrc = ThreadLocalRandom.current().nextInt() | 1;
    private final long createdNanos = System.nanoTime();

    private volatile IncomingTrack[] published = new IncomingTrack[0];
    private volatile Subscription[] receiving = new Subscription[0];
    private volatile List<SendTrack> sendTracks = List.of();
    private volatile boolean started;
    /** The transport reached READY once: from then on silence, not set-up, is what ends it. */
    private volatile boolean wasReady;
    private volatile boolean closed;
    private volatile boolean failed;

    // Owned by the receive path (one packet at a time per transport).
    private final RtpPacket packet = new RtpPacket();
    private final RtpPacket scratchView = new RtpPacket();
    private final byte[] scratch = new byte[MAX_PACKET];
    private final RtcpIterator rtcp = new RtcpIterator();
    private final int[] lost = new int[256];
    private final byte[] nackOut = new byte[256];

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
        transport.addStateListener(this::stateChanged);
    }

    PeerTransport transport() {
        return transport;
    }

    IncomingTrack[] published() {
        return published;
    }

    Subscription[] receiving() {
        return receiving;
    }

    List<SendTrack> sendTracks() {
        return sendTracks;
    }

    void receiving(Subscription[] subs) {
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
        List<IncomingTrack> next = new ArrayList<>();
        for (PublishedTrack t : publishedTracks) {
            IncomingTrack kept = null;
            for (IncomingTrack old : published) {
                if (old.sameAs(t)) {
                    kept = old;
                }
            }
            next.add(kept != null ? kept : new IncomingTrack(this, t, senderSsrc));
        }
        published = next.toArray(new IncomingTrack[0]);
        sendTracks = List.copyOf(receive);
        room.rebuild();
    }

    @Override
    public VideoFlow videoFlow(String publisherId, String streamId) {
        if (transport.state() != TransportState.READY) {
            return VideoFlow.RECEIVER_NOT_CONNECTED;
        }
        IncomingTrack track = room.publishedVideo(publisherId, streamId);
        long now = System.nanoTime();
        // The meter covers the last second: a publisher that sent nothing in it is not sending now.
        if (track == null || track.publisher.transport.state() != TransportState.READY
                || track.meter.bitsPerSecond(now) == 0) {
            return VideoFlow.PUBLISHER_SILENT;
        }
        for (Subscription s : receiving) {
            if (s.track == track) {
                return s.active && s.meter.bitsPerSecond(now) > 0 ? VideoFlow.FORWARDING : VideoFlow.NOT_FORWARDED;
            }
        }
        return VideoFlow.NOT_FORWARDED;
    }

    @Override
    public void requestKeyframe(String publisherId, String streamId) {
        IncomingTrack track = room.publishedVideo(publisherId, streamId);
        if (track != null) {
            track.publisher.requestKeyframe(track, System.nanoTime());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        published = new IncomingTrack[0];
        sendTracks = List.of();
        room.remove(this);
        transport.close();
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
        int ssrc = packet.ssrc();
        IncomingTrack track = null;
        boolean rtx = false;
        for (IncomingTrack t : published) {
            if (t.ssrc == ssrc) {
                track = t;
                break;
            }
            if (t.rtxSsrc == ssrc && t.rtxSsrc != 0) {
                track = t;
                rtx = true;
                break;
            }
        }
        if (track == null) {
            counters.drop(DropReason.UNKNOWN_SSRC);
            learnFromMid(packet, now);
            return;
        }
        track.meter.add(len, now);
        if (!rtx) {
            track.lastMediaNanos = now;
        }
        // RTX: a repair for our NACK is restored to the original packet and forwarded like it; a padding-only
        // probe, or a second copy of a packet already forwarded, goes no further (counted by reason).
        DropReason notUsed = track.admit(packet, rtx);
        if (notUsed != null) {
            track.counters.drop(notUsed);
            return;
        }
        track.counters.rtpReceived();
        track.stats.packetReceived(packet, now);
        if (track.level != null) {
            int minusDbov = dev.roomdeck.rtp.AudioLevelMeter.read(packet, track.audioLevelExtensionId);
            if (minusDbov >= 0) {
                track.level.add(minusDbov, now);
            }
        }
        if (track.nacks != null) {
            if (track.nacks.packetReceived(packet.sequenceNumber(), now)) {
                requestKeyframe(track, now); // a gap too big to repair: start over from a keyframe
            }
            int n = track.nacks.poll(now, nackOut, 0, nackOut.length);
            if (n > 0) {
                transport.sendRtcp(nackOut, 0, n);
            }
        }
        if (packet.payloadLength() == 0) {
            track.counters.drop(DropReason.RTP_PADDING); // a bandwidth probe: received above, nothing to forward
            return;
        }
        if (track.cache != null) {
            track.cache.store(packet, now);
        }
        for (Subscription s : track.subscriptions) {
            s.forward(packet, scratch, scratchView, now);
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        long now = System.nanoTime();
        in.add(len, now);
        rtcp.reset(buf, off, len);
        while (rtcp.next()) {
            int at = rtcp.offset();
            int plen = rtcp.contentLength();
            if (rtcp.isSenderReport()) {
                senderReport(buf, at, plen, now);
            } else if (rtcp.isPli()) {
                requestKeyframe(dev.roomdeck.rtp.Rtcp.mediaSsrc(buf, at), now);
            } else if (rtcp.isFir()) {
                for (int i = 0; i < Fir.entryCount(plen); i++) {
                    requestKeyframe(Fir.entrySsrc(buf, at, i), now);
                }
            } else if (rtcp.isNack()) {
                nack(buf, at, plen, now);
            } else if (rtcp.isReceiverReport()) {
                receiverReport(buf, at, plen);
            }
        }
        counters.rtcpReceived();
        if (rtcp.malformed()) {
            counters.drop(DropReason.RTCP_MALFORMED);
        }
    }

    /** A publisher's sender report: note it for our receiver reports, pass it on for lip sync. */
    private void senderReport(byte[] buf, int at, int plen, long now) {
        if (!SenderReport.isValid(buf, at, plen)) {
            return;
        }
        int ssrc = SenderReport.ssrc(buf, at);
        for (IncomingTrack t : published) {
            if (t.ssrc == ssrc) {
                t.stats.senderReportReceived(SenderReport.ntpMiddle32(buf, at), now);
                int n = SenderReport.writeForwarded(buf, at, ssrc, scratch, 0);
                int middle = SenderReport.ntpMiddle32(buf, at);
                for (Subscription s : t.subscriptions) {
                    if (s.active) {
                        s.subscriber.transport().sendRtcp(scratch, 0, n);
                        s.lastSrMiddle = middle;
                        s.lastSrSentNanos = now;
                    }
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
        for (int i = 0; i < blocks; i++) {
            int block = ReceiverReport.reportBlockOffset(at, i);
            if (block + ReportBlock.LENGTH <= at + plen) {
                noteLoss(buf, block);
                noteRtt(buf, block, System.nanoTime());
            }
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
        for (Subscription s : receiving) {
            if (s.track.ssrc == ssrc && (s.lastSrMiddle & 0xFFFFFFFFL) == lsr && s.lastSrSentNanos != 0) {
                long dlsrNanos = ReportBlock.delaySinceLastSr(buf, block) * 1_000_000_000L / 65536;
                long rtt = now - s.lastSrSentNanos - dlsrNanos;
                if (rtt >= 0) {
                    rttMillis = rtt / 1e6;
                }
                return;
            }
        }
    }

    /** Loss this peer reports about what we send it: the operator's loss column. */
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
        IncomingTrack[] tracks = published;
        int midId = 0;
        for (IncomingTrack t : tracks) {
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
        for (IncomingTrack t : tracks) {
            String mid = t.description.mid();
            if (mid == null || !sameAscii(p.buffer(), at, n, mid)) {
                continue;
            }
            boolean rtx = false;
            boolean media = false;
            for (var c : t.description.codecs()) {
                media |= c.payloadType() == p.payloadType();
                rtx |= c.rtxPayloadType() == p.payloadType();
            }
            // A declared stream that is alive keeps its SSRC: this one is a stray, not the track's.
            boolean declaredAlive = t.lastMediaNanos != 0 && now - t.lastMediaNanos < DECLARED_SILENCE_NANOS;
            boolean learnable = media ? !declaredAlive : rtx && (t.rtxSsrc == 0 || !declaredAlive);
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

    private static boolean sameAscii(byte[] buf, int at, int len, String s) {
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
        for (Subscription s : receiving) {
            if (s.track.ssrc == mediaSsrc) {
                s.track.publisher.requestKeyframe(s.track, now);
                return;
            }
        }
    }

    /** Asks this publisher for a keyframe of one of its tracks (throttled by the track's requester). */
    void requestKeyframe(IncomingTrack track, long now) {
        if (track.keyframes == null) {
            return;
        }
        byte[] out = new byte[32]; // rare: keyframe requests are throttled to a few a second
        int n = track.keyframes.request(now, out, 0);
        if (n > 0) {
            keyframeRequests.increment();
            transport.sendRtcp(out, 0, n);
        }
    }

    private void nack(byte[] buf, int at, int plen, long now) {
        if (!GenericNack.isValid(buf, at, plen)) {
            return;
        }
        int mediaSsrc = dev.roomdeck.rtp.Rtcp.mediaSsrc(buf, at);
        Subscription sub = null;
        for (Subscription s : receiving) {
            if (s.track.ssrc == mediaSsrc) {
                sub = s;
                break;
            }
        }
        if (sub == null) {
            return;
        }
        int n = GenericNack.lostSequenceNumbers(buf, at, plen, lost);
        for (int i = 0; i < n; i++) {
            if (sub.retransmit(lost[i], scratch, scratchView, now)) {
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
        IncomingTrack[] tracks = published;
        if (tracks.length > 0 && transport.state() == TransportState.READY) {
            ReceiveStats[] stats = new ReceiveStats[tracks.length];
            int count = 0;
            int videoCount = 0;
            int[] videoSsrcs = new int[tracks.length];
            long cap = 0;
            for (IncomingTrack t : tracks) {
                if (t.stats.hasPackets()) {
                    stats[count++] = t.stats;
                }
                if (t.kind == MediaKind.VIDEO) {
                    videoSsrcs[videoCount++] = t.ssrc;
                    cap += room.videoCapBps(this, t.streamId);
                }
                if (t.nacks != null) {
                    int n = t.nacks.poll(now, report, 0, report.length);
                    if (n > 0) {
                        transport.sendRtcp(report, 0, n); // retries while the publisher sends nothing new
                    }
                }
                if (t.keyframes != null) {
                    int n = t.keyframes.poll(now, report, 0);
                    if (n > 0) {
                        keyframeRequests.increment();
                        transport.sendRtcp(report, 0, n);
                    }
                }
            }
            int len = ReceiverReport.write(report, 0, senderSsrc, stats, Math.min(count, 31), now);
            if (videoCount > 0 && cap > 0) {
                len += Remb.write(report, len, senderSsrc, cap, videoSsrcs, videoCount);
            }
            transport.sendRtcp(report, 0, len);
        }
        checkLiveness(now);
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
            for (Subscription s : receiving) {
                if (s.active) {
                    s.track.publisher.requestKeyframe(s.track, now);
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
        for (IncomingTrack t : published) {
            tracks.add(new TrackStats(t.description.trackId(), t.ssrc, t.meter.bitsPerSecond(now),
                    t.stats.packetsReceived(), Math.max(0, t.stats.cumulativeLost()),
                    t.stats.jitter() * 1000.0 / Math.max(1, t.description.codecs().isEmpty() ? 90000
                            : t.description.codecs().get(0).clockRate())));
        }
        long out = 0;
        for (Subscription s : receiving) {
            out += s.meter.bitsPerSecond(now);
        }
        return new PeerStats(transport.state().name().toLowerCase(), String.valueOf(transport.selectedRemote()),
                in.bitsPerSecond(now), out, lossFraction * 100, rttMillis, tracks,
                counters.dropped(DropReason.UNKNOWN_SSRC),
                counters.dropped(DropReason.RTP_MALFORMED) + counters.dropped(DropReason.RTCP_MALFORMED),
                nacksAnswered.sum(), nacksMissed.sum(), keyframeRequests.sum(),
                0, false, transport.state() == TransportState.NEW ? IcePath.NOT_STARTED : transport.path());
    }
}
