package dev.roomdeck.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The SFU's one media port number, shared by every peer's {@link PeerTransport}: per host address, one ice4j
 * single-port UDP harvester and (unless switched off) one passive ICE-TCP listener on the same number, for
 * networks that drop UDP. A new peer is told apart by the ufrag in its first ICE check, later packets by their
 * source address (UDP) or their connection (TCP).
 *
 * <p>The host addresses can change while the server runs ({@link #useAddresses}): the PC's DHCP lease moves, or
 * it goes from Wi-Fi to cable. New transports then announce the new addresses; transports already connected keep
 * the path they have while it works.
 */
public final class MediaEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEndpoint.class);

    /** The sockets of one host address: UDP always, TCP when on and bindable. */
    private record HostSockets(InetAddress address, SharedPortHarvester udp, SharedPortTcpHarvester tcp,
                               String tcpProblem) {
        void close() {
            udp.close();
            if (tcp != null) {
                tcp.close();
            }
        }
    }

    private final int port;
    private final boolean iceTcp;
    private final InetAddress announcedAddress;
    private final DtlsCertificate certificate;
    private final PacketCounters counters;
    private final MediaWorker worker;
    /** Replaced as a whole on an address change; transports read it once, when made. */
    private volatile List<HostSockets> hosts;
    /**
     * Addresses no longer announced whose sockets still carry a connected peer (e.g. loopback, which a room display
     * on this PC joined through before the PC got a LAN address): kept bound until that peer is gone.
     */
    private volatile List<HostSockets> retired = List.of();
    private final Set<PeerTransport> transports = ConcurrentHashMap.newKeySet();
    private final Map<String, PeerTransport> byUfrag = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MediaEndpoint(List<HostSockets> hosts, int port, boolean iceTcp, InetAddress announcedAddress,
                          DtlsCertificate certificate, PacketCounters counters) {
        this.hosts = hosts;
        this.port = port;
        this.iceTcp = iceTcp;
        this.announcedAddress = announcedAddress;
        this.certificate = certificate;
        this.counters = counters;
        this.worker = new MediaWorker("media-worker-" + port, counters);
    }

    /** UDP and ICE-TCP on every host address (see {@link #open(List, int, InetAddress, DtlsCertificate, boolean)}). */
    public static MediaEndpoint open(List<InetAddress> hostAddresses, int port, InetAddress announcedAddress,
                                     DtlsCertificate cert) {
        return open(hostAddresses, port, announcedAddress, cert, true);
    }

    /**
     * Binds the shared port on each host address (the browser reaches us there: loopback only when given).
     *
     * @param port             0 picks a free port (the same number is then used on every address, UDP and TCP)
     * @param announcedAddress nullable; for a 1:1 NAT, the public address announced as an extra candidate
     * @param iceTcp           also listen for ICE over TCP on the same port number; a TCP port that cannot be bound
     *                         is reported by {@link #problems()}, not fatal (UDP is what most peers use)
     * @throws UncheckedIOException when a UDP address/port cannot be bound (already in use, not local)
     */
    public static MediaEndpoint open(List<InetAddress> hostAddresses, int port, InetAddress announcedAddress,
                                     DtlsCertificate cert, boolean iceTcp) {
        StackSettings.apply();
        Objects.requireNonNull(cert, "cert");
        if (hostAddresses == null || hostAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one host address is needed");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        PacketCounters counters = new PacketCounters(null);
        // The sockets call back into the endpoint, which needs the bound port first: until it exists (no transport
        // does either), a callback has nothing to tell.
        MediaEndpoint[] self = new MediaEndpoint[1];
        Consumer<String> onUdp = ufrag -> {
            MediaEndpoint endpoint = self[0];
            if (endpoint != null) {
                endpoint.udpChecked(ufrag);
            }
        };
        Predicate<String> onTcp = ufrag -> {
            MediaEndpoint endpoint = self[0];
            return endpoint != null && endpoint.tcpConnected(ufrag);
        };
        List<HostSockets> hosts = new ArrayList<>();
        int boundPort = port;
        try {
            for (InetAddress address : hostAddresses) {
                HostSockets host = bind(address, boundPort, iceTcp, counters, onUdp, onTcp);
                hosts.add(host);
                boundPort = host.udp().getLocalAddress().getPort();
            }
        } catch (IOException e) {
            hosts.forEach(HostSockets::close);
            throw new UncheckedIOException("cannot bind UDP " + hostAddresses + " port " + boundPort, e);
        }
        self[0] = new MediaEndpoint(List.copyOf(hosts), boundPort, iceTcp, announcedAddress, cert, counters);
        return self[0];
    }

    private static HostSockets bind(InetAddress address, int port, boolean iceTcp, PacketCounters counters,
                                    Consumer<String> onUdp, Predicate<String> onTcp) throws IOException {
        SharedPortHarvester udp = new SharedPortHarvester(
                new TransportAddress(address, port, org.ice4j.Transport.UDP), counters, onUdp);
        int bound = udp.getLocalAddress().getPort();
        if (!iceTcp) {
            return new HostSockets(address, udp, null, null);
        }
        try {
            SharedPortTcpHarvester tcp = new SharedPortTcpHarvester(
                    new TransportAddress(address, bound, org.ice4j.Transport.TCP), counters, onTcp);
            return new HostSockets(address, udp, tcp, null);
        } catch (IOException e) {
            String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress();
            String problem = "TCP " + host + ":" + bound + " cannot be bound (" + e.getMessage()
                    + "): peers whose network blocks UDP cannot connect";
            LOG.warn("ICE over TCP unavailable: {}", problem);
            return new HostSockets(address, udp, null, problem);
        }
    }

    public int port() {
        return port;
    }

    /** Whether ICE over TCP was asked for (see {@link #problems()} for whether it could be bound everywhere). */
    public boolean iceTcp() {
        return iceTcp;
    }

    /** The host addresses announced to new peers now. */
    public List<InetAddress> hostAddresses() {
        return hosts.stream().map(HostSockets::address).toList();
    }

    /** What the operator should know about the sockets: e.g. a TCP listener that could not be bound. */
    public List<String> problems() {
        return hosts.stream().map(HostSockets::tcpProblem).filter(Objects::nonNull).toList();
    }

    /**
     * Follows the PC's addresses: binds the port on addresses that are new, closes it on those that are gone (once
     * no connected peer uses them), keeps the rest. New transports announce exactly these from now on.
     *
     * @return false when a new address could not be bound on the port number (then it is left out, logged)
     */
    public synchronized boolean useAddresses(List<InetAddress> addresses) {
        if (closed || addresses.isEmpty()) {
            return false;
        }
        List<HostSockets> next = new ArrayList<>();
        boolean allBound = true;
        for (InetAddress address : addresses) {
            HostSockets kept = java.util.stream.Stream.concat(hosts.stream(), retired.stream())
                    .filter(h -> h.address().equals(address)).findFirst().orElse(null);
            if (kept != null) {
                next.add(kept);
                continue;
            }
            try {
                next.add(bind(address, port, iceTcp, counters, this::udpChecked, this::tcpConnected));
            } catch (IOException e) {
                allBound = false;
                LOG.warn("media port {} cannot be bound on the new address {}: {}", port, address.getHostAddress(),
                        e.getMessage());
            }
        }
        if (next.isEmpty()) {
            return false;
        }
        List<HostSockets> gone = new ArrayList<>(hosts);
        gone.removeAll(next);
        List<HostSockets> stillUsed = new ArrayList<>(retired);
        stillUsed.removeAll(next); // an address that came back is announced again
        for (HostSockets host : gone) {
            if (inUse(host)) {
                stillUsed.add(host);
            } else {
                host.close();
            }
        }
        hosts = List.copyOf(next);
        retired = List.copyOf(stillUsed);
        LOG.info("media now on {} (port {})", hostAddresses(), port);
        return allBound;
    }

    public InetAddress announcedAddress() {
        return announcedAddress;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** A new ICE-controlled transport on this port with freshly generated ufrag/pwd. */
    public PeerTransport createTransport(String name) {
        if (closed) {
            throw new IllegalStateException("media endpoint is closed");
        }
        PeerTransport transport = PeerTransport.onSharedPort(this, name);
        transports.add(transport);
        byUfrag.put(transport.localUfrag(), transport);
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
    public PacketSnapshot counters() {
        return counters.snapshot();
    }

    /** Closes every transport, then the port. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (PeerTransport transport : List.copyOf(transports)) {
            transport.close();
        }
        hosts.forEach(HostSockets::close);
        retired.forEach(HostSockets::close);
        worker.close();
    }

    /** Time from the socket to the end of the packet path, for every datagram since the start. */
    public PathDelay.Snapshot pathDelay() {
        return worker.delay().snapshot();
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

    /** The harvesters a new transport gathers its candidates from: UDP and TCP of every host address. */
    List<CandidateHarvester> harvesters() {
        List<CandidateHarvester> out = new ArrayList<>();
        for (HostSockets host : hosts) {
            out.add(host.udp());
            if (host.tcp() != null) {
                out.add(host.tcp());
            }
        }
        return out;
    }

    PacketCounters trafficCounters() {
        return counters;
    }

    void unregister(PeerTransport transport) {
        transports.remove(transport);
        byUfrag.remove(transport.localUfrag(), transport); // the shared port forgets it as its agent frees it
        closeRetiredWhenUnused();
    }

    /** Whether a live transport's selected path runs through this address's sockets. */
    private boolean inUse(HostSockets host) {
        for (PeerTransport t : transports) {
            InetSocketAddress local = t.selectedLocal();
            if (local != null && local.getAddress().equals(host.address()) && !t.state().isFinal()) {
                return true;
            }
        }
        return false;
    }

    private synchronized void closeRetiredWhenUnused() {
        if (retired.isEmpty()) {
            return;
        }
        List<HostSockets> keep = new ArrayList<>();
        for (HostSockets host : retired) {
            if (inUse(host)) {
                keep.add(host);
            } else {
                host.close();
            }
        }
        retired = List.copyOf(keep);
    }

    /** A browser opened an ICE-TCP connection for this ufrag; false when no transport has it. */
    private boolean tcpConnected(String ufrag) {
        PeerTransport transport = byUfrag.get(ufrag);
        if (transport != null) {
            transport.noteCheck(IceProtocol.TCP);
        }
        return transport != null;
    }

    /** A browser's first UDP check for this ufrag from a new address. */
    private void udpChecked(String ufrag) {
        PeerTransport transport = byUfrag.get(ufrag);
        if (transport != null) {
            transport.noteCheck(IceProtocol.UDP);
        }
    }

    /** ice4j's session socket for this transport's remote address, or null when ice4j has no session for it. */
    SessionSocket sessionSocket(String ufrag, InetSocketAddress remote) {
        for (List<HostSockets> list : List.of(hosts, retired)) {
            for (HostSockets host : list) {
                SessionSocket socket = host.udp().sessionSocket(ufrag, remote);
                if (socket != null) {
                    return socket;
                }
            }
        }
        return null;
    }
}
