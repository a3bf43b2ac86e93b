package dev.roomdeck.media;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
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
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's media path: ICE (ice4j) finds the path, DTLS (Bouncy Castle) checks the peer's certificate against
 * its SDP fingerprint and yields keys, SRTP/SRTCP (jitsi-srtp) protects the packets. One stream, one component
 * (BUNDLE + rtcp-mux).
 *
 * <p>SFU side ({@link MediaEndpoint#createTransport}): ICE controlled on the shared port. Client side
 * ({@link #client}): ICE controlling on its own socket. Each started transport has one daemon thread,
 * "transport-&lt;name&gt;", that runs ICE wait and DTLS handshake, then watches for failure and silence; state
 * listeners are called on that thread or on the thread calling {@link #close()}, and must not block.
 *
 * <p>Media arrives differently on the two sides. On the SFU, the shared port's one reader thread pushes every
 * datagram in ({@link #onPushed}, ice4j's push API) and hands media on to the endpoint's {@link MediaWorker},
 * whose one thread decrypts and forwards for every transport. On the client, the transport thread reads its own
 * socket. Both end in {@link #onDatagram}. Media
 * leaves through ice4j's per-session socket for the selected address where there is one (SFU side), which goes
 * straight to the shared port's socket.
 */
public final class Transport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** Client side: how long ICE may take before the transport gives up. */
    static final long ICE_TIMEOUT_MILLIS = 30_000;
    /**
     * Client side: RFC 7675 5.1, consent expires after 30 s without a sign of life. Both sides' consent checks
     * (browsers every few seconds, ice4j every 5 s as configured in StackSettings) keep a quiet but alive path well
     * inside this. The SFU side never times out by itself: it reports {@link #state()} and {@link
     * #lastReceivedNanos()}, and the media timer (forward.PeerForwarder) decides with the operator's timeout.
     */
    static final long CONSENT_TIMEOUT_MILLIS = 30_000;
    /**
     * Receive loop wake-up, to notice failures found on ice4j threads and silence. Each wake-up of an idle
     * transport is a SocketTimeoutException with a deep stack: with a thousand receive-only peers, 250 ms cost
     * 4000 of them a second for nothing; a second is still far inside every timeout it serves.
     */
    private static final int POLL_MILLIS = 1000;
    /** Bigger than anything ice4j hands on (its shared-port reader takes 1472 bytes at most). */
    private static final int BUFFER_SIZE = 2048;
    /** Room for the SRTP tag and the SRTCP index on top of a plain packet. */
    private static final int MAX_PLAIN = BUFFER_SIZE - 64;
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
    private final TrafficCounters counters;
    private final List<Consumer<TransportState>> listeners = new CopyOnWriteArrayList<>();
    private final PropertyChangeListener iceStateListener = this::onIceStateChange;
    private final PropertyChangeListener pairListener = this::onPairChange;
    /** SFU side: what the media worker calls with this transport's datagrams (one object, not one per packet). */
    private final MediaWorker.Receiver workerReceiver = this::receivePushed;

    /** Guards state and the ICE outcome; waited on by the transport thread. */
    private final Object stateLock = new Object();
    /** Keeps listener calls in the order of the transitions. */
    private final Object notifyLock = new Object();
    /** Bouncy Castle's DTLS record layer is single-threaded: receive path and close() take turns. */
    private final Object dtlsLock = new Object();
    private final Object sendLock = new Object();
    /** One datagram at a time through the receive path; close() takes it to stop the pushes before freeing SRTP. */
    private final Object receiveLock = new Object();

    /** SFU side: datagrams are pushed in by the shared port's reader thread. */
    private final boolean pushed;
    /** SFU side: made up front, so that a DTLS record arriving right after ICE is queued, not lost. */
    private final IceDatagramTransport pushedDtlsIo;
    /** Set once READY, cleared by close(); written under receiveLock, read by the reader thread without it. */
    private volatile boolean receiving;
    private final PacketView receiveView = new PacketView();
    private final byte[] receiveScratch = new byte[BUFFER_SIZE];
    /** DTLS is over (peer closed or alert) on the reader thread: the transport thread closes. */
    private volatile boolean dtlsEnded;

    private volatile TransportState state = TransportState.NEW;
    private volatile String failureReason;
    private volatile String pendingFailure;
    private volatile boolean iceCompleted;
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
    /** ICE-TCP only: media leaves through its own queue and thread, never blocking the packet path. */
    private volatile TcpSendQueue tcpSendQueue;
    private volatile SrtpSession srtp;
    private volatile String srtpProfile;

    /** How long ICE may take; tests shorten it. */
    volatile long iceTimeoutMillis = ICE_TIMEOUT_MILLIS;
    /** How long the peer may stay silent once READY; tests shorten it. */
    volatile long consentTimeoutMillis = CONSENT_TIMEOUT_MILLIS;

    private RemoteParameters remote;
    private PacketReceiver receiver;
    private Thread thread;
    private DatagramSocket mediaSocket;
    /** Where media is sent: ice4j's session socket for the selected address (SFU side), else the component's. */
    private volatile DatagramSocket sendSocket;
    private IceDatagramTransport dtlsIo;
    private DTLSTransport dtls;
    private DtlsHandshake handshake;
    private volatile boolean receiverErrorLogged;

    private final byte[] sendBuffer = new byte[BUFFER_SIZE];
    private final PacketView sendView = new PacketView();
    private final DatagramPacket sendPacket = new DatagramPacket(sendBuffer, BUFFER_SIZE);

    private Transport(String name, DtlsCertificate certificate, MediaEndpoint endpoint, InetAddress clientAddress) {
        StackSettings.apply();
        this.name = requireName(name);
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.endpoint = endpoint;
        this.counters = new TrafficCounters(endpoint == null ? null : endpoint.trafficCounters());
        this.agent = new LivenessAgent(this::markReceived);
        boolean sfuSide = endpoint != null;
        agent.setControlling(!sfuSide);
        agent.setUseDynamicPorts(false); // no interface scan; our harvesters give the only host candidates
        agent.setPerformConsentFreshness(true); // RFC 7675 checks on the selected pair instead of bare indications
        if (sfuSide) {
            for (CandidateHarvester harvester : endpoint.harvesters()) {
                agent.addCandidateHarvester(harvester);
            }
        } else {
            agent.addCandidateHarvester(new OwnSocketHarvester(Objects.requireNonNull(clientAddress, "bindAddress")));
        }
        try {
            stream = agent.createMediaStream("media");
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
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
        localCandidates = describeCandidates(endpoint == null ? null : endpoint.announcedAddress());
        lastReceivedNanos = System.nanoTime();
        pushed = sfuSide;
        if (sfuSide) {
            pushedDtlsIo = new IceDatagramTransport(component.getSocket(), counters, this::markReceived, true);
            component.setBufferCallback(this::onPushed);
        } else {
            pushedDtlsIo = null;
        }
    }

    /** SFU side, made by {@link MediaEndpoint#createTransport}. */
    static Transport onSharedPort(MediaEndpoint endpoint, String name) {
        return new Transport(name, endpoint.certificate(), endpoint, null);
    }

    /**
     * Client side for the Java test client and load generator: ICE controlling agent with its own UDP socket and a
     * host candidate on {@code bindAddress} (loopback works).
     */
    public static Transport client(InetAddress bindAddress, DtlsCertificate cert, String name) {
        return new Transport(name, cert, null, bindAddress);
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
     * Starts ICE, then DTLS, then SRTP on the transport's own thread; returns at once. Watch the state for READY
     * (or FAILED). The receiver gets decrypted packets on that thread.
     */
    public void start(RemoteParameters remote, PacketReceiver receiver) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(receiver, "receiver");
        synchronized (stateLock) {
            if (thread != null || state != TransportState.NEW) {
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
            thread = new Thread(this::runTransport, "transport-" + name);
            thread.setDaemon(true);
        }
        setState(TransportState.CHECKING);
        thread.start();
    }

    /** SRTP-protects a copy of the RTP packet and sends it; dropped and counted unless READY. Thread-safe. */
    public void sendRtp(byte[] buf, int off, int len) {
        send(buf, off, len, false);
    }

    /** SRTCP-protects a copy of the (compound) RTCP packet and sends it; dropped and counted unless READY. */
    public void sendRtcp(byte[] buf, int off, int len) {
        send(buf, off, len, true);
    }

    public TransportState state() {
        return state;
    }

    /**
     * Why the transport failed, else null: "ice-failed", "dtls-fingerprint", "dtls-handshake", "dtls-alert",
     * "socket", "internal-error"; client side also "ice-timeout" and "ice-consent-lost" (peer silent for 30 s).
     */
    public String failureReason() {
        return failureReason;
    }

    /** Called on every state change, on the transport thread or the closing thread; must not block. */
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

    /** Whether any ICE check from the peer has reached us over this protocol (SFU side). */
    public boolean checkedOver(IceProtocol protocol) {
        return (checksSeen & (1 << protocol.ordinal())) != 0;
    }

    /** The shared port saw an ICE check for this transport over {@code protocol}. */
    void noteCheck(IceProtocol protocol) {
        synchronized (stateLock) {
            checksSeen |= 1 << protocol.ordinal();
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

    public Counters counters() {
        return counters.snapshot();
    }

    /** "SRTP_AEAD_AES_128_GCM" or "SRTP_AES128_CM_HMAC_SHA1_80" once READY, else null. */
    public String srtpProfile() {
        return srtpProfile;
    }

    /**
     * Sends DTLS close_notify if keys were made, frees the ICE agent and its sockets, leaves the shared port and
     * stops the transport thread. Idempotent; safe from any thread, including listeners and the receiver.
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
        synchronized (dtlsLock) {
            DTLSTransport goodbye = dtls;
            dtls = null;
            if (goodbye != null && !handshake.peerClosed()) {
                try {
                    goodbye.close(); // close_notify: the peer can drop us now rather than after consent expires
                } catch (IOException | RuntimeException e) {
                    LOG.debug("transport {}: close_notify not sent: {}", name, e.toString());
                }
            }
        }
        synchronized (receiveLock) {
            receiving = false; // no pushed datagram touches SRTP or the receiver after this
        }
        if (pushedDtlsIo != null) {
            pushedDtlsIo.abort();
        }
        agent.removeStateChangeListener(iceStateListener);
        stream.removePairStateChangeListener(pairListener);
        agent.free(); // closes the sockets, which wakes the transport thread
        if (endpoint != null) {
            endpoint.unregister(this);
        }
        Thread t;
        synchronized (stateLock) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("transport {}: thread did not stop within 3 s", name);
            }
        }
        synchronized (sendLock) {
            SrtpSession session = srtp;
            srtp = null;
            if (session != null) {
                session.close();
            }
            TcpSendQueue queue = tcpSendQueue;
            tcpSendQueue = null;
            if (queue != null) {
                queue.close();
            }
        }
        setState(TransportState.CLOSED);
    }

    @Override
    public String toString() {
        return "Transport[" + name + ", " + state + "]";
    }

    // ---- transport thread ----

    private void runTransport() {
        long started = System.nanoTime();
        try {
            agent.startConnectivityEstablishment();
            if (!awaitIce()) {
                return;
            }
            long iceDone = System.nanoTime();
            iceMillis = TimeUnit.NANOSECONDS.toMillis(iceDone - started);
            CandidatePair pair = component.getSelectedPair();
            if (pair != null) {
                selectedLocal = copy(pair.getLocalCandidate().getTransportAddress());
                selectedRemote = copy(pair.getRemoteCandidate().getTransportAddress());
                selectedRemoteType = pair.getRemoteCandidate().getType().toString();
                selectedProtocol = pair.getLocalCandidate().getTransport() == org.ice4j.Transport.TCP
                        ? IceProtocol.TCP : IceProtocol.UDP;
            }
            // Over TCP ice4j's push API is not used: everything arrives on the component socket's connection.
            boolean overTcp = selectedProtocol == IceProtocol.TCP;
            mediaSocket = component.getSocket();
            sendSocket = chooseSendSocket();
            if (overTcp) {
                tcpSendQueue = new TcpSendQueue(name, sendSocket, counters);
            }
            setState(TransportState.CONNECTED);
            dtlsIo = pushed && !overTcp ? pushedDtlsIo
                    : new IceDatagramTransport(mediaSocket, counters, this::markReceived);
            if (!handshake(dtlsIo)) {
                return;
            }
            long now = System.nanoTime();
            // One line per peer: how long set-up took is the first thing to look at when a page stays dark.
            LOG.info("transport {} ready in {} ms (ICE {} ms, DTLS {} ms: {}; {}, remote {} over {})", name,
                    TimeUnit.NANOSECONDS.toMillis(now - started), iceMillis,
                    TimeUnit.NANOSECONDS.toMillis(now - iceDone), dtlsIo.handshakeTraffic(), srtpProfile,
                    selectedRemote, overTcp ? "tcp" : "udp");
            if (pushed) {
                synchronized (receiveLock) {
                    receiving = !stopRequested;
                }
                if (overTcp) {
                    relayTcp();
                } else {
                    watch();
                }
            } else {
                receiveLoop();
            }
        } catch (RuntimeException | Error e) {
            if (!stopRequested) {
                LOG.warn("transport {}: unexpected error", name, e);
                fail("internal-error", e.toString());
            }
        } finally {
            if (state == TransportState.FAILED || dtlsEnded || (handshake != null && handshake.peerClosed())) {
                close();
            }
        }
    }

    /**
     * Waits for ICE to complete; false when it failed, timed out (client side only: on the SFU the media timer
     * decides how long set-up may take) or the transport closes.
     */
    private boolean awaitIce() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(iceTimeoutMillis);
        synchronized (stateLock) {
            while (!iceCompleted && pendingFailure == null && !stopRequested) {
                long left = pushed ? POLL_MILLIS : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    stateLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        if (stopRequested) {
            return false;
        }
        if (pendingFailure != null) {
            fail(pendingFailure, "ICE processing failed");
            return false;
        }
        if (!iceCompleted) {
            fail("ice-timeout", "no ICE connectivity within " + iceTimeoutMillis + " ms");
            return false;
        }
        return true;
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
        dtlsIo.handshakeDone();
        synchronized (dtlsLock) {
            handshake = attempt;
            if (stopRequested) {
                return false;
            }
            dtls = result.transport();
        }
        synchronized (sendLock) {
            srtp = new SrtpSession(result.profile(), result.keyingMaterial(), dtlsClient);
        }
        srtpProfile = result.profile().sdpName;
        setState(TransportState.READY);
        return true;
    }

    /** Client side: reads the socket until the transport ends. */
    private void receiveLoop() {
        DatagramSocket socket = mediaSocket;
        byte[] buffer = new byte[BUFFER_SIZE];
        DatagramPacket packet = new DatagramPacket(buffer, BUFFER_SIZE);
        try {
            socket.setSoTimeout(POLL_MILLIS);
        } catch (IOException e) {
            fail("socket", e.toString());
            return;
        }
        while (!stopRequested) {
            if (!stillAlive()) {
                return;
            }
            packet.setData(buffer, 0, BUFFER_SIZE);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!stopRequested) {
                    fail("socket", e.toString());
                }
                return;
            }
            lastReceivedNanos = System.nanoTime();
            if (!onDatagram(buffer, 0, packet.getLength())) {
                return;
            }
        }
    }

    /**
     * SFU side over ICE-TCP, once READY: reads the connection (through ice4j's component socket, which takes off the
     * RFC 4571 framing and the STUN) and hands each datagram to the media worker, as the UDP port's reader does, so
     * that the packet path stays on one thread for every peer.
     */
    private void relayTcp() {
        DatagramSocket socket = mediaSocket;
        byte[] buffer = new byte[BUFFER_SIZE];
        DatagramPacket packet = new DatagramPacket(buffer, BUFFER_SIZE);
        try {
            socket.setSoTimeout(POLL_MILLIS);
        } catch (IOException e) {
            fail("socket", e.toString());
            return;
        }
        while (!stopRequested && !dtlsEnded && stillAlive()) {
            packet.setData(buffer, 0, BUFFER_SIZE);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!stopRequested) {
                    fail("socket", e.toString());
                }
                return;
            }
            lastReceivedNanos = System.nanoTime();
            int len = packet.getLength();
            if (len > PushedBuffers.SIZE) {
                counters.drop(DropReason.TOO_LARGE);
                continue;
            }
            Buffer pooled = BufferPool.getBuffer.invoke(len);
            System.arraycopy(buffer, packet.getOffset(), pooled.getBuffer(), 0, len);
            pooled.setOffset(0);
            pooled.setLength(len);
            if (!endpoint.worker().hand(workerReceiver, pooled)) {
                counters.drop(DropReason.OVERLOAD);
                BufferPool.returnBuffer.invoke(pooled);
            }
        }
    }

    /** SFU side, once READY: the media worker does the receiving; this thread only notices failure and silence. */
    private void watch() {
        while (!stopRequested && !dtlsEnded && stillAlive()) {
            synchronized (stateLock) {
                if (stopRequested || dtlsEnded) {
                    return;
                }
                try {
                    stateLock.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * False (and FAILED) when ICE reported a failure or, client side, the peer has been silent past the consent
     * timeout. The SFU side leaves silence to the media timer.
     */
    private boolean stillAlive() {
        String failure = pendingFailure;
        if (failure != null) {
            fail(failure, "reported by ICE");
            return false;
        }
        if (pushed) {
            return true;
        }
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReceivedNanos);
        if (silentMillis > consentTimeoutMillis) {
            fail("ice-consent-lost", "nothing from the peer for " + silentMillis + " ms");
            return false;
        }
        return true;
    }

    /**
     * SFU side: a datagram from the shared port's reader thread, for this transport's remote address. Never
     * blocks and never throws (ice4j would hand the buffer back twice). Before READY the handshake takes DTLS
     * records right here; afterwards the endpoint's {@link MediaWorker} runs the packet path, so that the reader
     * only reads.
     */
    private void onPushed(Buffer pushedBuffer) {
        boolean handedOn = false;
        try {
            lastReceivedNanos = System.nanoTime();
            if (receiving) {
                handedOn = endpoint.worker().hand(workerReceiver, pushedBuffer);
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

    /** SFU side, on the {@link MediaWorker}'s thread: one datagram through SRTP to the receiver. */
    private void receivePushed(Buffer pushedBuffer) {
        try {
            synchronized (receiveLock) {
                if (receiving && !onDatagram(pushedBuffer.getBuffer(), pushedBuffer.getOffset(),
                        pushedBuffer.getLength())) {
                    receiving = false;
                    dtlsEnded = true;
                    synchronized (stateLock) {
                        stateLock.notifyAll(); // the transport thread closes
                    }
                }
            }
        } catch (RuntimeException e) {
            counters.drop(DropReason.RECEIVER_ERROR);
            logReceiveFailure(e);
        }
    }

    private void logReceiveFailure(RuntimeException e) {
        if (!receiverErrorLogged) {
            receiverErrorLogged = true;
            LOG.warn("transport {}: receive path failed (logged once)", name, e);
        }
    }

    /** One datagram after the handshake: SRTP/SRTCP to the receiver, DTLS to BC; false when DTLS is over. */
    private boolean onDatagram(byte[] buffer, int off, int len) {
        if (len >= BUFFER_SIZE) {
            counters.drop(DropReason.TOO_LARGE);
            return true;
        }
        SrtpSession session = srtp;
        if (session == null) {
            counters.drop(DropReason.BEFORE_READY);
            return true;
        }
        PacketView view = receiveView;
        switch (PacketKind.of(buffer, off, len)) {
            case PacketKind.RTP -> {
                DropReason drop = session.unprotectRtp(view.reset(buffer, off, len));
                if (drop != null) {
                    counters.drop(drop);
                } else {
                    counters.rtpReceived();
                    deliver(view, false);
                }
            }
            case PacketKind.RTCP -> {
                DropReason drop = session.unprotectRtcp(view.reset(buffer, off, len));
                if (drop != null) {
                    counters.drop(drop);
                } else {
                    counters.rtcpReceived();
                    deliver(view, true);
                }
            }
            case PacketKind.DTLS -> {
                return dtlsRecord(dtlsIo, buffer, off, len, receiveScratch);
            }
            default -> counters.drop(DropReason.NOT_RTP);
        }
        return true;
    }

    /** Lets BC see a DTLS record after the handshake (retransmitted flight, alert); false when DTLS is over. */
    private boolean dtlsRecord(IceDatagramTransport dtlsIo, byte[] buffer, int off, int len, byte[] scratch) {
        synchronized (dtlsLock) {
            DTLSTransport current = dtls;
            if (current == null) {
                return false;
            }
            dtlsIo.offer(buffer, off, len);
            try {
                // 1 ms: BC returns once our one-record transport reports nothing more.
                if (current.receive(scratch, 0, scratch.length, 1) >= 0) {
                    counters.drop(DropReason.DTLS_DATA); // data channels (SCTP over DTLS) are not supported
                }
            } catch (TlsFatalAlertReceived e) {
                dtls = null;
                fail("dtls-alert", "peer sent fatal alert " + e.getAlertDescription());
                return false;
            } catch (IOException | RuntimeException e) {
                counters.drop(DropReason.DTLS_BAD);
            }
            if (handshake.peerClosed()) {
                dtls = null;
                LOG.info("transport {}: peer closed DTLS", name);
                return false;
            }
            return true;
        }
    }

    private void deliver(PacketView view, boolean rtcp) {
        try {
            if (rtcp) {
                receiver.onRtcp(view.getBuffer(), view.getOffset(), view.getLength());
            } else {
                receiver.onRtp(view.getBuffer(), view.getOffset(), view.getLength());
            }
        } catch (RuntimeException e) {
            counters.drop(DropReason.RECEIVER_ERROR);
            if (!receiverErrorLogged) {
                receiverErrorLogged = true;
                LOG.warn("transport {}: packet receiver failed (logged once)", name, e);
            }
        }
    }

    // ---- sending ----

    private void send(byte[] buf, int off, int len, boolean rtcp) {
        if (state != TransportState.READY) {
            counters.drop(DropReason.BEFORE_READY);
            return;
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < (rtcp ? 8 : 12) || (buf[off] & 0xc0) != 0x80) {
            counters.drop(DropReason.NOT_RTP);
            return;
        }
        if (len > MAX_PLAIN) {
            counters.drop(DropReason.TOO_LARGE);
            return;
        }
        synchronized (sendLock) {
            SrtpSession session = srtp;
            if (session == null) {
                counters.drop(DropReason.BEFORE_READY);
                return;
            }
            System.arraycopy(buf, off, sendBuffer, 0, len);
            sendView.reset(sendBuffer, 0, len);
            DropReason drop = rtcp ? session.protectRtcp(sendView) : session.protectRtp(sendView);
            if (drop != null) {
                counters.drop(drop);
                return;
            }
            TcpSendQueue queue = tcpSendQueue;
            if (queue != null) {
                if (!queue.offer(sendView.getBuffer(), sendView.getOffset(), sendView.getLength())) {
                    return; // counted by the queue
                }
            } else {
                sendPacket.setData(sendView.getBuffer(), sendView.getOffset(), sendView.getLength());
                try {
                    sendSocket.send(sendPacket);
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
    }

    /**
     * ice4j's session socket for the selected remote address sends straight on the shared port; the component
     * socket (client side, or if ice4j made none) finds the selected pair itself on every packet.
     */
    private DatagramSocket chooseSendSocket() {
        if (endpoint != null && selectedRemote != null) {
            DatagramSocket session = endpoint.sessionSocket(agent.getLocalUfrag(), selectedRemote);
            if (session != null) {
                return session;
            }
        }
        return mediaSocket;
    }

    // ---- ice4j callbacks (ice4j threads: record and wake, never close from here) ----

    private void onIceStateChange(PropertyChangeEvent event) {
        Object next = event.getNewValue();
        if (next == IceProcessingState.COMPLETED) {
            synchronized (stateLock) {
                iceCompleted = true;
                stateLock.notifyAll();
            }
        } else if (next == IceProcessingState.FAILED) {
            reportFailure("ice-failed");
        }
    }

    /**
     * Our consent check was answered. Failed pairs are deliberately ignored: once ICE has completed, ice4j never
     * leaves COMPLETED/TERMINATED, and a single unanswered check marks even a working selected pair FAILED (seen on
     * loopback). Consent is judged by silence instead, by the transport thread.
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
