package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;

/**
 * A man in the middle on loopback: the client talks to the relay, the relay forwards both ways, and the server
 * sees the relay as the peer. Lets tests replay, forge or inject datagrams on an established path, or cut it.
 */
final class UdpRelay implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final Thread thread;
    private volatile SocketAddress client;
    private volatile boolean forwarding = true;
    private volatile byte[] lastClientRtp;
    private volatile boolean closed;
    private volatile int dropTrigger = -1;
    private volatile int dropBudget;
    private volatile int dropped;

    UdpRelay(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::run, "udp-relay");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Copy of the last SRTP packet (not SRTCP) the client sent through us. */
    byte[] lastClientRtp() {
        return lastClientRtp;
    }

    /** Sends raw bytes to the server as if they came from the client's path. */
    void injectToServer(byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, server));
    }

    /**
     * Loses {@code count} DTLS datagrams from the server, starting with the first whose first byte is
     * {@code firstByte} (20 = change_cipher_spec: the start of the server's final flight).
     */
    void loseServerDtls(int firstByte, int count) {
        dropBudget = count;
        dropTrigger = firstByte;
    }

    int dropped() {
        return dropped;
    }

    /** Stops forwarding in both directions: the path dies silently, as if the peer vanished. */
    void cut() {
        forwarding = false;
    }

    private void run() {
        byte[] buf = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            packet.setData(buf, 0, buf.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            if (!forwarding) {
                continue;
            }
            boolean fromServer = packet.getSocketAddress().equals(server);
            SocketAddress target;
            if (fromServer && shouldLose(buf, packet.getLength())) {
                dropped++;
                continue;
            }
            if (fromServer) {
                target = client;
                if (target == null) {
                    continue;
                }
            } else {
                client = packet.getSocketAddress();
                target = server;
                if (PacketKind.of(buf, 0, packet.getLength()) == PacketKind.RTP) {
                    lastClientRtp = Arrays.copyOf(buf, packet.getLength());
                }
            }
            try {
                socket.send(new DatagramPacket(buf, 0, packet.getLength(), target));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private boolean shouldLose(byte[] buf, int len) {
        if (dropBudget <= 0 || PacketKind.of(buf, 0, len) != PacketKind.DTLS) {
            return false;
        }
        if (dropTrigger >= 0) {
            if ((buf[0] & 0xff) != dropTrigger) {
                return false;
            }
            dropTrigger = -1; // triggered: lose this one and the next ones up to the budget
        }
        dropBudget--;
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        socket.close();
        thread.join(2000);
    }
}
