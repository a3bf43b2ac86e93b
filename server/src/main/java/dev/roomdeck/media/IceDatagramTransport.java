package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;

import org.bouncycastle.tls.DatagramTransport;

/**
 * What Bouncy Castle's DTLS sees of the ICE socket. During the handshake it reads the socket itself and passes
 * on DTLS records only (early media is dropped and counted). Afterwards the transport's receive loop owns the
 * socket and hands DTLS records (retransmissions, alerts) in one at a time through {@link #offer}.
 */
final class IceDatagramTransport implements DatagramTransport {
    /** Keeps handshake flights below common path MTUs; BC fragments handshake messages to fit. */
    private static final int SEND_LIMIT = 1200;
    private static final int RECEIVE_LIMIT = 1500;

    private final DatagramSocket socket;
    private final TrafficCounters counters;
    private final Runnable onReceive;
    private final byte[] handshakeBuffer = new byte[RECEIVE_LIMIT];
    private final DatagramPacket handshakePacket = new DatagramPacket(handshakeBuffer, RECEIVE_LIMIT);

    private volatile boolean handshakeDone;
    private byte[] pending;
    private int pendingOffset;
    private int pendingLength;

    IceDatagramTransport(DatagramSocket socket, TrafficCounters counters, Runnable onReceive) {
        this.socket = socket;
        this.counters = counters;
        this.onReceive = onReceive;
    }

    /** From now on the receive loop reads the socket; DTLS only gets what is offered. */
    void handshakeDone() {
        handshakeDone = true;
    }

    /** Makes one received DTLS record available to the next {@link #receive} (receive thread only). */
    void offer(byte[] buf, int off, int len) {
        pending = buf;
        pendingOffset = off;
        pendingLength = len;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (handshakeDone) {
            byte[] data = pending;
            if (data == null) {
                return -1;
            }
            pending = null;
            int n = Math.min(len, pendingLength);
            System.arraycopy(data, pendingOffset, buf, off, n);
            return n;
        }
        // waitMillis 0 means "no limit" to BC; the handshake timeout still bounds the whole exchange.
        long deadline = waitMillis > 0 ? System.nanoTime() + waitMillis * 1_000_000L : Long.MAX_VALUE;
        while (true) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (remainingMillis <= 0) {
                return -1;
            }
            socket.setSoTimeout((int) Math.min(remainingMillis, 500));
            handshakePacket.setData(handshakeBuffer, 0, RECEIVE_LIMIT);
            try {
                socket.receive(handshakePacket);
            } catch (SocketTimeoutException e) {
                continue;
            }
            onReceive.run();
            int n = handshakePacket.getLength();
            switch (PacketKind.of(handshakeBuffer, 0, n)) {
                case PacketKind.DTLS -> {
                    if (n > len) {
                        counters.drop(DropReason.TOO_LARGE);
                        continue;
                    }
                    System.arraycopy(handshakeBuffer, 0, buf, off, n);
                    return n;
                }
                case PacketKind.RTP, PacketKind.RTCP -> counters.drop(DropReason.BEFORE_READY);
                default -> counters.drop(DropReason.NOT_RTP);
            }
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        socket.send(new DatagramPacket(buf, off, len));
    }

    @Override
    public void close() {
        // The ICE socket belongs to the Agent; the Transport closes it.
    }
}
