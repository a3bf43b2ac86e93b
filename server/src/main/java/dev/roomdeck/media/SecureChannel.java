package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Objects;
import java.util.function.BiConsumer;

import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport's media path once DTLS has made the keys: demultiplexing by first byte (RFC 7983: DTLS, RTP, RTCP,
 * anything else dropped and counted), SRTP/SRTCP through {@link SrtpSession}, the traffic counters, and sending
 * (protect into its own buffer, then out through a {@link Sink}). Both ends of a connection use this one class:
 * {@link PeerTransport} on the SFU and the Java client's transport (server tests and the load generator), so the
 * client measures the same code the server runs and there is one copy of it, not two. How the path is found (ICE)
 * and how the handshake runs stay with each transport.
 *
 * <p>Thread-safety: one receiving thread at a time ({@link #receive} takes a lock, so that {@link #close} never
 * frees SRTP under a packet); sending from any thread.
 */
final class SecureChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SecureChannel.class);
    /** Bigger than anything a path hands on (ice4j's shared-port reader takes 1472 bytes at most). */
    static final int BUFFER_SIZE = 2048;
    /** Room for the SRTP tag and the SRTCP index on top of a plain packet. */
    private static final int MAX_PLAIN = BUFFER_SIZE - 64;

    /** Where protected datagrams go: a socket, a channel, or an ICE-TCP send queue. */
    @FunctionalInterface
    interface Sink {
        /** Sends one datagram; false when it was not sent and the sink has counted why. */
        boolean send(byte[] buf, int off, int len) throws IOException;

        /** A connected socket (ICE's component socket); a packet object per datagram, so not for media. */
        static Sink of(DatagramSocket socket) {
            return (buf, off, len) -> {
                socket.send(new DatagramPacket(buf, off, len));
                return true;
            };
        }
    }

    private final String name;
    private final PacketCounters counters;
    /** Set by {@link #open}, before any packet is delivered. */
    private volatile PacketReceiver receiver;
    /** Told (reason, detail) when the peer ends DTLS with a fatal alert. */
    private final BiConsumer<String, String> onFailure;

    /** Bouncy Castle's DTLS record layer is single-threaded: receive path and close take turns. */
    private final Object dtlsLock = new Object();
    private final Object sendLock = new Object();
    /** One datagram at a time through the receive path; close takes it to stop receiving before freeing SRTP. */
    private final Object receiveLock = new Object();

    private final PacketView receiveView = new PacketView();
    private final byte[] receiveScratch = new byte[BUFFER_SIZE];
    private final byte[] sendBuffer = new byte[BUFFER_SIZE];
    private final PacketView sendView = new PacketView();

    private volatile SrtpSession srtp;
    private volatile String srtpProfile;
    private volatile boolean open;
    private volatile boolean closed;
    private Sink sink;
    private DTLSTransport dtls;
    private DtlsHandshake handshake;
    private IceDatagramTransport dtlsRecords;
    private volatile boolean receiverErrorLogged;

    SecureChannel(String name, PacketCounters counters, BiConsumer<String, String> onFailure) {
        this.name = Objects.requireNonNull(name, "name");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * The handshake is done: keys in, media may flow to {@code packets}. {@code records} is the handshake's datagram
     * transport, which from now on gets later DTLS records (retransmitted flights, alerts) one at a time. False when
     * the channel was closed meanwhile.
     */
    boolean open(DtlsHandshake done, DtlsHandshake.Result result, boolean dtlsClient, IceDatagramTransport records,
                 Sink out, PacketReceiver packets) {
        records.handshakeDone();
        receiver = Objects.requireNonNull(packets, "packets");
        synchronized (dtlsLock) {
            if (closed) {
                return false;
            }
            handshake = done;
            dtls = result.transport();
            dtlsRecords = records;
        }
        synchronized (sendLock) {
            if (closed) {
                return false;
            }
            sink = out;
            srtp = new SrtpSession(result.profile(), result.keyingMaterial(), dtlsClient);
        }
        srtpProfile = result.profile().sdpName;
        synchronized (receiveLock) {
            open = !closed;
        }
        return open;
    }

    /** Whether datagrams go through {@link #receive} (keys made, DTLS not over, not closed). */
    boolean isOpen() {
        return open;
    }

    /** "SRTP_AEAD_AES_128_GCM" or "SRTP_AES128_CM_HMAC_SHA1_80" once open, else null. */
    String srtpProfile() {
        return srtpProfile;
    }

    /** Whether the peer sent DTLS close_notify. */
    boolean peerClosed() {
        DtlsHandshake h;
        synchronized (dtlsLock) {
            h = handshake;
        }
        return h != null && h.peerClosed();
    }

    /**
     * One datagram from the peer: SRTP/SRTCP to the receiver, DTLS to Bouncy Castle, the rest dropped and counted.
     * False when DTLS is over (the peer closed it or sent a fatal alert): the caller closes its transport.
     */
    boolean receive(byte[] buffer, int off, int len) {
        try {
            synchronized (receiveLock) {
                if (!open) {
                    return true;
                }
                if (!demultiplex(buffer, off, len)) {
                    open = false;
                    return false;
                }
            }
        } catch (RuntimeException e) {
            counters.drop(DropReason.RECEIVER_ERROR);
            logReceiveFailure(e);
        }
        return true;
    }

    private boolean demultiplex(byte[] buffer, int off, int len) {
        if (len >= BUFFER_SIZE) {
            counters.drop(DropReason.TOO_LARGE);
            return true;
        }
        SrtpSession session = srtp;
        if (session == null) {
            counters.drop(DropReason.BEFORE_READY);
            return true;
        }
        int kind = PacketKind.of(buffer, off, len);
        if (kind == PacketKind.DTLS) {
            return dtlsRecord(buffer, off, len);
        }
        if (kind == PacketKind.OTHER) {
            counters.drop(DropReason.NOT_RTP);
            return true;
        }
        boolean rtcp = kind == PacketKind.RTCP;
        PacketView view = receiveView.reset(buffer, off, len);
        DropReason drop = rtcp ? session.unprotectRtcp(view) : session.unprotectRtp(view);
        if (drop != null) {
            counters.drop(drop);
            return true;
        }
        if (rtcp) {
            counters.rtcpReceived();
        } else {
            counters.rtpReceived();
        }
        deliver(view, rtcp);
        return true;
    }

    /** Lets BC see a DTLS record after the handshake (retransmitted flight, alert); false when DTLS is over. */
    private boolean dtlsRecord(byte[] buffer, int off, int len) {
        synchronized (dtlsLock) {
            DTLSTransport current = dtls;
            if (current == null) {
                return false;
            }
            dtlsRecords.offer(buffer, off, len);
            try {
                // 1 ms: BC returns once our one-record transport reports nothing more.
                if (current.receive(receiveScratch, 0, receiveScratch.length, 1) >= 0) {
                    counters.drop(DropReason.DTLS_DATA); // data channels (SCTP over DTLS) are not supported
                }
            } catch (TlsFatalAlertReceived e) {
                dtls = null;
                onFailure.accept("dtls-alert", "peer sent fatal alert " + e.getAlertDescription());
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
            logReceiveFailure(e);
        }
    }

    private void logReceiveFailure(RuntimeException e) {
        if (!receiverErrorLogged) {
            receiverErrorLogged = true;
            LOG.warn("transport {}: receive path failed (logged once)", name, e);
        }
    }

    /** SRTP-protects a copy of the RTP packet and sends it; dropped and counted unless open. Thread-safe. */
    void sendRtp(byte[] buf, int off, int len) {
        send(buf, off, len, false);
    }

    /** SRTCP-protects a copy of the (compound) RTCP packet and sends it; dropped and counted unless open. */
    void sendRtcp(byte[] buf, int off, int len) {
        send(buf, off, len, true);
    }

    private void send(byte[] buf, int off, int len, boolean rtcp) {
        if (srtp == null) {
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
            try {
                if (!sink.send(sendView.getBuffer(), sendView.getOffset(), sendView.getLength())) {
                    return; // counted by the sink
                }
            } catch (IOException e) {
                counters.drop(DropReason.SEND_FAILED);
                return;
            }
            if (rtcp) {
                counters.rtcpSent();
            } else {
                counters.rtpSent();
            }
        }
    }

    /** Sends DTLS close_notify if the handshake made keys and the peer has not closed first. */
    void sayGoodbye() {
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
    }

    /** Stops receiving (no datagram touches SRTP or the receiver after this returns), then frees SRTP. Idempotent. */
    void close() {
        synchronized (dtlsLock) {
            closed = true;
        }
        synchronized (receiveLock) {
            open = false;
        }
        synchronized (sendLock) {
            SrtpSession session = srtp;
            srtp = null;
            if (session != null) {
                session.close();
            }
        }
    }
}
