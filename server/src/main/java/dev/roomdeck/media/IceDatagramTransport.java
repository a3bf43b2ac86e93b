package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;

/**
 * What Bouncy Castle's DTLS sees of the ICE socket. During the handshake it passes on DTLS records only (early
 * media is dropped and counted): read from the socket itself (an ICE-TCP connection), or pushed in through {@link
 * #push} by whoever reads the socket (the shared port's reader thread, where nothing may block; the Java client's
 * read loop). Afterwards {@link SecureChannel} hands DTLS records (retransmissions, alerts) in one at a time
 * through {@link #offer}.
 */
final class IceDatagramTransport implements DatagramTransport {
    /** Keeps handshake flights below common path MTUs; BC fragments handshake messages to fit. */
    private static final int SEND_LIMIT = 1200;
    private static final int RECEIVE_LIMIT = 1500;

    /** Client side only: the socket the handshake reads; null when records are pushed in. */
    private final DatagramSocket socket;
    private final SecureChannel.Sink out;
    private final PacketCounters counters;
    private final Runnable onReceive;
    /** SFU side: DTLS records pushed in before the handshake reads them; null when this reads the socket. */
    private final BlockingQueue<byte[]> pushed;
    private final byte[] handshakeBuffer = new byte[RECEIVE_LIMIT];
    private final DatagramPacket handshakePacket = new DatagramPacket(handshakeBuffer, RECEIVE_LIMIT);

    private volatile boolean handshakeDone;
    /** DTLS records that reached the handshake, and datagrams it sent (flights and their retransmissions). */
    private volatile int recordsIn;
    private volatile int datagramsOut;
    private volatile boolean aborted;
    private byte[] pending;
    private int pendingOffset;
    private int pendingLength;

    /** Reads the handshake from {@code socket} and sends on it (ICE-TCP, where the connection is read directly). */
    IceDatagramTransport(DatagramSocket socket, PacketCounters counters, Runnable onReceive) {
        this.socket = socket;
        this.out = SecureChannel.Sink.of(socket);
        this.counters = counters;
        this.onReceive = onReceive;
        this.pushed = null;
    }

    /** The handshake arrives through {@link #push}; {@code out} sends. */
    IceDatagramTransport(SecureChannel.Sink out, PacketCounters counters) {
        this.socket = null;
        this.out = out;
        this.counters = counters;
        this.onReceive = () -> { };
        // A handshake flight is a handful of records; more than this waiting means nobody is reading them.
        this.pushed = new ArrayBlockingQueue<>(32);
    }

    /** The transport is closing: a handshake waiting for pushed records ends with an IOException. */
    void abort() {
        aborted = true;
        if (pushed != null) {
            pushed.offer(new byte[0]); // wakes the waiting handshake
        }
    }

    /** A datagram that arrived before the handshake ended (reader thread; never blocks). */
    void push(byte[] buf, int off, int len) {
        switch (PacketKind.of(buf, off, len)) {
            case PacketKind.DTLS -> {
                byte[] copy = new byte[len]; // a few per handshake
                System.arraycopy(buf, off, copy, 0, len);
                if (!pushed.offer(copy)) {
                    counters.drop(DropReason.DTLS_BAD);
                } else {
                    recordsIn++; // the reader thread is the only writer
                }
            }
            case PacketKind.RTP, PacketKind.RTCP -> counters.drop(DropReason.BEFORE_READY);
            default -> counters.drop(DropReason.NOT_RTP);
        }
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
        if (pushed != null) {
            return receivePushed(buf, off, len, deadline);
        }
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
                    recordsIn++;
                    System.arraycopy(handshakeBuffer, 0, buf, off, n);
                    return n;
                }
                case PacketKind.RTP, PacketKind.RTCP -> counters.drop(DropReason.BEFORE_READY);
                default -> counters.drop(DropReason.NOT_RTP);
            }
        }
    }

    private int receivePushed(byte[] buf, int off, int len, long deadline) throws IOException {
        while (true) {
            if (aborted) {
                throw new IOException("transport closed during the DTLS handshake");
            }
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (remainingMillis <= 0) {
                return -1;
            }
            byte[] record;
            try {
                record = pushed.poll(Math.min(remainingMillis, 500), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("DTLS handshake interrupted");
            }
            if (record == null || record.length == 0) {
                continue;
            }
            if (record.length > len) {
                counters.drop(DropReason.TOO_LARGE);
                continue;
            }
            System.arraycopy(record, 0, buf, off, record.length);
            return record.length;
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (!handshakeDone) {
            datagramsOut++; // the handshake thread is the only writer until then
        }
        out.send(buf, off, len);
    }

    /** "4 records in, 6 datagrams out": whether a slow handshake waited on the peer or lost our flights. */
    String handshakeTraffic() {
        return recordsIn + " records in, " + datagramsOut + " datagrams out";
    }

    @Override
    public void close() {
        // The socket belongs to the transport, which closes it.
    }
}
