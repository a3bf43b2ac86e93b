package dev.roomdeck.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.media.DtlsCertificate;
import dev.roomdeck.media.PacketReceiver;
import dev.roomdeck.media.RemoteParameters;
import dev.roomdeck.media.ClientTransport;
import dev.roomdeck.media.TransportState;
import dev.roomdeck.rtp.GenericNack;
import dev.roomdeck.rtp.Pli;
import dev.roomdeck.rtp.ReceiverReport;
import dev.roomdeck.rtp.Remb;
import dev.roomdeck.rtp.RtcpIterator;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * RoomDeck's Java client with a real media stack: signalling over /ws, ICE (controlling), DTLS (client) and
 * SRTP, publishing one synthetic audio+video stream and receiving everyone else's. It answers server offers by
 * itself. Tests and the load generator use it; it is what a browser does, minus codecs.
 */
public final class MediaClient implements AutoCloseable {
    /** What arrived on one SSRC. */
    public static final class ReceivedTrack {
        public final LongAdder packets = new LongAdder();
        public final LongAdder bytes = new LongAdder();
        public final AtomicLong lastSeq = new AtomicLong(-1);
        public volatile int lastPayloadType = -1;
        public volatile byte[] lastPayload = new byte[0];
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The RTX payload type of ClientOffer's VP8 (the server offers this client's own numbering back). */
    static final int RTX_PAYLOAD_TYPE = 97;

