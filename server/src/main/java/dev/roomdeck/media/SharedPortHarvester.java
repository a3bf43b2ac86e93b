package dev.roomdeck.media;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

/**
 * ice4j's single-port harvester (one UDP socket, sessions told apart by the ufrag in the first STUN check),
 * counting binding requests that name no transport of ours. Other datagrams from unknown sources are dropped
 * inside ice4j before we can see them.
 */
final class SharedPortHarvester extends SinglePortUdpHarvester {
    private final TrafficCounters counters;

    SharedPortHarvester(TransportAddress address, TrafficCounters counters) throws IOException {
        super(address);
        this.counters = counters;
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
        MySocket socket = super.maybeAcceptNewSession(buf, remoteAddress, ufrag);
        if (socket == null) {
            counters.drop(DropReason.UNKNOWN_UFRAG);
        }
        return socket;
    }
}
