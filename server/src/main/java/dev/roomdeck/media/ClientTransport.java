package dev.roomdeck.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

/**
 * A client's media path for the load generator, where a thousand of them share one machine with the server:
 * one UDP socket each, a minimal ICE agent (checks to the server's host candidate, answers to its checks,
 * consent every 5 s), DTLS and SRTP from this package's {@link DtlsHandshake} and {@link SrtpSession}. All
 * of them are read by one selector thread that decrypts and delivers in place: no thread per peer and no
 * hand-over per packet, which is what made {@link Transport#client} (ice4j's three threads per peer) cost tens
 * of microseconds per received packet. The SFU side keeps {@link Transport}.
 */
public final class ClientTransport implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CHECK_INTERVAL_MILLIS = 50;
    private static final long CONSENT_INTERVAL_MILLIS = 5000;
    private static final long ICE_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long PRIORITY = (110L << 24) | (65535L << 8) | 255; // peer-reflexive, RFC 8445 5.1.2.1
    private static final int MAX_PLAIN = 2048 - 64;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            daemon("client-ice"));
    private static final ExecutorService HANDSHAKES = Executors.newCachedThreadPool(daemon("client-dtls"));
    private static volatile ReadLoop loop;
    /**
     * Pause of the shared read thread after each pass over the ready sockets, in nanoseconds (0: none). A loopback
     * benchmark otherwise charges the sender for waking this thread on every datagram (the kernel does the
     * receiver's wake-up in the sender's send call), which a server sending to other machines never pays.
     */
    private static volatile long readPauseNanos;

    private final String name;
    private final DtlsCertificate certificate;
    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final String localUfrag = token(8);
    private final String localPwd = token(24);
    private final long tieBreaker = RANDOM.nextLong();
    private final TrafficCounters counters = new TrafficCounters(null);
    private final BlockingQueue<byte[]> handshakeInbox = new ArrayBlockingQueue<>(64);
    private final Object sendLock = new Object();
    private final byte[] sendBuffer = new byte[2048];
    private final ByteBuffer sendBytes = ByteBuffer.wrap(sendBuffer);
    private final PacketView sendView = new PacketView();
    private final byte[] stunOut = new byte[512];
    private final PacketView receiveView = new PacketView();

    private volatile boolean controlling;
    private volatile TransportState state = TransportState.NEW;
    private volatile String failureReason;
    private volatile InetSocketAddress remoteAddress;
    private volatile RemoteParameters remote;
    private volatile PacketReceiver receiver;
    private volatile SrtpSession srtp;
    private volatile DTLSTransport dtls;
    private volatile boolean nominatedByPeer;
    private volatile boolean checkSucceeded;
    private volatile String srtpProfile;
    private volatile byte[] pendingTransaction;
    private ScheduledFuture<?> checks;
    private long startedNanos;

    private ClientTransport(String name, DtlsCertificate certificate, DatagramChannel channel, boolean controlling) {
        this.name = name;
        this.certificate = certificate;
        this.channel = channel;
        this.controlling = controlling;
        try {
            this.local = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A transport on a new UDP socket bound to {@code bindAddress}. {@code controlling}: true when we offered (we
     * nominate), false when we answer a server that runs full ICE as the controlling side (Janus's offers).
     */
    public static ClientTransport open(InetAddress bindAddress, DtlsCertificate cert, String name, boolean controlling) {
        StackSettings.apply();
        try {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress(bindAddress, 0));
            ch.configureBlocking(false);
            ClientTransport t = new ClientTransport(Objects.requireNonNull(name), Objects.requireNonNull(cert), ch,
                    controlling);
            readLoop().register(t);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP socket on " + bindAddress, e);
        }
    }

    public String name() {
        return name;
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** The one host candidate, as an SDP {@code a=candidate} value. */
    public List<String> localCandidates() {
        return List.of("1 1 udp 2130706431 " + local.getAddress().getHostAddress() + " " + local.getPort() + " typ host");
    }

    public TransportState state() {
        return state;
    }

    public String failureReason() {
        return failureReason;
    }

    public String srtpProfile() {
        return srtpProfile;
    }

    public Counters counters() {
        return counters.snapshot();
    }

    /** Starts checks towards the remote's first host candidate (or the address its own checks come from). */
    public void start(RemoteParameters remoteParameters, PacketReceiver packetReceiver) {
        synchronized (this) {
            if (state != TransportState.NEW) {
                throw new IllegalStateException("transport " + name + " already started (" + state + ")");
            }
            remote = Objects.requireNonNull(remoteParameters);
            receiver = Objects.requireNonNull(packetReceiver);
            if (!remote.candidates().isEmpty()) {
                remoteAddress = remote.candidates().get(0);
            }
            startedNanos = System.nanoTime();
            state = TransportState.CHECKING;
            checks = TIMER.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    public void sendRtp(byte[] buf, int off, int len) {
        send(buf, off, len, false);
    }

    public void sendRtcp(byte[] buf, int off, int len) {
        send(buf, off, len, true);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == TransportState.CLOSED) {
                return;
            }
            state = TransportState.CLOSED;
            if (checks != null) {
                checks.cancel(false);
            }
        }
        DTLSTransport d = dtls;
        if (d != null) {
            try {
                d.close(); // close_notify: the server drops us at once instead of after its consent timeout
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "ClientTransport[" + name + ", " + state + "]";
    }

    // ---- ICE (timer thread) ----

    private void check() {
        TransportState s = state;
        if (s.isFinal()) {
            return;
        }
        InetSocketAddress to = remoteAddress;
        if (s == TransportState.CHECKING && System.nanoTime() - startedNanos > ICE_TIMEOUT_NANOS) {
            fail("ice-timeout");
            return;
        }
        if (to == null) {
            return;
        }
        byte[] txid = new byte[12];
        RANDOM.nextBytes(txid);
        pendingTransaction = txid;
        boolean nominate = controlling && !checkSucceeded;
        int n = StunCodec.bindingRequest(stunOut, txid, remote.iceUfrag(), localUfrag, remote.icePwd(), PRIORITY,
                controlling, tieBreaker, nominate);
        sendRaw(stunOut, n, to);
    }

    private void iceProgress() {
        // Controlled: wait for the peer's nomination, else our DTLS would reach it before it takes media.
        if (state == TransportState.CHECKING && checkSucceeded && (controlling || nominatedByPeer)) {
            synchronized (this) {
                if (state != TransportState.CHECKING) {
                    return;
                }
                state = TransportState.CONNECTED;
                checks.cancel(false);
                checks = TIMER.scheduleWithFixedDelay(this::check, CONSENT_INTERVAL_MILLIS, CONSENT_INTERVAL_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            HANDSHAKES.execute(this::handshake);
        }
    }

    // ---- DTLS (a handshake thread) ----

    private void handshake() {
        state = TransportState.DTLS_HANDSHAKE;
        RemoteParameters r = remote;
        DtlsHandshake attempt = new DtlsHandshake(certificate, r.fingerprintAlgorithm(), r.fingerprint());
        boolean client = r.weAreDtlsClient();
        try {
            DtlsHandshake.Result result = client ? attempt.runAsClient(new Datagrams()) : attempt.runAsServer(new Datagrams());
            synchronized (sendLock) {
                srtp = new SrtpSession(result.profile(), result.keyingMaterial(), client);
            }
            dtls = result.transport();
            srtpProfile = result.profile().sdpName;
            synchronized (this) {
                if (state == TransportState.DTLS_HANDSHAKE) {
                    state = TransportState.READY;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!state.isFinal()) {
                counters.drop(attempt.fingerprintMismatch() ? DropReason.DTLS_FINGERPRINT : DropReason.DTLS_BAD);
                fail(attempt.fingerprintMismatch() ? "dtls-fingerprint" : "dtls-handshake");
            }
        }
    }

    /** What Bouncy Castle reads and writes during the handshake: records the read loop queued, the socket. */
    private final class Datagrams implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] record = handshakeInbox.poll(waitMillis <= 0 ? 1000 : waitMillis, TimeUnit.MILLISECONDS);
                if (record == null) {
                    if (state.isFinal()) {
                        throw new IOException("transport closed");
                    }
                    return -1;
                }
                int n = Math.min(len, record.length);
                System.arraycopy(record, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            InetSocketAddress to = remoteAddress;
            if (to != null && !state.isFinal()) {
                channel.send(ByteBuffer.wrap(buf, off, len), to);
            }
        }

        @Override
        public void close() {
            // the socket belongs to the transport
        }
    }

    // ---- receiving (the read loop's thread) ----

    private void received(byte[] buf, int len, InetSocketAddress from) {
        if (StunCodec.isStun(buf, len)) {
            stun(buf, len, from);
            return;
        }
        switch (PacketKind.of(buf, 0, len)) {
            case PacketKind.RTP, PacketKind.RTCP -> media(buf, len, PacketKind.of(buf, 0, len) == PacketKind.RTCP);
            case PacketKind.DTLS -> {
                if (state == TransportState.DTLS_HANDSHAKE || state == TransportState.CONNECTED) {
                    byte[] copy = new byte[len]; // handshake only: a few records per peer
                    System.arraycopy(buf, 0, copy, 0, len);
                    handshakeInbox.offer(copy);
                } else {
                    counters.drop(DropReason.DTLS_DATA); // after the handshake: retransmissions, alerts
                }
            }
            default -> counters.drop(DropReason.NOT_RTP);
        }
    }

    private void stun(byte[] buf, int len, InetSocketAddress from) {
        int type = StunCodec.type(buf);
        if (type == StunCodec.BINDING_REQUEST) {
            if (remoteAddress == null) {
                remoteAddress = from;
            }
            if (hasUseCandidate(buf, len)) {
                nominatedByPeer = true;
            }
            int n = StunCodec.bindingSuccess(stunOut2, buf, from, localPwd);
            sendRaw(stunOut2, n, from);
            iceProgress();
            return;
        }
        byte[] pending = pendingTransaction;
        if (pending == null || !StunCodec.sameTransaction(buf, pending)) {
            return;
        }
        if (type == StunCodec.BINDING_SUCCESS) {
            checkSucceeded = true;
            iceProgress();
        } else if (type == StunCodec.BINDING_ERROR && StunCodec.errorCode(buf, len) == 487) {
            controlling = !controlling; // role conflict (RFC 8445 7.2.5.1): take the other role and check again
        }
    }

    /** Separate from stunOut: the timer thread writes that one. */
    private final byte[] stunOut2 = new byte[512];

    private static boolean hasUseCandidate(byte[] b, int len) {
        int end = Math.min(len, 20 + ((b[2] & 0xFF) << 8 | (b[3] & 0xFF)));
        for (int at = 20; at + 4 <= end; ) {
            int t = (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
            int l = (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
            if (t == 0x0025) {
                return true;
            }
            at += 4 + ((l + 3) & ~3);
        }
        return false;
    }

    private void media(byte[] buf, int len, boolean rtcp) {
        SrtpSession session = srtp;
        if (session == null) {
            counters.drop(DropReason.BEFORE_READY);
            return;
        }
        receiveView.reset(buf, 0, len);
        DropReason drop = rtcp ? session.unprotectRtcp(receiveView) : session.unprotectRtp(receiveView);
        if (drop != null) {
            counters.drop(drop);
            return;
        }
        PacketReceiver r = receiver;
        try {
            if (rtcp) {
                counters.rtcpReceived();
                r.onRtcp(receiveView.getBuffer(), receiveView.getOffset(), receiveView.getLength());
            } else {
                counters.rtpReceived();
                r.onRtp(receiveView.getBuffer(), receiveView.getOffset(), receiveView.getLength());
            }
        } catch (RuntimeException e) {
            counters.drop(DropReason.RECEIVER_ERROR);
        }
    }

    // ---- sending ----

    private void send(byte[] buf, int off, int len, boolean rtcp) {
        if (state != TransportState.READY) {
            counters.drop(DropReason.BEFORE_READY);
            return;
        }
        if (len < (rtcp ? 8 : 12) || len > MAX_PLAIN) {
            counters.drop(len > MAX_PLAIN ? DropReason.TOO_LARGE : DropReason.NOT_RTP);
            return;
        }
        synchronized (sendLock) {
            SrtpSession session = srtp;
            System.arraycopy(buf, off, sendBuffer, 0, len);
            sendView.reset(sendBuffer, 0, len);
            DropReason drop = rtcp ? session.protectRtcp(sendView) : session.protectRtp(sendView);
            if (drop != null) {
                counters.drop(drop);
                return;
            }
            sendBytes.clear().position(sendView.getOffset()).limit(sendView.getOffset() + sendView.getLength());
            try {
                if (channel.send(sendBytes, remoteAddress) == 0) {
                    counters.drop(DropReason.SEND_FAILED); // socket buffer full
                    return;
                }
            } catch (IOException e) {
                counters.drop(DropReason.SEND_FAILED);
                return;
            }
        }
        if (rtcp) {
            counters.rtcpSent();
        } else {
            counters.rtpSent();
        }
    }

    private void sendRaw(byte[] buf, int len, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(buf, 0, len), to);
        } catch (IOException e) {
            counters.drop(DropReason.SEND_FAILED);
        }
    }

    private void fail(String reason) {
        synchronized (this) {
            if (state.isFinal()) {
                return;
            }
            failureReason = reason;
            state = TransportState.FAILED;
            if (checks != null) {
                checks.cancel(false);
            }
        }
    }

    // ---- the shared read loop ----

    /** See {@link #readPauseNanos}; set before the first transport. */
    public static void setReadPause(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("read pause must be >= 0");
        }
        readPauseNanos = nanos;
    }

    private static ReadLoop readLoop() throws IOException {
        ReadLoop l = loop;
        if (l == null) {
            synchronized (ClientTransport.class) {
                l = loop;
                if (l == null) {
                    l = new ReadLoop();
                    loop = l;
                }
            }
        }
        return l;
    }

    /** One thread, one selector, every client socket: reads until each is empty and handles packets in place. */
    private static final class ReadLoop implements Runnable {
        private final Selector selector;
        private final ConcurrentLinkedQueue<ClientTransport> joining = new ConcurrentLinkedQueue<>();
        private final byte[] buffer = new byte[2048];
        private final ByteBuffer bytes = ByteBuffer.wrap(buffer);

        ReadLoop() throws IOException {
            selector = Selector.open();
            Thread t = new Thread(this, "client-read");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            t.start();
        }

        void register(ClientTransport t) {
            joining.add(t);
            selector.wakeup();
        }

        @Override
        public void run() {
            while (true) {
                try {
                    selector.select(1000);
                    ClientTransport t;
                    while ((t = joining.poll()) != null) {
                        if (t.channel.isOpen()) {
                            t.channel.register(selector, SelectionKey.OP_READ, t);
                        }
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        ClientTransport transport = (ClientTransport) key.attachment();
                        drain(transport, key);
                    }
                    selector.selectedKeys().clear();
                    long pause = readPauseNanos;
                    if (pause > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pause);
                    }
                } catch (IOException | RuntimeException e) {
                    // keep reading for everyone else
                }
            }
        }

        private void drain(ClientTransport t, SelectionKey key) {
            try {
                while (true) {
                    bytes.clear();
                    SocketAddress from = t.channel.receive(bytes);
                    if (from == null) {
                        return;
                    }
                    t.received(buffer, bytes.position(), (InetSocketAddress) from);
                }
            } catch (IOException e) {
                key.cancel();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String token(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