    private final SignalClient signal;
    private final ClientTransport transport;
    private final DtlsCertificate certificate;
    /** The fingerprint written into this client's SDP: its certificate's, unless a test forges it. */
    private final String announcedFingerprint;
    private final String user;
    private final String msid;
    private final String cname;
    private final List<ClientOffer.Track> tracks;
    private final Map<Integer, ReceivedTrack> inbound = new ConcurrentHashMap<>();
    private final LongAdder plisReceived = new LongAdder();
    private final LongAdder firsReceived = new LongAdder();
    private final AtomicLong lastRembBps = new AtomicLong();
    private final LongAdder nacksReceived = new LongAdder();
    private final LongAdder rtxPackets = new LongAdder();
    private volatile byte[] lastRtxPayload = new byte[0];
    /** Receiver reports every 500 ms, as browsers send them: they also keep the server's liveness check happy. */
    private static final ScheduledExecutorService REPORTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "client-rtcp");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledFuture<?> reports;
    private final int reporterSsrc = ThreadLocalRandom.current().nextInt() | 1;
    private volatile Thread answering;
    private volatile long ignoreOffersBefore;
    private volatile boolean closed;

    private MediaClient(SignalClient signal, ClientTransport transport, DtlsCertificate certificate, String user,
                        String msid, List<ClientOffer.Track> tracks, String announcedFingerprint) {
        this.announcedFingerprint = announcedFingerprint;
        this.signal = signal;
        this.transport = transport;
        this.certificate = certificate;
        this.user = user;
        this.msid = msid;
        this.cname = "cname-" + user;
        this.tracks = tracks;
        this.reports = REPORTS.scheduleAtFixedRate(this::sendReport, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void sendReport() {
        if (transport.state() == TransportState.READY) {
            byte[] rr = new byte[8];
            int n = ReceiverReport.writeHeader(rr, 0, reporterSsrc, 0);
            transport.sendRtcp(rr, 0, n);
        }
    }

    /**
     * Connects, joins with an offer that publishes one audio+video stream (or nothing if msid is null), and
     * starts ICE/DTLS towards the server's candidates. Returns once joined; call {@link #awaitReady} for media.
     */
    public static MediaClient join(URI ws, String appkey, String room, String user, String token, String msid,
                                   int bitrateKbps) throws Exception {
        return join(ws, appkey, room, user, token, msid, bitrateKbps, false);
    }

    /** A client whose SDP carries a fingerprint that is not its certificate's: the server must refuse its DTLS. */
    public static MediaClient joinWithForgedFingerprint(URI ws, String appkey, String room, String user, String token,
                                                        String msid) throws Exception {
        return join(ws, appkey, room, user, token, msid, 1000, true);
    }

    private static MediaClient join(URI ws, String appkey, String room, String user, String token, String msid,
                                    int bitrateKbps, boolean forgeFingerprint) throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        ClientTransport transport = ClientTransport.open(InetAddress.getLoopbackAddress(), cert, user);
        SignalClient signal = SignalClient.connect(ws);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<ClientOffer.Track> tracks = msid == null ? List.of() : List.of(
                new ClientOffer.Track("audio", "0", msid, msid + "-audio", r.nextLong(1, 0xFFFFFFFFL), 0),
                new ClientOffer.Track("video", "1", msid, msid + "-video", r.nextLong(1, 0xFFFFFFFFL),
                        r.nextLong(1, 0xFFFFFFFFL)));
        MediaClient c = new MediaClient(signal, transport, cert, user, msid, tracks,
                forgeFingerprint ? DtlsCertificate.generate().fingerprint() : cert.fingerprint());
        ObjectNode join = signal.object();
        join.put("appkey", appkey).put("room", room).put("user", user).put("token", token).put("planb", false)
                .put("answersOffers", true); // it answers every server offer
        join.put("sdp", ClientOffer.write(r.nextLong(1, Long.MAX_VALUE), 1, c.localTransport(), tracks, c.cname));
        signal.send("join", join);
        SignalClient.Received joined = signal.await(m -> m.type().equals("joined") || m.type().equals("error"),
                WAIT, "joined");
        if (joined.type().equals("error")) {
            c.close();
            throw new IllegalStateException("join refused: " + joined.data());
        }
        c.startTransport(joined.data().get("sdp").asText());
        if (msid != null) {
            ObjectNode add = signal.object();
            add.putObject("stream").put("id", user).put("msid", msid).put("local", true).put("bitrate", bitrateKbps);
            add.put("sdp", ClientOffer.write(r.nextLong(1, Long.MAX_VALUE), 2, c.localTransport(), tracks, c.cname));
            String id = signal.send("addStream", add);
            SignalClient.Received answer = signal.await(m -> m.type().equals("answer") && m.id() != null
                    && m.id().asText().equals(id), WAIT, "answer to addStream");
            // Glare rule: a server offer that crossed our own offer was withdrawn; never answer it.
            c.ignoreOffersBefore = answer.seq();
            signal.await("streamAdded", WAIT);
        }
        c.startAnswering();
        return c;
    }

    private ClientOffer.Transport localTransport() {
        return new ClientOffer.Transport(transport.localUfrag(), transport.localPwd(), announcedFingerprint,
                transport.localCandidates());
    }

    private void startTransport(String answerSdp) throws SdpException {
        SessionDescription sd = SessionDescription.parse(answerSdp);
        if (sd.media().isEmpty()) {
            return; // receive-only: the transport starts with the first server offer
        }
        transport.start(remoteParameters(sd), receiver);
    }

    private static RemoteParameters remoteParameters(SessionDescription sd) {
        MediaSection m = sd.media().get(0);
        String[] fp = sd.attribute(m, "fingerprint").split(" ");
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (String c : m.attributes("candidate")) {
            String[] f = c.split(" ");
            if (f.length >= 8 && f[2].equalsIgnoreCase("udp")) {
                candidates.add(new InetSocketAddress(f[4], Integer.parseInt(f[5])));
            }
        }
        return new RemoteParameters(sd.attribute(m, "ice-ufrag"), sd.attribute(m, "ice-pwd"), fp[0], fp[1],
                sd.attribute(m, "setup"), candidates);
    }

    /** Answers every server offer as a browser would, on a thread of its own. */
    private void startAnswering() {
        answering = new Thread(() -> {
            while (!closed) {
                try {
                    SignalClient.Received offer = signal.await(m -> m.type().equals("offer"), Duration.ofDays(1), "offer");
                    if (offer.seq() < ignoreOffersBefore) {
                        continue;
                    }
                    String sdp = offer.data().get("sdp").asText();
                    ObjectNode answer = signal.object();
                    answer.put("sdp", ClientAnswer.write(sdp, localTransport(), tracks, cname));
                    if (transport.state() == TransportState.NEW) {
                        transport.start(remoteParameters(SessionDescription.parse(sdp)), receiver);
                    }
                    signal.send("answer", answer);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    if (!closed) {
                        org.slf4j.LoggerFactory.getLogger(MediaClient.class).warn("{}: cannot answer: {}", user, e.toString());
                    }
                }
            }
        }, "client-answer-" + user);
        answering.setDaemon(true);
        answering.start();
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (transport.state() != TransportState.READY) {
            if (transport.state().isFinal() || System.nanoTime() > deadline) {
                throw new AssertionError(user + ": transport is " + transport.state() + ", not READY");
            }
            Thread.sleep(10);
        }
    }

    public SignalClient signal() {
        return signal;
    }

    public ClientTransport transport() {
        return transport;
    }

    public String user() {
        return user;
    }

    public String msid() {
        return msid;
    }

    /** The SSRC this client sends audio (0) or video (1) with. */
    public int ssrc(String kind) {
        return (int) tracks.stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow().ssrc();
    }

    public ReceivedTrack inbound(int ssrc) {
        return inbound.computeIfAbsent(ssrc, k -> new ReceivedTrack());
    }

    public long plisReceived() {
        return plisReceived.sum() + firsReceived.sum();
    }

    public long lastRembBps() {
        return lastRembBps.get();
    }

    public long rtxPackets() {
        return rtxPackets.sum();
    }

    public byte[] lastRtxPayload() {
        return lastRtxPayload;
    }

    public long nacksReceived() {
        return nacksReceived.sum();
    }

    /** Sends one RTP packet on a track (payload type 111 audio, 96 video). */
    public void sendRtp(String kind, int seq, int timestamp, boolean marker, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        header(p, 0x80, (marker ? 0x80 : 0) | (kind.equals("audio") ? 111 : 96), seq, timestamp, ssrc(kind));
        System.arraycopy(payload, 0, p, 12, payload.length);
        transport.sendRtp(p, 0, p.length);
    }

    /** The 12-byte RTP header: first byte (version, extension bit), marker|payload type, sequence, time, SSRC. */
    private static void header(byte[] p, int first, int markerAndType, int seq, int timestamp, int ssrc) {
        p[0] = (byte) first;
        p[1] = (byte) markerAndType;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (timestamp >>> 24);
        p[5] = (byte) (timestamp >>> 16);
        p[6] = (byte) (timestamp >>> 8);
        p[7] = (byte) timestamp;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
    }

    /**
     * Sends one audio packet (payload type 111) carrying an RFC 6464 audio level, {@code minusDbov} (0 loudest –
     * 127 silence), in a one-byte header extension under id 1 (what this client's offer negotiates).
     */
    public void sendAudio(int seq, int timestamp, int minusDbov, byte[] payload) {
        byte[] p = new byte[12 + 8 + payload.length];
        header(p, 0x90, 111, seq, timestamp, ssrc("audio")); // 0x90: version 2 with the extension bit
        p[12] = (byte) 0xBE; // RFC 8285 one-byte profile
        p[13] = (byte) 0xDE;
        p[15] = 1; // one 32-bit word of elements
        p[16] = (byte) (1 << 4); // id 1, one byte of data
        p[17] = (byte) ((minusDbov < 127 ? 0x80 : 0) | (minusDbov & 0x7F)); // V bit: voice activity
        System.arraycopy(payload, 0, p, 20, payload.length);
        transport.sendRtp(p, 0, p.length);
    }

    /** Sends a generic NACK for these sequence numbers of a remote SSRC. */
    public void sendNack(int mediaSsrc, int... seqs) {
        byte[] out = new byte[GenericNack.maxLength(seqs.length)];
        int n = GenericNack.write(out, 0, 1, mediaSsrc, seqs, seqs.length);
        transport.sendRtcp(out, 0, n);
    }

    /** Asks the server for a keyframe of a remote video SSRC. */
    public void sendPli(int mediaSsrc) {
        byte[] out = new byte[16];
        int n = Pli.write(out, 0, 1, mediaSsrc);
        transport.sendRtcp(out, 0, n);
    }

    /** configure for another peer's stream (remote) or one's own (local); audio/video: false = muted. */
    public void configure(String peerId, String streamId, boolean local, Boolean audio, Boolean video) {
        ObjectNode d = signal.object();
        d.put("id", peerId).put("msid", streamId).put("local", local).put("remote", !local);
        if (audio != null) {
            d.put("audio", audio);
        }
        if (video != null) {
            d.put("video", video);
        }
        signal.send("configure", d);
    }

    private final PacketReceiver receiver = new PacketReceiver() {
        private final RtpPacket view = new RtpPacket();
        private final RtcpIterator rtcp = new RtcpIterator();

        @Override
        public void onRtp(byte[] buf, int off, int len) {
            if (!view.wrap(buf, off, len)) {
                return;
            }
            if (view.payloadType() == RTX_PAYLOAD_TYPE) {
                byte[] payload = new byte[view.payloadLength()];
                System.arraycopy(buf, view.payloadOffset(), payload, 0, payload.length);
                lastRtxPayload = payload;
                rtxPackets.increment();
                return;
            }
            ReceivedTrack in = inbound(view.ssrc());
            in.packets.increment();
            in.bytes.add(len);
            in.lastSeq.set(view.sequenceNumber());
            in.lastPayloadType = view.payloadType();
            byte[] payload = new byte[view.payloadLength()];
            System.arraycopy(buf, view.payloadOffset(), payload, 0, payload.length);
            in.lastPayload = payload;
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            rtcp.reset(buf, off, len);
            while (rtcp.next()) {
                if (rtcp.isPli()) {
                    plisReceived.increment();
                } else if (rtcp.isFir()) {
                    firsReceived.increment();
                } else if (rtcp.isRemb()) {
                    lastRembBps.set(Remb.bitrate(buf, rtcp.offset()));
                } else if (rtcp.isNack()) {
                    nacksReceived.increment();
                }
            }
        }
    };

    /** Leaves and closes signalling and media. */
    @Override
    public void close() throws Exception {
        closed = true;
        reports.cancel(false);
        Thread t = answering;
        if (t != null) {
            t.interrupt();
        }
        transport.close();
        signal.close();
    }

    /** Receive-side bookkeeping for a NACK answer check: the payload types seen on an SSRC. */
    public static int rtxOriginalSequence(byte[] payload) {
        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

}
