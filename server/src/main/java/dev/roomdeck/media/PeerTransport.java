package dev.roomdeck.media;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.ice4j.TransportAddress;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's media path on the SFU ({@link MediaEndpoint#createTransport}): ICE (ice4j, controlled, on the shared
 * port) finds the path, DTLS (Bouncy Castle, server or client as the SDP says) checks the peer's certificate against
 * its SDP fingerprint and yields keys, then {@link SecureChannel} carries the packets (SRTP/SRTCP). One stream, one
 * component (BUNDLE + rtcp-mux). (Not {@code org.ice4j.Transport}, ice4j's UDP/TCP enum.)
 *
 * <p>No transport has a thread of its own: ICE runs on ice4j's threads, and once it completes (or fails) the rest of
 * the set-up (selected pair, DTLS handshake, SRTP keys) runs on a shared elastic pool, "transport-setup-&lt;n&gt;"
 * (a few threads kept, more only while more set-ups run at once; measured in docs/performance.md).
 * After READY nothing waits per peer: an ICE failure or the end of DTLS hands a close to that pool, and silence is
 * the media timer's to judge. State listeners are called on a set-up thread or on the thread calling
 * {@link #close()}, and must not block.
 *
 * <p>The shared port's one reader thread pushes every datagram in ({@link #onPushed}, ice4j's push API) and hands
 * media on to the endpoint's {@link MediaWorker}, whose one thread decrypts and forwards for every transport. Media
 * leaves through ice4j's per-session socket for the selected address, which goes straight to the shared port's
 * socket.
 */
public final class PeerTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);

    /** RFC 8445 5.1.2.1 for a host candidate of component 1 with the highest local preference. */
    private static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | 255;
    private static final long SRFLX_PRIORITY = (100L << 24) | (65535L << 8) | 255;
    /**
     * ICE-TCP candidates rank below every UDP one (RFC 6544 4.2: type preference lower for TCP), so that a browser
     * uses TCP only when no UDP pair works: media over TCP suffers head-of-line blocking on loss.
     */
    private static final long TCP_HOST_PRIORITY = (90L << 24) | (65535L << 8) | 255;
    private static final long TCP_SRFLX_PRIORITY = (70L << 24) | (65535L << 8) | 255;

    private final String name;
    private final DtlsCertificate certificate;
    private final MediaEndpoint endpoint;
    private final LivenessAgent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final List<String> localCandidates;
    private final PacketCounters counters;
    private final List<Consumer<TransportState>> listeners = new CopyOnWriteArrayList<>();
    private final PropertyChangeListener iceStateListener = this::onIceStateChange;
    private final PropertyChangeListener pairListener = this::onPairChange;
    /** What the media worker calls with this transport's datagrams (one object, not one per packet). */
    private final MediaWorker.Receiver workerReceiver = this::receivePushed;
    /** When the datagram being delivered now was read from the socket; the media worker's only. */
    private long arrivalNanos;

    /** Guards state and the ICE outcome. */
    private final Object stateLock = new Object();
    /** Keeps listener calls in the order of the transitions. */
    private final Object notifyLock = new Object();
    /** Made up front, so that a DTLS record arriving right after ICE is queued, not lost. */
    private final IceDatagramTransport pushedDtlsIo;
    /** DTLS is over (peer closed or alert) on the media worker: the set-up pool closes. */
    private volatile boolean dtlsEnded;
    private volatile boolean pushFailureLogged;

    private volatile TransportState state = TransportState.NEW;
    private volatile String failureReason;
    private volatile String pendingFailure;
    private volatile boolean stopRequested;
    private volatile boolean closing;
    private volatile long lastReceivedNanos;
    private volatile InetSocketAddress selectedLocal;
    private volatile InetSocketAddress selectedRemote;
    private volatile IceProtocol selectedProtocol;
    private volatile String selectedRemoteType;
    /** How long ICE took from start to the selected pair, -1 until then. */
    private volatile long iceMillis = -1;
    /** Which protocols the peer's ICE checks have reached us over (bit per {@link IceProtocol}): the doctor asks. */
    private volatile int checksSeen;
    /** ICE-TCP: sends leave through its own queue and thread, never blocking the packet path; made when first used. */
    private TcpSendQueue tcpSendQueue;
    /** ICE-TCP: reads the peer's connection(s); started when the peer has connected over TCP and ICE is done. */
    private Thread tcpReader;
    /**
     * Where datagrams to the peer go now: the way its latest datagram came. A browser may move between the pairs
     * ICE found (e.g. to UDP once its checks get through, after ice4j had already taken a TCP pair it nominated
     * first): following it is what keeps the handshake and media on the path that works. Guarded by pathLock.
     */
    private volatile Path path;
    private final Object pathLock = new Object();

    /** One way to the peer: a UDP remote address and its session socket, or the peer's ICE-TCP connection. */
    private record Path(IceProtocol protocol, InetSocketAddress remote, SessionSocket udp) {
        boolean is(IceProtocol p, InetSocketAddress r) {
            return protocol == p && remote.equals(r);
        }
    }
    /** The packet path once DTLS is done. */
    private final SecureChannel channel;

    private RemoteParameters remote;
    private PacketReceiver receiver;
    /** {@link System#nanoTime()} at {@link #start}, and whether the set-up was handed to the pool. */
    private volatile long startedNanos;
    private final AtomicBoolean setupSubmitted = new AtomicBoolean();

    private PeerTransport(MediaEndpoint endpoint, String name) {
        StackSettings.apply();
        this.name = requireName(name);
        this.endpoint = endpoint;
        this.certificate = endpoint.certificate();
        this.counters = new PacketCounters(endpoint.trafficCounters());
        this.agent = new LivenessAgent(this::markReceived);
        this.channel = new SecureChannel(name, counters, this::fail);
        agent.setControlling(false);
        agent.setUseDynamicPorts(false); // no interface scan; our harvesters give the only host candidates
        agent.setPerformConsentFreshness(true); // RFC 7675 checks on the selected pair instead of bare indications
        for (CandidateHarvester harvester : endpoint.harvesters()) {
            agent.addCandidateHarvester(harvester);
        }
        try {
            stream = agent.createMediaStream("media");
            // No component socket: with the push API it would only add a reader thread and a 10,000-slot queue
            // per peer for nothing (UDP media is pushed, STUN has its own path); ICE-TCP reads the selected pair's
            // connection itself (readTcp).
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        } catch (IOException e) {
            agent.free();
            throw new UncheckedIOException("cannot gather ICE candidates for " + name, e);
        } catch (RuntimeException e) {
            agent.free();
            throw e;
        }
        if (component.getLocalCandidateCount() == 0) {
            agent.free();
            throw new IllegalStateException("no ICE host candidate for " + name);
        }
        localCandidates = describeCandidates(endpoint.announcedAddress());
        lastReceivedNanos = System.nanoTime();
        pushedDtlsIo = new IceDatagramTransport(this::sendOut, counters);
        component.setBufferCallback(this::onPushed);
    }

    /** Made by {@link MediaEndpoint#createTransport}. */
    static PeerTransport onSharedPort(MediaEndpoint endpoint, String name) {
        return new PeerTransport(endpoint, name);
    }

    public String name() {
        return name;
    }

    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    public String localPwd() {
        return agent.getLocalPassword();
    }

    /** SDP {@code a=candidate} values, e.g. "1 1 udp 2130706431 127.0.0.1 10000 typ host". */
    public List<String> localCandidates() {
        return localCandidates;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /**
     * Starts ICE, then (on the set-up pool) DTLS and SRTP; returns at once. Watch the state for READY
     * (or FAILED). The receiver gets decrypted packets on the endpoint's media worker thread.
     */
    public void start(RemoteParameters remote, PacketReceiver receiver) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(receiver, "receiver");
        synchronized (stateLock) {
            if (this.remote != null || state != TransportState.NEW) {
                throw new IllegalStateException("transport " + name + " already started or closed (" + state + ")");
            }
            this.remote = remote;
            this.receiver = receiver;
            stream.setRemoteUfrag(remote.iceUfrag());
            stream.setRemotePassword(remote.icePwd());
            for (InetSocketAddress address : remote.candidates()) {
                component.addRemoteCandidate(new RemoteCandidate(new TransportAddress(address, org.ice4j.Transport.UDP),
                        component, CandidateType.HOST_CANDIDATE, "1", HOST_PRIORITY, null));
            }
            agent.addStateChangeListener(iceStateListener);
            stream.addPairChangeListener(pairListener);
            lastReceivedNanos = System.nanoTime();
            startedNanos = lastReceivedNanos;
        }
        setState(TransportState.CHECKING);
        try {
            agent.startConnectivityEstablishment(); // the rest when ICE is done: onIceStateChange
        } catch (RuntimeException | Error e) {
            unexpected(e);
            closeIfEnded();
        }
    }

    /**
     * When the packet being delivered to the receiver right now was read from the socket (System.nanoTime): call
     * from the receiver's onRtp/onRtcp only. Not when the packet path got to it, which a busy machine delays.
     */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** SRTP-protects a copy of the RTP packet and sends it; dropped and counted unless READY. Thread-safe. */
    public void sendRtp(byte[] buf, int off, int len) {
        channel.sendRtp(buf, off, len);
    }

    /** SRTCP-protects a copy of the (compound) RTCP packet and sends it; dropped and counted unless READY. */
    public void sendRtcp(byte[] buf, int off, int len) {
        channel.sendRtcp(buf, off, len);
    }

    public TransportState state() {
        return state;
    }

    /**
     * Why the transport failed, else null: "ice-failed", "dtls-fingerprint", "dtls-handshake", "dtls-alert",
     * "socket", "internal-error".
     */
    public String failureReason() {
        return failureReason;
    }

    /** Called on every state change, on a set-up thread or the closing thread; must not block. */
    public void addStateListener(Consumer<TransportState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeStateListener(Consumer<TransportState> listener) {
        listeners.remove(listener);
    }

    /** Local side of the ICE-selected pair; null until CONNECTED. */
    public InetSocketAddress selectedLocal() {
        return selectedLocal;
    }

    /** Remote side of the ICE-selected pair (on the SFU: the browser's peer-reflexive address); null until CONNECTED. */
    public InetSocketAddress selectedRemote() {
        return selectedRemote;
    }

    /** UDP or TCP for the ICE-selected pair; null until CONNECTED. */
    public IceProtocol selectedProtocol() {
        return selectedProtocol;
    }

    /**
     * The candidate type of the remote side of the selected pair as ICE names it ("host", "prflx", "srflx",
     * "relay"); null until CONNECTED. On the SFU usually "prflx": browsers hide host addresses behind mDNS names.
     */
    public String selectedRemoteType() {
        return selectedRemoteType;
    }

    /** The selected pair and what reached us so far, for the network doctor. */
    public IcePath path() {
        return new IcePath(selectedProtocol, selectedLocal, selectedRemote, selectedRemoteType, iceMillis,
                checkedOver(IceProtocol.UDP), checkedOver(IceProtocol.TCP), failureReason);
    }

    /** Milliseconds from {@link #start} until ICE selected a pair; -1 until it has. */
    public long iceMillis() {
        return iceMillis;
    }

    /** Whether any ICE check from the peer has reached us over this protocol. */
    public boolean checkedOver(IceProtocol protocol) {
        return (checksSeen & (1 << protocol.ordinal())) != 0;
    }

    /** The shared port saw an ICE check for this transport over {@code protocol}. */
    void noteCheck(IceProtocol protocol) {
        synchronized (stateLock) {
            checksSeen |= 1 << protocol.ordinal();
        }
        if (protocol == IceProtocol.TCP) {
            startTcpReader(); // only once ICE is done; before that the set-up starts it
        }
    }

    /**
     * {@link System#nanoTime()} of the last sign of life from the peer: any datagram on the selected path, an
     * incoming ICE check (browsers send consent checks every few seconds) or an answer to our consent check.
     * Starts at the time of {@link #start}.
     */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    public PacketSnapshot counters() {
        return counters.snapshot();
    }

    /** "SRTP_AEAD_AES_128_GCM" or "SRTP_AES128_CM_HMAC_SHA1_80" once READY, else null. */
    public String srtpProfile() {
        return channel.srtpProfile();
    }

    /**
     * Sends DTLS close_notify if keys were made, frees the ICE agent and its sockets, leaves the shared port and
     * stops the ICE-TCP reader. Idempotent; safe from any thread, including listeners and the receiver.
     */
    @Override
    public void close() {
        synchronized (stateLock) {
            if (closing) {
                return;
            }
            closing = true;
            stopRequested = true;
            stateLock.notifyAll();
        }
        channel.sayGoodbye();
        channel.close(); // no pushed datagram touches SRTP or the receiver after this
        pushedDtlsIo.abort();
        agent.removeStateChangeListener(iceStateListener);
        stream.removePairStateChangeListener(pairListener);
        agent.free(); // closes the sockets
        endpoint.unregister(this);
        TcpSendQueue queue;
        synchronized (pathLock) {
            queue = tcpSendQueue;
            tcpSendQueue = null;
        }
        if (queue != null) {
            queue.close();
        }
        setState(TransportState.CLOSED);
    }

    @Override
    public String toString() {
        return "PeerTransport[" + name + ", " + state + "]";
    }

    // ---- set-up (on the pool) ----

    /** ICE is done: takes the selected pair, then DTLS and SRTP; true once READY. */
    private boolean connect(long started) {
        long iceDone = System.nanoTime();
        iceMillis = TimeUnit.NANOSECONDS.toMillis(iceDone - started);
        CandidatePair pair = component.getSelectedPair();
        if (pair != null) {
            selectedLocal = copy(pair.getLocalCandidate().getTransportAddress());
            selectedRemoteType = pair.getRemoteCandidate().getType().toString();
            // ICE's selection is only the starting point: a datagram the peer already sent decided where it is
            // (ice4j may keep a TCP pair the browser nominated first while the browser has moved on to UDP).
            synchronized (pathLock) {
                if (path == null) {
                    follow(pair.getLocalCandidate().getTransport() == org.ice4j.Transport.TCP
                            ? IceProtocol.TCP : IceProtocol.UDP, copy(pair.getRemoteCandidate().getTransportAddress()));
                }
            }
        }
        if (checkedOver(IceProtocol.TCP)) {
            startTcpReader();
        }
        setState(TransportState.CONNECTED);
        IceDatagramTransport dtlsIo = pushedDtlsIo;
        if (!handshake(dtlsIo)) {
            return false;
        }
        long now = System.nanoTime();
        // One line per peer: how long set-up took is the first thing to look at when a page stays dark.
        LOG.info("transport {} ready in {} ms (ICE {} ms, DTLS {} ms: {}; {}, remote {} over {})", name,
                TimeUnit.NANOSECONDS.toMillis(now - started), iceMillis,
                TimeUnit.NANOSECONDS.toMillis(now - iceDone), dtlsIo.handshakeTraffic(), srtpProfile(),
                selectedRemote, selectedProtocol == null ? "?" : selectedProtocol.code());
        return true;
    }

    private void unexpected(Throwable e) {
        if (!stopRequested) {
            LOG.warn("transport {}: unexpected error", name, e);
            fail("internal-error", e.toString());
        }
    }

    private void closeIfEnded() {
        if (state == TransportState.FAILED || dtlsEnded || channel.peerClosed()) {
            close();
        }
    }

    /** DTLS handshake, then SRTP keys; false when it failed or the transport closes. */
    private boolean handshake(IceDatagramTransport dtlsIo) {
        setState(TransportState.DTLS_HANDSHAKE);
        boolean dtlsClient = remote.weAreDtlsClient();
        DtlsHandshake attempt = new DtlsHandshake(certificate, remote.fingerprintAlgorithm(), remote.fingerprint());
        DtlsHandshake.Result result;
        try {
            result = dtlsClient ? attempt.runAsClient(dtlsIo) : attempt.runAsServer(dtlsIo);
        } catch (IOException e) {
            if (stopRequested) {
                return false;
            }
            if (attempt.fingerprintMismatch()) {
                counters.drop(DropReason.DTLS_FINGERPRINT);
                fail("dtls-fingerprint", "remote certificate does not match the SDP fingerprint");
            } else {
                counters.drop(DropReason.DTLS_BAD);
                fail("dtls-handshake", e + " (" + dtlsIo.handshakeTraffic() + ")");
            }
            return false;
        }
        if (stopRequested || !channel.open(attempt, result, dtlsClient, dtlsIo, this::sendOut, receiver)) {
            return false;
        }
        setState(TransportState.READY);
        return true;
    }

    /**
     * The peer's ICE-TCP connection of the selected pair (ice4j's socket over it: RFC 4571 framing, STUN held
     * apart), or null when ICE is not done or chose UDP.
     */
    private IceSocketWrapper tcpConnection() {
        CandidatePair pair = component.getSelectedPair();
        @SuppressWarnings("deprecation") // the one public way to a TCP pair's connection without a component socket
        IceSocketWrapper connection = pair == null ? null : pair.getIceSocketWrapper();
        return connection != null && connection.getTCPSocket() != null ? connection : null;
    }

    /** Starts the ICE-TCP reader once ICE is done and chose the peer's TCP connection (idempotent). */
    private void startTcpReader() {
        synchronized (pathLock) {
            IceSocketWrapper connection = tcpReader != null || stopRequested ? null : tcpConnection();
            if (connection == null) {
                return;
            }
            tcpReader = new Thread(() -> readTcp(connection), "tcp-recv-" + name);
            tcpReader.setDaemon(true);
            tcpReader.start();
        }
    }

    /**
     * Over ICE-TCP: reads the peer's connection (ice4j's socket over it takes off the RFC 4571 framing and holds the
     * STUN apart) and treats each datagram as the UDP port's reader does: DTLS to the handshake until the keys
     * exist, then to the media worker, so that the packet path stays on one thread for every peer. Ends when the
     * connection does (the agent closes it with the transport): the peer may well go on over UDP, and silence is
     * the media timer's to judge.
     */
    private void readTcp(IceSocketWrapper connection) {
        byte[] buffer = new byte[SecureChannel.BUFFER_SIZE];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        InetSocketAddress from = connection.getTCPSocket().getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a : null;
        while (!stopRequested && !dtlsEnded) {
            packet.setData(buffer, 0, buffer.length);
            try {
                connection.receive(packet);
            } catch (IOException e) {
                LOG.debug("transport {}: ICE-TCP reader ends: {}", name, e.toString());
                return;
            }
            long arrival = System.nanoTime();
            lastReceivedNanos = arrival;
            int len = packet.getLength();
            if (len > PushedBuffers.SIZE) {
                counters.drop(DropReason.TOO_LARGE);
                continue;
            }
            if (from != null) {
                follow(IceProtocol.TCP, from);
            }
            if (!channel.isOpen()) {
                pushedDtlsIo.push(buffer, packet.getOffset(), len);
                continue;
            }
            Buffer pooled = BufferPool.getBuffer.invoke(len);
            System.arraycopy(buffer, packet.getOffset(), pooled.getBuffer(), 0, len);
            pooled.setOffset(0);
            pooled.setLength(len);
            if (!endpoint.worker().hand(workerReceiver, pooled, arrival)) {
                counters.drop(DropReason.OVERLOAD);
                BufferPool.returnBuffer.invoke(pooled);
            }
        }
    }

    /** False (and FAILED) when ICE reported a failure; silence is left to the media timer. */
    private boolean stillAlive() {
        String failure = pendingFailure;
        if (failure != null) {
            fail(failure, "reported by ICE");
            return false;
        }
        return true;
    }

    /**
     * A datagram from the shared port's reader thread, for this transport's remote address. Never
     * blocks and never throws (ice4j would hand the buffer back twice). Before READY the handshake takes DTLS
     * records right here; afterwards the endpoint's {@link MediaWorker} runs the packet path, so that the reader
     * only reads.
     */
    private void onPushed(Buffer pushedBuffer) {
        boolean handedOn = false;
        try {
            long arrival = System.nanoTime();
            lastReceivedNanos = arrival;
            if (pushedBuffer.getRemoteAddress() instanceof InetSocketAddress from) {
                follow(IceProtocol.UDP, from);
            }
            if (channel.isOpen()) {
                handedOn = endpoint.worker().hand(workerReceiver, pushedBuffer, arrival);
                if (!handedOn) {
                    counters.drop(DropReason.OVERLOAD);
                }
            } else if (!stopRequested) {
                pushedDtlsIo.push(pushedBuffer.getBuffer(), pushedBuffer.getOffset(), pushedBuffer.getLength());
            }
        } catch (RuntimeException e) {
            counters.drop(DropReason.RECEIVER_ERROR);
            logReceiveFailure(e);
        } finally {
            if (!handedOn) {
                BufferPool.returnBuffer.invoke(pushedBuffer);
            }
        }
    }

    /** On the {@link MediaWorker}'s thread: one datagram through SRTP to the receiver. */
    private void receivePushed(Buffer pushedBuffer, long arrival) {
        arrivalNanos = arrival;
        if (!channel.receive(pushedBuffer.getBuffer(), pushedBuffer.getOffset(), pushedBuffer.getLength())) {
            dtlsEnded = true;
            SetupPool.run(this::close); // not on the media worker: close frees the agent
        }
    }

    private void logReceiveFailure(RuntimeException e) {
        if (!pushFailureLogged) {
            pushFailureLogged = true;
            LOG.warn("transport {}: hand-off of a pushed datagram failed (logged once)", name, e);
        }
    }



    // ---- sending ----

    /**
     * Every datagram to the peer (DTLS and media) leaves here, on the current {@link #path}: one datagram on the
     * UDP session socket, or into the ICE-TCP queue. Called under the channel's send lock or by the handshake.
     */
    private boolean sendOut(byte[] buf, int off, int len) throws IOException {
        Path p = path;
        if (p == null) {
            throw new IOException("no path to the peer yet");
        }
        if (p.udp() == null) {
            TcpSendQueue queue = tcpSendQueue;
            if (queue == null) { // closed
                counters.drop(DropReason.SEND_FAILED);
                return false;
            }
            return queue.offer(buf, off, len); // false: counted by the queue
        }
        p.udp().sendMedia(buf, off, len);
        return true;
    }

    /**
     * Makes the way the peer's latest datagram came the way to send it: a new UDP address, or its TCP connection.
     * Until a datagram has come, the path ICE selected. Cheap when nothing changed (every pushed datagram asks).
     */
    private void follow(IceProtocol protocol, InetSocketAddress remote) {
        Path now = path;
        if (now != null && now.is(protocol, remote)) {
            return;
        }
        synchronized (pathLock) {
            now = path;
            if ((now != null && now.is(protocol, remote)) || stopRequested) {
                return;
            }
            SessionSocket udp = null;
            if (protocol == IceProtocol.UDP) {
                // ice4j's session socket for that address sends straight on the shared port. None: the address has
                // no ICE session (yet), so the way the peer checked stays the way.
                udp = endpoint.sessionSocket(agent.getLocalUfrag(), remote);
                if (udp == null) {
                    return;
                }
            } else if (tcpSendQueue == null) {
                IceSocketWrapper connection = tcpConnection();
                if (connection == null) {
                    return;
                }
                tcpSendQueue = new TcpSendQueue(name, tcpSink(connection), counters);
            }
            path = new Path(protocol, remote, udp);
            selectedRemote = remote;
            selectedProtocol = protocol;
            if (now != null) {
                LOG.info("transport {}: the peer moved to {} {} (was {} {})", name, protocol.code(), remote,
                        now.protocol().code(), now.remote());
            }
        }
    }

    /** Writes one datagram to the peer's TCP connection (ice4j frames it); on the queue's one thread only. */
    private static SecureChannel.Sink tcpSink(IceSocketWrapper connection) {
        DatagramPacket reused = new DatagramPacket(new byte[0], 0);
        return (buf, off, len) -> {
            reused.setData(buf, off, len);
            connection.send(reused);
            return true;
        };
    }

    // ---- ice4j callbacks (ice4j threads: record and wake, never close from here) ----

    private void onIceStateChange(PropertyChangeEvent event) {
        Object next = event.getNewValue();
        if (next == IceProcessingState.COMPLETED) {
            submitSetup();
        } else if (next == IceProcessingState.FAILED) {
            reportFailure("ice-failed");
        }
    }

    /**
     * Our consent check was answered. Failed pairs are deliberately ignored: once ICE has completed, ice4j never
     * leaves COMPLETED/TERMINATED, and a single unanswered check marks even a working selected pair FAILED (seen on
     * loopback). Consent is judged by silence instead, by the media timer.
     */
    private void onPairChange(PropertyChangeEvent event) {
        if (IceMediaStream.PROPERTY_PAIR_CONSENT_FRESHNESS_CHANGED.equals(event.getPropertyName())) {
            markReceived();
        }
    }

    private void reportFailure(String reason) {
        synchronized (stateLock) {
            if (pendingFailure == null) {
                pendingFailure = reason;
            }
            stateLock.notifyAll();
        }
        if (!submitSetup() && state == TransportState.READY) { // before READY the set-up task sees it
            SetupPool.run(() -> {
                if (!stillAlive()) {
                    close();
                }
            });
        }
    }

    // ---- the shared set-up pool ----

    /**
     * The threads every transport's set-up (and its close after READY) runs on, shared by every endpoint in the
     * JVM: N daemon threads "transport-setup-&lt;n&gt;" kept ({@code -Droomdeck.transport.setupPool=N}, default 4),
     * and more only while more set-ups run at once, gone after 30 s idle. Measured against a thread per peer at
     * 100 joins (docs/performance.md): a hundred threads fewer once people are in, set-up as fast. Elastic, not
     * fixed: a handshake blocks its thread until its flights are done (at most DtlsHandshake's 20 s), and with a
     * fixed pool N peers that finish ICE and never speak DTLS would make every other join wait behind them.
     */
    private static final class SetupPool {
        static final int SIZE = Math.max(1, Integer.getInteger("roomdeck.transport.setupPool", 4));
        private static final AtomicInteger THREADS = new AtomicInteger();
        private static final ExecutorService POOL = new ThreadPoolExecutor(SIZE, Integer.MAX_VALUE, 30,
                TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "transport-setup-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });

        static void run(Runnable task) {
            POOL.execute(task);
        }
    }

    /** Hands the set-up to the pool once ICE has completed or failed; false if done before. */
    private boolean submitSetup() {
        if (stopRequested || !setupSubmitted.compareAndSet(false, true)) {
            return false;
        }
        SetupPool.run(this::runPooledSetup);
        return true;
    }

    /** On the set-up pool, once ICE has completed or failed. */
    private void runPooledSetup() {
        try {
            if (stopRequested) {
                return;
            }
            if (pendingFailure != null) {
                fail(pendingFailure, "ICE processing failed");
            } else if (connect(startedNanos)) {
                stillAlive(); // an ICE failure reported during the handshake
            }
        } catch (RuntimeException | Error e) {
            unexpected(e);
        } finally {
            closeIfEnded();
        }
    }

    private void markReceived() {
        lastReceivedNanos = System.nanoTime();
    }

    // ---- state ----

    private void fail(String reason, String detail) {
        if (state.isFinal()) {
            return;
        }
        failureReason = reason;
        if (setState(TransportState.FAILED)) {
            LOG.info("transport {} failed: {} ({})", name, reason, detail);
        }
    }

    /** Moves forward only (the enum is in life order); returns whether the state changed. */
    private boolean setState(TransportState next) {
        synchronized (notifyLock) {
            synchronized (stateLock) {
                if (next.ordinal() <= state.ordinal()) {
                    return false;
                }
                state = next;
                stateLock.notifyAll();
            }
            for (Consumer<TransportState> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("transport {}: state listener failed", name, e);
                }
            }
            return true;
        }
    }

    // ---- helpers ----

    /**
     * Our candidates as SDP writes them: per host address a UDP host candidate and, with ICE-TCP, a passive TCP one
     * on the same port number (RFC 6544: "tcptype passive", port as bound, lower priority than UDP); for a 1:1 NAT
     * the public address as a server-reflexive candidate of each.
     */
    private List<String> describeCandidates(InetAddress announced) {
        List<String> udp = new ArrayList<>();
        List<String> tcp = new ArrayList<>();
        int componentId = component.getComponentID();
        TransportAddress udpBase = null;
        TransportAddress tcpBase = null;
        for (LocalCandidate candidate : component.getLocalCandidates()) {
            TransportAddress address = candidate.getTransportAddress();
            String host = address.getAddress().getHostAddress() + " " + address.getPort();
            if (address.getTransport() == org.ice4j.Transport.TCP) {
                tcpBase = tcpBase == null ? address : tcpBase;
                tcp.add(candidate.getFoundation() + " " + componentId + " tcp " + TCP_HOST_PRIORITY + " " + host
                        + " typ host tcptype passive");
            } else {
                udpBase = udpBase == null ? address : udpBase;
                udp.add(candidate.getFoundation() + " " + componentId + " udp " + candidate.getPriority() + " "
                        + host + " typ host");
            }
        }
        if (announced != null) {
            // 1:1 NAT: the public address maps onto the shared port, so checks sent there reach the same listener.
            if (udpBase != null) {
                udp.add("9 " + componentId + " udp " + SRFLX_PRIORITY + " " + announced.getHostAddress() + " "
                        + udpBase.getPort() + " typ srflx raddr " + udpBase.getAddress().getHostAddress()
                        + " rport " + udpBase.getPort());
            }
            if (tcpBase != null) {
                tcp.add("10 " + componentId + " tcp " + TCP_SRFLX_PRIORITY + " " + announced.getHostAddress() + " "
                        + tcpBase.getPort() + " typ srflx raddr " + tcpBase.getAddress().getHostAddress()
                        + " rport " + tcpBase.getPort() + " tcptype passive");
            }
        }
        udp.addAll(tcp); // UDP first: the SDP's m-line and c-line take the first candidate's address
        return List.copyOf(udp);
    }

    private static InetSocketAddress copy(TransportAddress address) {
        return new InetSocketAddress(address.getAddress(), address.getPort());
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("transport name is blank");
        }
        return name;
    }
}
