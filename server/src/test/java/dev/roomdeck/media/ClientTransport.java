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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java client's media path: {@code MediaClient} in the tests and the load generator (tools module), where a
 * thousand of them share one machine with the server. One UDP socket each and a minimal ICE agent (checks to the
 * server's host candidates, answers to its checks, consent every 5 s); DTLS from {@link DtlsHandshake}, then the
 * same {@link SecureChannel} the SFU's {@link PeerTransport} uses. All of them are read by one selector thread that
 * decrypts and delivers in place: no thread per peer and no hand-over per packet (an ice4j agent per client costs
 * three threads and tens of microseconds per received packet).
 *
 * <p>It lives in the server's tests (package {@code dev.roomdeck.media}, for the package-private core) so that the
 * server jar carries no client; the tools module reaches it through the server's test-jar.
 */
public final class ClientTransport implements AutoCloseable {
    /** RFC 7675 5.1: consent expires after 30 s without a sign of life from the peer. */
    static final long CONSENT_TIMEOUT_MILLIS = 30_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CHECK_INTERVAL_MILLIS = 50;
    /** Once connected: how often silence is judged; a consent check goes out every {@link #CONSENT_INTERVAL_NANOS}. */
    private static final long WATCH_INTERVAL_MILLIS = 1000;
    private static final long CONSENT_INTERVAL_NANOS = 5_000_000_000L;
    private static final long ICE_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long PRIORITY = (110L << 24) | (65535L << 8) | 255; // peer-reflexive, RFC 8445 5.1.2.1
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
    private final DatagramChannel socket;
    private final InetSocketAddress local;
    private final String localUfrag = token(8);
    private final String localPwd = token(24);
    private final long tieBreaker = RANDOM.nextLong();
    private final PacketCounters counters = new PacketCounters(null);
    /** The handshake's datagrams: records pushed in by the read loop, flights sent to the peer. */
    private final IceDatagramTransport dtlsIo;
    /** Media out (under the channel's send lock): one ByteBuffer over the channel's send buffer. */
    private ByteBuffer mediaOut = ByteBuffer.allocate(0);
    /** Timer thread only. */
    private final byte[] checkOut = new byte[512];
    /** Read loop only. */
    private final byte[] answerOut = new byte[512];

    private volatile boolean controlling;
    private volatile TransportState state = TransportState.NEW;
    private volatile String failureReason;
    private volatile InetSocketAddress remoteAddress;
    private volatile RemoteParameters remote;
    private volatile List<InetSocketAddress> targets = List.of();
    private final SecureChannel channel;
    private volatile PacketReceiver receiver;
    private volatile boolean nominatedByPeer;
    private volatile boolean checkSucceeded;
    private volatile byte[] pendingTransaction;
    private volatile long lastReceivedNanos;
    /** How long the peer may stay silent once ICE is up; tests shorten it. */
    volatile long consentTimeoutMillis = CONSENT_TIMEOUT_MILLIS;
    private ScheduledFuture<?> checks;
    private long startedNanos;
    private long lastCheckNanos;
    private int nextTarget;

    private ClientTransport(String name, DtlsCertificate certificate, DatagramChannel socket, boolean controlling) {
        this.name = name;
        this.certificate = certificate;
        this.socket = socket;
        this.controlling = controlling;
        this.dtlsIo = new IceDatagramTransport(this::sendDtls, counters);
        this.channel = new SecureChannel(name, counters, (reason, detail) -> fail(reason));
        try {
            this.local = (InetSocketAddress) socket.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ICE-controlling transport (we offered, we nominate) on a new UDP socket bound to {@code bindAddress}. */
    public static ClientTransport open(InetAddress bindAddress, DtlsCertificate cert, String name) {
        return open(bindAddress, cert, name, true);
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

    /** Why it failed, else null: "ice-timeout", "ice-consent-lost", "dtls-fingerprint", "dtls-handshake", "dtls-alert". */
    public String failureReason() {
        return failureReason;
    }

    public String srtpProfile() {
        return channel.srtpProfile();
    }

    public PacketSnapshot counters() {
        return counters.snapshot();
    }

    /** The peer's address once ICE found it, else null. */
    public InetSocketAddress selectedRemote() {
        return state.ordinal() >= TransportState.CONNECTED.ordinal() ? remoteAddress : null;
    }

    /** Our socket's address once ICE found the peer, else null. */
    public InetSocketAddress selectedLocal() {
        return selectedRemote() == null ? null : local;
    }

    /**
     * Starts checks towards the remote's host candidates of our address family, one after the other until one
     * answers (or towards the address the peer's own checks come from).
     */
    public void start(RemoteParameters remoteParameters, PacketReceiver packetReceiver) {
        synchronized (this) {
            if (state != TransportState.NEW) {
                throw new IllegalStateException("transport " + name + " already started (" + state + ")");
            }
            remote = Objects.requireNonNull(remoteParameters);
            receiver = Objects.requireNonNull(packetReceiver);
            List<InetSocketAddress> sameFamily = remote.candidates().stream()
                    .filter(a -> a.getAddress().getClass() == local.getAddress().getClass()).toList();
            targets = sameFamily.isEmpty() ? remote.candidates() : sameFamily;
            startedNanos = System.nanoTime();
            lastReceivedNanos = startedNanos;
            state = TransportState.CHECKING;
            checks = TIMER.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** SRTP-protects a copy of the RTP packet and sends it; dropped and counted unless READY. Thread-safe. */
    public void sendRtp(byte[] buf, int off, int len) {
        channel.sendRtp(buf, off, len);
    }

    /** SRTCP-protects a copy of the (compound) RTCP packet and sends it; dropped and counted unless READY. */
    public void sendRtcp(byte[] buf, int off, int len) {
        channel.sendRtcp(buf, off, len);
    }

    /** Sends DTLS close_notify if keys were made, then closes the socket. Idempotent; safe from any thread. */
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
        channel.sayGoodbye(); // close_notify: the server drops us at once instead of after its consent timeout
        channel.close();
        dtlsIo.abort();
        try {
            socket.close();
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
        long now = System.nanoTime();
        if (s == TransportState.CHECKING) {
            if (now - startedNanos > ICE_TIMEOUT_NANOS) {
                failAndClose("ice-timeout");
                return;
            }
        } else {
            if (TimeUnit.NANOSECONDS.toMillis(now - lastReceivedNanos) > consentTimeoutMillis) {
                failAndClose("ice-consent-lost");
                return;
            }
            if (now - lastCheckNanos < CONSENT_INTERVAL_NANOS) {
                return;
            }
        }
        InetSocketAddress to = remoteAddress;
        if (to == null) {
            List<InetSocketAddress> all = targets;
            if (all.isEmpty()) {
                return;
            }
            to = all.get(nextTarget++ % all.size());
        }
        lastCheckNanos = now;
        byte[] txid = new byte[12];
        RANDOM.nextBytes(txid);
        pendingTransaction = txid;
        boolean nominate = controlling && !checkSucceeded;
        int n = StunCodec.bindingRequest(checkOut, txid, remote.iceUfrag(), localUfrag, remote.icePwd(), PRIORITY,
                controlling, tieBreaker, nominate);
        sendRaw(checkOut, n, to);
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
                checks = TIMER.scheduleWithFixedDelay(this::check, WATCH_INTERVAL_MILLIS, WATCH_INTERVAL_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            HANDSHAKES.execute(this::handshake);
        }
    }

    // ---- DTLS (a handshake thread) ----

    private void handshake() {
        synchronized (this) {
            if (state != TransportState.CONNECTED) {
                return;
            }
            state = TransportState.DTLS_HANDSHAKE;
        }
        RemoteParameters r = remote;
        DtlsHandshake attempt = new DtlsHandshake(certificate, r.fingerprintAlgorithm(), r.fingerprint());
        boolean client = r.weAreDtlsClient();
        DtlsHandshake.Result result;
        try {
            result = client ? attempt.runAsClient(dtlsIo) : attempt.runAsServer(dtlsIo);
        } catch (IOException | RuntimeException e) {
            if (!state.isFinal()) {
                counters.drop(attempt.fingerprintMismatch() ? DropReason.DTLS_FINGERPRINT : DropReason.DTLS_BAD);
                failAndClose(attempt.fingerprintMismatch() ? "dtls-fingerprint" : "dtls-handshake");
            }
            return;
        }
        if (!channel.open(attempt, result, client, dtlsIo, this::sendMedia, receiver)) {
            return;
        }
        synchronized (this) {
            if (state == TransportState.DTLS_HANDSHAKE) {
                state = TransportState.READY;
            }
        }
    }

    // ---- receiving (the read loop's thread) ----

    private void received(byte[] buf, int len, InetSocketAddress from) {
        lastReceivedNanos = System.nanoTime();
        if (StunCodec.isStun(buf, len)) {
            stun(buf, len, from);
            return;
        }
        if (channel.isOpen()) {
            if (!channel.receive(buf, 0, len)) {
                close(); // the peer closed DTLS or sent a fatal alert
            }
        } else if (!state.isFinal()) {
            dtlsIo.push(buf, 0, len); // the handshake's records; media before READY is counted
        }
    }

    private void stun(byte[] buf, int len, InetSocketAddress from) {
        int type = StunCodec.type(buf);
        if (type == StunCodec.BINDING_REQUEST) {
            if (remoteAddress == null) {
                remoteAddress = from;
            }
            if (StunCodec.hasUseCandidate(buf, len)) {
                nominatedByPeer = true;
            }
            int n = StunCodec.bindingSuccess(answerOut, buf, from, localPwd);
            sendRaw(answerOut, n, from);
            iceProgress();
            return;
        }
        byte[] pending = pendingTransaction;
        if (pending == null || !StunCodec.sameTransaction(buf, pending)) {
            return;
        }
        if (type == StunCodec.BINDING_SUCCESS) {
            if (remoteAddress == null) {
                remoteAddress = from;
            }
            checkSucceeded = true;
            iceProgress();
        } else if (type == StunCodec.BINDING_ERROR && StunCodec.errorCode(buf, len) == 487) {
            controlling = !controlling; // role conflict (RFC 8445 7.2.5.1): take the other role and check again
        }
    }

    // ---- sending ----

    /** The channel's sink, called under its send lock, always with its one send buffer. */
    private boolean sendMedia(byte[] buf, int off, int len) throws IOException {
        if (mediaOut.array() != buf) {
            mediaOut = ByteBuffer.wrap(buf);
        }
        mediaOut.clear().position(off).limit(off + len);
        if (socket.send(mediaOut, remoteAddress) == 0) {
            counters.drop(DropReason.SEND_FAILED); // socket buffer full
            return false;
        }
        return true;
    }

    /** DTLS flights and alerts (handshake thread, read loop, closing thread). */
    private boolean sendDtls(byte[] buf, int off, int len) throws IOException {
        InetSocketAddress to = remoteAddress;
        return to != null && socket.send(ByteBuffer.wrap(buf, off, len), to) > 0;
    }

    private void sendRaw(byte[] buf, int len, InetSocketAddress to) {
        try {
            socket.send(ByteBuffer.wrap(buf, 0, len), to);
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
        }
    }

    private void failAndClose(String reason) {
        fail(reason);
        close();
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
        private final byte[] buffer = new byte[SecureChannel.BUFFER_SIZE];
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
                    // The action form: the selected-key set would allocate a node per ready socket per pass
                    // (~30 MB/s at 290 sockets), and the generator's own collections then showed as delay.
                    selector.select(this::drain, 1000);
                    ClientTransport t;
                    while ((t = joining.poll()) != null) {
                        if (t.socket.isOpen()) {
                            t.socket.register(selector, SelectionKey.OP_READ, t);
                        }
                    }
                    long pause = readPauseNanos;
                    if (pause > 0) {
                        LockSupport.parkNanos(pause);
                    }
                } catch (IOException | RuntimeException e) {
                    // keep reading for everyone else
                }
            }
        }

        private void drain(SelectionKey key) {
            ClientTransport t = (ClientTransport) key.attachment();
            try {
                while (true) {
                    bytes.clear();
                    SocketAddress from = t.socket.receive(bytes);
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

    private static ThreadFactory daemon(String name) {
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
