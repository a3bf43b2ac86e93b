package dev.roomdeck.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.stack.StunStack;

/**
 * The shared media port as ICE sees it: one host candidate per transport on one {@link SharedPortSocket}, sessions
 * told apart by the ufrag of the first STUN check from a new remote address. Binding requests that name no
 * transport of ours are counted.
 *
 * <p>Why not ice4j's {@code SinglePortUdpHarvester}, which does the same: it wraps each session socket in two
 * layers of multiplexing sockets (one to take STUN apart, one for the component socket), each with a preallocated
 * 10,000-slot queue: 80 KB per peer for nothing, since with the push API only STUN ever reaches the session socket.
 * Here the agent's STUN stack reads the session socket itself, and media is pushed to the component.
 *
 * <p>It also remembers each session socket, so that a transport sends media straight on it.
 */
final class SharedPortHarvester implements CandidateHarvester, AutoCloseable {
    private final SharedPortSocket port;
    private final PacketCounters counters;
    private final Consumer<String> onNewSession;
    private final HarvestStatistics statistics = new HarvestStatistics();
    /** local ufrag → the one candidate of that transport. */
    private final Map<String, SessionCandidate> candidates = new ConcurrentHashMap<>();

    /** @param onNewSession told the local ufrag whenever a known transport is checked from a new remote address */
    SharedPortHarvester(TransportAddress address, PacketCounters counters, Consumer<String> onNewSession)
            throws IOException {
        this.port = new SharedPortSocket(address, StackSettings.receiveBufferBytes(), counters);
        this.counters = counters;
        this.onNewSession = onNewSession;
        port.acceptSessionsWith(this::acceptSession);
    }

    TransportAddress getLocalAddress() {
        return port.localAddress();
    }

    @Override
    public void close() {
        port.close();
    }

    /** One host candidate on the shared port for the transport's only component (BUNDLE and rtcp-mux). */
    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        IceMediaStream stream = component.getParentStream();
        Agent agent = stream.getParentAgent();
        if (stream.getComponentCount() != 1 || agent.getStreamCount() != 1) {
            return List.of(); // one port serves one component per agent: the transports make exactly that
        }
        SessionCandidate candidate = new SessionCandidate(component, agent.getLocalUfrag());
        candidates.put(candidate.ufrag, candidate);
        component.addLocalCandidate(candidate);
        return List.of(candidate);
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    /** A STUN binding request from a remote address without a session yet (the port's reader thread). */
    private SessionSocket acceptSession(InetSocketAddress remoteAddress, String ufrag) {
        SessionCandidate candidate = candidates.get(ufrag);
        if (candidate == null) {
            counters.drop(DropReason.UNKNOWN_UFRAG);
            return null;
        }
        try {
            SessionSocket socket = new SessionSocket(port, remoteAddress, candidate.getParentComponent(), counters);
            if (!candidate.addSession(socket, remoteAddress)) {
                socket.close();
                counters.drop(DropReason.UNKNOWN_UFRAG); // the transport is going away: its checks are not ours now
                return null;
            }
            onNewSession.accept(ufrag);
            return socket;
        } catch (IOException e) {
            counters.drop(DropReason.UNKNOWN_UFRAG);
            return null;
        }
    }

    /** The socket made when {@code remote} first checked {@code ufrag}, or null. */
    SessionSocket sessionSocket(String ufrag, InetSocketAddress remote) {
        SessionCandidate candidate = candidates.get(ufrag);
        return candidate == null ? null : candidate.socket(remote);
    }

    /**
     * A transport's candidate on the shared port, with a session socket per remote address that checked it. The
     * STUN stack reads and sends STUN on each session socket directly: only STUN is queued there.
     */
    private final class SessionCandidate extends HostCandidate {
        final String ufrag;
        /** Remote address → its session socket, as the STUN stack has it. */
        private final Map<SocketAddress, IceSocketWrapper> sessions = new ConcurrentHashMap<>();
        private boolean freed;

        SessionCandidate(Component component, String ufrag) {
            super(port.localAddress(), component);
            this.ufrag = ufrag;
        }

        /** False when the candidate is freed or its agent failed: no session then. */
        synchronized boolean addSession(SessionSocket socket, InetSocketAddress remote) {
            Component component = getParentComponent();
            if (freed || component == null
                    || component.getParentStream().getParentAgent().getState() == IceProcessingState.FAILED) {
                return false;
            }
            IceSocketWrapper wrapper = new IceUdpSocketWrapper(socket);
            component.getParentStream().getParentAgent().getStunStack()
                    .addSocket(wrapper, new TransportAddress(remote, Transport.UDP));
            IceSocketWrapper old = sessions.put(remote, wrapper);
            if (old != null) {
                old.close();
            }
            return true;
        }

        SessionSocket socket(SocketAddress remote) {
            IceSocketWrapper session = sessions.get(remote);
            return session == null ? null : (SessionSocket) session.getUDPSocket();
        }
        @Override
        protected IceSocketWrapper getCandidateIceSocketWrapper(SocketAddress remote) {
            return sessions.get(remote);
        }

        @Override
        protected void free() {
            synchronized (this) {
                if (freed) {
                    return;
                }
                freed = true;
            }
            candidates.remove(ufrag, this);
            StunStack stun = getStunStack();
            for (Map.Entry<SocketAddress, IceSocketWrapper> e : sessions.entrySet()) {
                IceSocketWrapper session = e.getValue();
                if (stun != null) {
                    stun.removeSocket(new TransportAddress(session.getLocalAddress(), session.getLocalPort(),
                            Transport.UDP), new TransportAddress((InetSocketAddress) e.getKey(), Transport.UDP));
                }
                session.close();
            }
            sessions.clear();
            super.free();
        }
    }
}
