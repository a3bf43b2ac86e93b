package dev.roomdeck.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.media.DtlsCertificate;
import dev.roomdeck.media.PacketReceiver;
import dev.roomdeck.media.RemoteParameters;
import dev.roomdeck.media.ClientTransport;
import dev.roomdeck.media.TransportState;
import dev.roomdeck.rtp.Fir;
import dev.roomdeck.rtp.GenericNack;
import dev.roomdeck.rtp.Pli;
import dev.roomdeck.rtp.ReceiverReport;
import dev.roomdeck.rtp.Remb;
import dev.roomdeck.rtp.Rtcp;
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
        /** Every packet, when the client records ({@link #recordPackets}); else null. */
        private final PacketLog log;

        ReceivedTrack(boolean record) {
            this.log = record ? new PacketLog() : null;
        }

        /** The packets of this SSRC in arrival order; only on a client that records (else an empty log). */
        public PacketLog log() {
            return log != null ? log : new PacketLog();
        }
    }

    /** A retransmission that arrived (RTX payload type): its own header and the original sequence number it carries. */
    public record RtxPacket(int ssrc, int seq, int timestamp, boolean marker, int originalSeq, byte[] payload) {
        /** The original packet's payload: the RTX payload without the original sequence number. */
        public byte[] originalPayload() {
            return java.util.Arrays.copyOfRange(payload, 2, payload.length);
        }
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
    private final List<RtxPacket> rtxReceived = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Integer, LongAdder> plisBySsrc = new ConcurrentHashMap<>();
    /** Whether received packets are logged per SSRC ({@link #recordPackets}). */
    private volatile boolean recording;
    /** The last server offer this client answered. */
    private volatile String remoteOffer;
    /** Simulcast: the SSRC of each layer of the video track (lowest first), and the header extension each carries. */
    private final int[] layerSsrcs;
    private final byte[][] layerExtensions;
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
        ClientOffer.Track video = tracks.stream().filter(ClientOffer.Track::simulcast).findFirst().orElse(null);
        int layers = video == null ? 0 : video.rids().size();
        this.layerSsrcs = new int[layers];
        this.layerExtensions = new byte[layers][];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < layers; i++) {
            layerSsrcs[i] = (int) r.nextLong(1, 0xFFFFFFFFL);
            // As Chrome's first packets of a layer: the MID names the m-section, the RID the encoding.
            layerExtensions[i] = oneByteExtensions(new int[] {ClientOffer.MID_EXTENSION_ID, ClientOffer.RID_EXTENSION_ID},
                    new String[] {video.mid(), video.rids().get(i)});
        }
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

    /**
     * Like {@link #join}, but the stream's video is rid-based simulcast as Chrome sends it: one encoding per rid
     * (lowest resolution first), none of them named by SSRC in the SDP. Send the layers with {@link #sendLayerRtp}
     * (or a {@link SimulcastCamera}).
     */
    public static MediaClient joinSimulcast(URI ws, String appkey, String room, String user, String token, String msid,
                                            List<String> rids) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<ClientOffer.Track> tracks = List.of(
                new ClientOffer.Track("audio", "0", msid, msid + "-audio", r.nextLong(1, 0xFFFFFFFFL), 0),
                ClientOffer.Track.simulcastVideo("1", msid, msid + "-video", rids));
        return join(ws, appkey, room, user, token, msid, 1000, false, tracks);
    }

    private static MediaClient join(URI ws, String appkey, String room, String user, String token, String msid,
                                    int bitrateKbps, boolean forgeFingerprint) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<ClientOffer.Track> tracks = msid == null ? List.of() : List.of(
                new ClientOffer.Track("audio", "0", msid, msid + "-audio", r.nextLong(1, 0xFFFFFFFFL), 0),
                new ClientOffer.Track("video", "1", msid, msid + "-video", r.nextLong(1, 0xFFFFFFFFL),
                        r.nextLong(1, 0xFFFFFFFFL)));
        return join(ws, appkey, room, user, token, msid, bitrateKbps, forgeFingerprint, tracks);
    }

    private static MediaClient join(URI ws, String appkey, String room, String user, String token, String msid,
                                    int bitrateKbps, boolean forgeFingerprint, List<ClientOffer.Track> tracks)
            throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        ClientTransport transport = ClientTransport.open(InetAddress.getLoopbackAddress(), cert, user);
        SignalClient signal = SignalClient.connect(ws);
        ThreadLocalRandom r = ThreadLocalRandom.current();
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
                    remoteOffer = sdp;
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

    /** The SSRC this client sends audio (0) or video (1) with; 0 for simulcast video (see {@link #layerSsrc}). */
    public int ssrc(String kind) {
        return (int) tracks.stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow().ssrc();
    }

    public ReceivedTrack inbound(int ssrc) {
        return inbound.computeIfAbsent(ssrc, k -> new ReceivedTrack(recording));
    }

    /** The SSRCs media packets (not RTX) arrived on. */
    public java.util.Set<Integer> receivedSsrcs() {
        java.util.Set<Integer> result = new java.util.TreeSet<>();
        inbound.forEach((ssrc, in) -> {
            if (in.packets.sum() > 0) {
                result.add(ssrc);
            }
        });
        return result;
    }

    /**
     * From now on every packet of an SSRC that has not arrived yet is logged ({@link ReceivedTrack#log()}): call it
     * before the media to record flows. Off by default (the load generator receives for minutes).
     */
    public void recordPackets() {
        recording = true;
    }

    /** The last offer from the server this client answered (null before the first). */
    public String remoteOffer() {
        return remoteOffer;
    }

    public long plisReceived() {
        return plisReceived.sum() + firsReceived.sum();
    }

    /** Keyframe requests (PLI, or a FIR entry) for one of this client's SSRCs. */
    public long plisReceived(int ssrc) {
        LongAdder n = plisBySsrc.get(ssrc);
        return n == null ? 0 : n.sum();
    }

    /** Every retransmission received, in arrival order. */
    public List<RtxPacket> rtxReceived() {
        return List.copyOf(rtxReceived);
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

    /** Simulcast: how many video layers this client sends (0 without simulcast). */
    public int layerCount() {
        return layerSsrcs.length;
    }

    /** Simulcast: the SSRC of video layer {@code layer} (0 = lowest resolution). */
    public int layerSsrc(int layer) {
        return layerSsrcs[layer];
    }

    /**
     * Sends one VP8 packet (payload type 96) of simulcast layer {@code layer} on that layer's SSRC, with the MID
     * and RID header extensions that tell the server which track and which layer it is.
     */
    public void sendLayerRtp(int layer, int seq, int timestamp, boolean marker, byte[] payload) {
        byte[] ext = layerExtensions[layer];
        byte[] p = new byte[12 + ext.length + payload.length];
        header(p, 0x90, (marker ? 0x80 : 0) | 96, seq, timestamp, layerSsrcs[layer]);
        System.arraycopy(ext, 0, p, 12, ext.length);
        System.arraycopy(payload, 0, p, 12 + ext.length, payload.length);
        transport.sendRtp(p, 0, p.length);
    }

    /**
     * An RTP header extension block in the one-byte form (RFC 8285 section 4.2): the 0xBEDE profile, its length in
     * 32-bit words, then id/length and value per element (1 to 16 bytes of ASCII), zero padded to a whole word.
     */
    public static byte[] oneByteExtensions(int[] ids, String[] values) {
        int n = 0;
        for (String v : values) {
            if (v.isEmpty() || v.length() > 16) {
                throw new IllegalArgumentException("a one-byte extension element holds 1 to 16 bytes: '" + v + "'");
            }
            n += 1 + v.length();
        }
        int words = (n + 3) / 4;
        byte[] b = new byte[4 + 4 * words];
        b[0] = (byte) 0xBE;
        b[1] = (byte) 0xDE;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        int at = 4;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 1 || ids[i] > 14) {
                throw new IllegalArgumentException("one-byte extension ids are 1 to 14: " + ids[i]);
            }
            b[at++] = (byte) (ids[i] << 4 | (values[i].length() - 1));
            for (char c : values[i].toCharArray()) {
                b[at++] = (byte) c;
            }
        }
        return b;
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

    /** videoSize: the largest video this client wants of another peer's stream (its tile); 0x0 for none now. */
    public String videoSize(String peerId, String streamId, int width, int height) {
        ObjectNode d = signal.object();
        d.put("id", peerId).put("msid", streamId).put("width", width).put("height", height);
        return signal.send("videoSize", d);
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
                if (payload.length >= 2) {
                    rtxReceived.add(new RtxPacket(view.ssrc(), view.sequenceNumber(), view.timestamp(),
                            view.marker(), rtxOriginalSequence(payload), payload));
                }
                rtxPackets.increment();
                return;
            }
            ReceivedTrack in = inbound(view.ssrc());
            if (in.log != null) {
                in.log.add(view, System.nanoTime());
            }
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
                    keyframeRequested(Rtcp.mediaSsrc(buf, rtcp.offset()));
                } else if (rtcp.isFir()) {
                    firsReceived.increment();
                    for (int i = 0; i < Fir.entryCount(rtcp.contentLength()); i++) {
                        keyframeRequested(Fir.entrySsrc(buf, rtcp.offset(), i));
                    }
                } else if (rtcp.isRemb()) {
                    lastRembBps.set(Remb.bitrate(buf, rtcp.offset()));
                } else if (rtcp.isNack()) {
                    nacksReceived.increment();
                }
            }
        }
    };

    private void keyframeRequested(int ssrc) {
        plisBySsrc.computeIfAbsent(ssrc, k -> new LongAdder()).increment();
    }

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
