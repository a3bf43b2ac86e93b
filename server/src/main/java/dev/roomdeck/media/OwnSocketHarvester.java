package dev.roomdeck.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

import org.ice4j.Transport;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

/**
 * Host candidate on a socket of our own, bound to one given address — loopback included.
 * ice4j's HostCandidateHarvester refuses loopback outright (isAddressAllowed, not configurable), and the
 * SinglePortUdpHarvester only answers checks; a controlling agent needs a socket that can start them.
 * This does what HostCandidateHarvester does per address: a multiplexing socket whose STUN half goes to the
 * agent's StunStack and whose rest feeds the component socket.
 */
final class OwnSocketHarvester implements CandidateHarvester {
    private final InetAddress bindAddress;
    private final HarvestStatistics statistics = new HarvestStatistics();

    OwnSocketHarvester(InetAddress bindAddress) {
        this.bindAddress = bindAddress;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        try {
            MultiplexingDatagramSocket socket = new MultiplexingDatagramSocket(0, bindAddress);
            IceUdpSocketWrapper wrapper = new IceUdpSocketWrapper(socket);
            HostCandidate candidate = new HostCandidate(wrapper, component, Transport.UDP);
            component.addLocalCandidate(candidate);
            candidate.getStunStack().addSocket(candidate.getStunSocket(null));
            component.getComponentSocket().add(wrapper);
            return List.of(candidate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP socket on " + bindAddress, e);
        }
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }
}
