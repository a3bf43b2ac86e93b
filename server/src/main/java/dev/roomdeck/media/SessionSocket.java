package dev.roomdeck.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;

import org.ice4j.util.Buffer;
import org.ice4j.util.BufferHandler;
import org.ice4j.util.BufferPool;

/**
 * One remote address's share of the {@link SharedPortSocket}: a datagram socket as ice4j's STUN stack wants one
 * (it reads the checks and consent answers the port's reader queues here, and sends STUN through it), and the way
 * a transport sends media to that address ({@link #sendMedia}). Media from the address is pushed to the ICE
 * component, which hands it to the transport.
 *
 * <p>It is a {@code DatagramSocket} only because ice4j's stack needs one; it is never bound and never reads.
 */
final class SessionSocket extends DatagramSocket {
    /** STUN waiting for the agent's reader: a handful per second normally; the oldest goes when full. */
    private static final int STUN_QUEUE = 128;

    private final SharedPortSocket port;
    private final InetSocketAddress remote;
    private final BufferHandler media;
    private final PacketCounters counters;
    private final ArrayDeque<Buffer> stun = new ArrayDeque<>(); // guarded by itself
    private boolean closed; // guarded by stun

    SessionSocket(SharedPortSocket port, InetSocketAddress remote, BufferHandler media, PacketCounters counters)
            throws SocketException {
        super((SocketAddress) null); // unbound: ice4j's stack asks it for options, never to read the network
        this.port = port;
        this.remote = remote;
        this.media = media;
        this.counters = counters;
    }

    InetSocketAddress remote() {
        return remote;
    }

    /** One media (or DTLS) datagram to the remote address, without allocating. */
    void sendMedia(byte[] buf, int off, int len) throws IOException {
        port.send(buf, off, len, remote);
    }

    /** From the port's reader: DTLS, RTP or RTCP, to the transport. */
    void pushMedia(Buffer buffer) {
        media.handleBuffer(buffer);
    }

    /** From the port's reader: a STUN message, for the agent's reader. */
    void queueStun(Buffer buffer) {
        Buffer dropped = null;
        synchronized (stun) {
            if (closed) {
                dropped = buffer;
            } else {
                if (stun.size() == STUN_QUEUE) {
                    dropped = stun.poll(); // the oldest: a newer check says more
                }
                stun.add(buffer);
                stun.notify();
            }
        }
        if (dropped != null) {
            counters.drop(DropReason.OVERLOAD);
            BufferPool.returnBuffer.invoke(dropped);
        }
    }

    /** The STUN stack's reader: the next queued STUN message; blocks until one comes or the socket closes. */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        Buffer buffer;
        synchronized (stun) {
            while (stun.isEmpty() && !closed) {
                try {
                    stun.wait();
                } catch (InterruptedException e) {
                    // Swallowed, as ice4j's own session sockets do: its reader treats any socket error as the
                    // socket's death. Only close() ends the wait.
                }
            }
            if (closed) {
                throw new SocketException("Socket closed");
            }
            buffer = stun.poll();
        }
        try {
            int len = buffer.getLength();
            if (p.getData() == null || p.getData().length < len) {
                throw new IOException("packet buffer not available");
            }
            System.arraycopy(buffer.getBuffer(), buffer.getOffset(), p.getData(), 0, len);
            p.setLength(len);
            p.setSocketAddress(remote);
        } finally {
            BufferPool.returnBuffer.invoke(buffer);
        }
    }

    /** The STUN stack's answers and checks (on ice4j's threads: handed to the port's STUN thread). */
    @Override
    public void send(DatagramPacket p) {
        port.sendStun(p.getData(), p.getOffset(), p.getLength(), remote);
    }

    @Override
    public void close() {
        if (stun == null) {
            super.close(); // from the superclass constructor, before the fields exist
            return;
        }
        synchronized (stun) {
            if (closed) {
                return;
            }
            closed = true;
            stun.forEach(BufferPool.returnBuffer::invoke);
            stun.clear();
            stun.notifyAll();
        }
        port.forget(remote, this);
        super.close();
    }

    @Override
    public InetAddress getLocalAddress() {
        return port.localAddress().getAddress();
    }

    @Override
    public int getLocalPort() {
        return port.localAddress().getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return port.localAddress();
    }

    /** Only this address's datagrams come here, so the socket counts as connected to it. */
    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    @Override
    public InetAddress getInetAddress() {
        return remote.getAddress();
    }

    @Override
    public int getPort() {
        return remote.getPort();
    }
}
