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
 * A bad network path on loopback for tests: listens on 127.0.0.2 and relays each client's datagrams to the server
 * from a socket of its own (the server sees it as the client's peer-reflexive address), dropping a share of
 * packets in both directions and delaying the rest, and optionally shaping what goes to the client to a rate, as a
 * slow downlink does: packets wait in a queue of bounded delay and the ones that do not fit are dropped. Stands in
 * for netem where the kernel has none. A page reaches the server through it with {@link #pageShim}.
 */
final class UdpRelay implements AutoCloseable {
    private final DatagramSocket front;
    private final InetSocketAddress server;
    private final Map<SocketAddress, DatagramSocket> upstream = new ConcurrentHashMap<>();
    private final ScheduledExecutorService delay = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "udp-relay-delay");
        t.setDaemon(true);
        return t;
    });
    private volatile double loss;
    /** Server → client rate in bits per second; 0 = unlimited. */
    private volatile long downlinkBps;
    private volatile long queueNanos;
    /** When the shaped downlink is free again (System.nanoTime); the back threads' only, under this lock. */
    private final Object shaper = new Object();
    private long downlinkFreeAt;
    private long shapedDrops;
    private final long delayMillis;
    private volatile boolean closed;

    UdpRelay(InetSocketAddress server, long delayMillis) throws IOException {
        this.server = server;
        this.delayMillis = delayMillis;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        Thread t = new Thread(this::clientToServer, "udp-relay-front");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return front.getLocalPort();
    }

    /**
     * Shapes the server → client direction to {@code bitsPerSecond} with a queue that holds at most
     * {@code queue} of delay (a drop-tail bottleneck, as a Wi-Fi link or a DSL line); 0 lifts the limit.
     */
    void downlink(long bitsPerSecond, java.time.Duration queue) {
        this.queueNanos = queue.toNanos();
        this.downlinkBps = bitsPerSecond;
    }

    /** Packets the shaped downlink dropped because its queue was full. */
    long shapedDrops() {
        synchronized (shaper) {
            return shapedDrops;
        }
    }

    /** Share of packets dropped in each direction, 0..1. */
    void loss(double share) {
        this.loss = share;
    }

    private boolean lost() {
        return ThreadLocalRandom.current().nextDouble() < loss;
    }

    private void later(DatagramSocket via, byte[] data, SocketAddress to) {
        later(via, data, to, TimeUnit.MILLISECONDS.toNanos(delayMillis));
    }

    /** Towards the client: through the shaper first, when one is set. */
    private void down(byte[] data, SocketAddress client) {
        long rate = downlinkBps;
        long wait = 0;
        if (rate > 0) {
            synchronized (shaper) {
                long now = System.nanoTime();
                long start = Math.max(now, downlinkFreeAt);
                if (start - now > queueNanos) {
                    shapedDrops++;
                    return;
                }
                downlinkFreeAt = start + data.length * 8L * 1_000_000_000L / rate;
                wait = downlinkFreeAt - now;
            }
        }
        later(front, data, client, TimeUnit.MILLISECONDS.toNanos(delayMillis) + wait);
    }

    private void later(DatagramSocket via, byte[] data, SocketAddress to, long delayNanos) {
        delay.schedule(() -> {
            try {
                via.send(new DatagramPacket(data, data.length, to));
            } catch (IOException ignored) {
                // the relay is closing
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
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
                            down(java.util.Arrays.copyOf(p.getData(), p.getLength()), client);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "udp-relay-back");
            t.setDaemon(true);
            t.start();
            return up;
        } catch (SocketException e) {
            return null;
        }
    }

    /**
     * A script for a page (an init script, before the page's own) that makes it reach the server's media on
     * {@code mediaPort} through a relay on {@code relayPort}: the server's candidate in remote SDPs is rewritten.
     */
    static String pageShim(int mediaPort, int relayPort) {
        return """
                (() => {
                  const from = '127.0.0.1 %d typ host', to = '127.0.0.2 %d typ host';
                  const fix = d => d && d.sdp ? { type: d.type, sdp: d.sdp.replaceAll(from, to) } : d;
                  const set = RTCPeerConnection.prototype.setRemoteDescription;
                  RTCPeerConnection.prototype.setRemoteDescription = function (d, ...rest) { return set.call(this, fix(d), ...rest); };
                })();
                """.formatted(mediaPort, relayPort);
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        upstream.values().forEach(DatagramSocket::close);
        delay.shutdownNow();
    }
}
