package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

/**
 * ice4j's single-port harvester (one UDP socket, sessions told apart by the ufrag in the first STUN check),
 * counting binding requests that name no transport of ours. Other datagrams from unknown sources are dropped
 * inside ice4j before we can see them.
 *
 * <p>It also remembers the per-session socket ice4j makes for each new remote address, so that a transport can
 * send media straight on it: ice4j's own component socket adds two delegating layers and a lookup per packet.
 */
final class SharedPortHarvester extends SinglePortUdpHarvester {
    private final PacketCounters counters;
    private final Consumer<String> onNewSession;
    /** local ufrag → remote address → ice4j's session socket (sends go straight to the shared port). */
    private final Map<String, Map<InetSocketAddress, DatagramSocket>> sessions = new ConcurrentHashMap<>();

    /** @param onNewSession told the local ufrag whenever a known transport is checked from a new remote address */
    SharedPortHarvester(TransportAddress address, PacketCounters counters, Consumer<String> onNewSession)
            throws IOException {
        super(address);
        this.counters = counters;
        this.onNewSession = onNewSession;
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
        MySocket socket = super.maybeAcceptNewSession(buf, remoteAddress, ufrag);
        if (socket == null) {
            counters.drop(DropReason.UNKNOWN_UFRAG);
        } else {
            sessions.computeIfAbsent(ufrag, u -> new ConcurrentHashMap<>()).put(remoteAddress, socket);
            onNewSession.accept(ufrag);
        }
        return socket;
    }

    /** The socket ice4j made when {@code remote} first checked {@code ufrag}, or null. */
    DatagramSocket sessionSocket(String ufrag, InetSocketAddress remote) {
        Map<InetSocketAddress, DatagramSocket> byRemote = sessions.get(ufrag);
        return byRemote == null ? null : byRemote.get(remote);
    }

    /** The transport with this ufrag is gone: its sockets are closed by ice4j, we only drop the references. */
    void forget(String ufrag) {
        sessions.remove(ufrag);
    }
}
