package dev.roomdeck.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ice4j.TransportAddress;

/**
 * The SFU's one UDP port, shared by every peer's {@link Transport}: one ice4j single-port harvester per host
 * address, all on the same port number. A new peer is told apart by the ufrag in its first ICE check, later
 * packets by their source address.
 */
public final class MediaEndpoint implements AutoCloseable {
    private final List<SharedPortHarvester> harvesters;
    private final int port;
    private final InetAddress announcedAddress;
    private final DtlsCertificate certificate;
    private final TrafficCounters counters;
    private final MediaWorker worker;
    private final Set<Transport> transports = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MediaEndpoint(List<SharedPortHarvester> harvesters, int port, InetAddress announcedAddress,
                          DtlsCertificate certificate, TrafficCounters counters) {
        this.harvesters = harvesters;
        this.port = port;
        this.announcedAddress = announcedAddress;
        this.certificate = certificate;
        this.counters = counters;
        this.worker = new MediaWorker("media-worker-" + port, counters);
    }

    /**
     * Binds the shared port on each host address (the browser reaches us there: loopback only when given).
     *
     * @param port             0 picks a free port (the same number is then used on every address)
     * @param announcedAddress nullable; for a 1:1 NAT, the public address announced as an extra candidate
     * @throws UncheckedIOException when an address/port cannot be bound (already in use, not local)
     */
    public static MediaEndpoint open(List<InetAddress> hostAddresses, int port, InetAddress announcedAddress,
                                     DtlsCertificate cert) {
        StackSettings.apply();
        Objects.requireNonNull(cert, "cert");
        if (hostAddresses == null || hostAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one host address is needed");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        TrafficCounters counters = new TrafficCounters(null);
        List<SharedPortHarvester> harvesters = new ArrayList<>();
        int boundPort = port;
        try {
            for (InetAddress address : hostAddresses) {
                SharedPortHarvester harvester = new SharedPortHarvester(
                        new TransportAddress(address, boundPort, org.ice4j.Transport.UDP), counters);
                harvesters.add(harvester);
                boundPort = harvester.getLocalAddress().getPort();
            }
        } catch (IOException e) {
            harvesters.forEach(SharedPortHarvester::close);
            throw new UncheckedIOException("cannot bind UDP " + hostAddresses + " port " + boundPort, e);
        }
        return new MediaEndpoint(List.copyOf(harvesters), boundPort, announcedAddress, cert, counters);
    }

    public int port() {
        return port;
    }

    public InetAddress announcedAddress() {
        return announcedAddress;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** A new ICE-controlled transport on this port with freshly generated ufrag/pwd. */
    public Transport createTransport(String name) {
        if (closed) {
            throw new IllegalStateException("media endpoint is closed");
        }
        Transport transport = Transport.onSharedPort(this, name);
        transports.add(transport);
        if (closed) { // lost a race with close()
            transport.close();
            throw new IllegalStateException("media endpoint is closed");
        }
        return transport;
    }

    /** Transports created here and not yet closed. */
    public int transportCount() {
        return transports.size();
    }

    /** Totals over all transports ever made here, plus drops the port itself saw (unknown ufrag). */
    public Counters counters() {
        return counters.snapshot();
    }

    /** Closes every transport, then the port. */
    @Override
    public void close() {
        closed = true;
        for (Transport transport : List.copyOf(transports)) {
            transport.close();
        }
        harvesters.forEach(SharedPortHarvester::close);
        worker.close();
    }

    /**
     * The most media datagrams that waited at once for the packet path since the port opened: near
     * {@link MediaWorker#CAPACITY}, the server is short of CPU.
     */
    public int deepestBacklog() {
        return worker.deepestBacklog();
    }

    MediaWorker worker() {
        return worker;
    }

    List<SharedPortHarvester> harvesters() {
        return harvesters;
    }

    TrafficCounters trafficCounters() {
        return counters;
    }

    void unregister(Transport transport) {
        transports.remove(transport);
        harvesters.forEach(h -> h.forget(transport.localUfrag()));
    }

    /** ice4j's session socket for this transport's selected remote address, or null (then use the component's). */
    DatagramSocket sessionSocket(String ufrag, InetSocketAddress remote) {
        for (SharedPortHarvester harvester : harvesters) {
            DatagramSocket socket = harvester.sessionSocket(ufrag, remote);
            if (socket != null) {
                return socket;
            }
        }
        return null;
    }
}
