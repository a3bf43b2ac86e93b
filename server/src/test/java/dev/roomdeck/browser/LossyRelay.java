package dev.roomdeck.browser;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A lossy, delaying UDP path on loopback for tests: listens on 127.0.0.2 and relays each client's datagrams to
 * the server from a socket of its own (the server sees it as the client's peer-reflexive address), dropping a
 * share of packets in both directions and delaying the rest. Stands in for netem where the kernel has none.
 */
final class LossyRelay implements AutoCloseable {
    private final DatagramSocket front;
    private final InetSocketAddress server;
    private final Map<SocketAddress, DatagramSocket> upstream = new ConcurrentHashMap<>();
    private final ScheduledExecutorService delay = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lossy-relay-delay");
        t.setDaemon(true);
        return t;
    });
    private volatile double loss;
    private final long delayMillis;
    private volatile boolean closed;

    LossyRelay(InetSocketAddress server, long delayMillis) throws IOException {
        this.server = server;
        this.delayMillis = delayMillis;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        Thread t = new Thread(this::clientToServer, "lossy-relay-front");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return front.getLocalPort();
    }

    /** Share of packets dropped in each direction, 0..1. */
    void loss(double share) {
        this.loss = share;
    }

    private boolean lost() {
        return ThreadLocalRandom.current().nextDouble() < loss;
    }

    private void later(DatagramSocket via, byte[] data, SocketAddress to) {
        delay.schedule(() -> {
            try {
                via.send(new DatagramPacket(data, data.length, to));
            } catch (IOException ignored) {
                // the relay is closing
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void clientToServer() {
        byte[] buf = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                front.receive(p);
                SocketAddress client = p.getSocketAddress();
                DatagramSocket up = upstream.computeIfAbsent(client, this::open);
                if (up != null && !lost()) {
                    later(up, java.util.Arrays.copyOf(p.getData(), p.getLength()), server);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private DatagramSocket open(SocketAddress client) {
        try {
            DatagramSocket up = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (!closed) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        up.receive(p);
                        if (!lost()) {
                            later(front, java.util.Arrays.copyOf(p.getData(), p.getLength()), client);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "lossy-relay-back");
            t.setDaemon(true);
            t.start();
            return up;
        } catch (SocketException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        upstream.values().forEach(DatagramSocket::close);
        delay.shutdownNow();
    }
}
