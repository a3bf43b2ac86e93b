package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Socket;
import java.util.List;
import java.util.function.Predicate;

import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.TcpHarvester;

/**
 * ICE over TCP (RFC 6544) for networks that drop UDP: ice4j's passive TCP listener on the media port number of one
 * host address. A browser connects, frames its first ICE check (RFC 4571) and is told apart by the ufrag in it,
 * as on the UDP port; from then on ice4j carries STUN, DTLS and SRTP over that connection.
 *
 * <p>Unlike ice4j's own use, loopback is allowed (a meeting on this PC, and every test here), and a connection
 * whose first check names no transport of ours is counted.
 */
final class SharedPortTcpHarvester extends TcpHarvester {
    private final PacketCounters counters;
    private final Predicate<String> onConnection;

    /**
     * @param onConnection told the local ufrag of each connection (the endpoint notes, per transport, that the
     *                     browser reached us over TCP); false when no transport has that ufrag
     */
    SharedPortTcpHarvester(TransportAddress address, PacketCounters counters, Predicate<String> onConnection)
            throws IOException {
        super(List.of(address));
        this.counters = counters;
        this.onConnection = onConnection;
    }

    /** ice4j skips loopback addresses here; we announce exactly the addresses we were given. */
    @Override
    protected void addLocalAddresses(List<TransportAddress> transportAddresses) {
        localAddresses.addAll(transportAddresses);
    }

    @Override
    protected void acceptSession(Socket socket, String ufrag, DatagramPacket pushback) throws IOException {
        try {
            super.acceptSession(socket, ufrag, pushback);
        } catch (IllegalStateException e) {
            // ice4j closes the connection. Either no transport has the ufrag, or its ICE is already done: a browser
            // still trying a TCP pair after choosing another (the connection could not carry anything now).
            if (!onConnection.test(ufrag)) {
                counters.drop(DropReason.UNKNOWN_UFRAG);
            }
            throw e;
        }
        onConnection.test(ufrag);
    }

    /** The port actually bound (the listener binds what it was given: a fixed port, never 0). */
    int port() {
        return localAddresses.get(0).getPort();
    }
}
