package dev.roomdeck.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared UDP media port: one channel, one reader thread, and a {@link SessionSocket} per remote address that
 * sent a connectivity check naming one of our transports. The reader pushes media to the session's transport and
 * queues STUN for the session's ICE agent; anything from an address without a session is taken only if it is such
 * a check, and counted otherwise.
 *
 * <p>Why not ice4j's {@code AbstractUdpListener}: its reader allocates per datagram (an address twice, an
 * {@code Instant}, a byte-buffer view) and its sockets send through {@code DatagramSocket.send}, which makes an
 * address per datagram; at 58,000 packets/s that garbage was every young collection left on the packet path. Here
 * the channel reads into one direct buffer, and a media send copies into the sending thread's direct buffer and
 * goes to the session's own address object (the JDK's send encodes it without allocating). What remains is the
 * JDK's: a receive from a different sender than the previous one decodes a new address.
 */
final class SharedPortSocket implements AutoCloseable {
    /** STUN waiting to be sent: a few hundred per second with hundreds of peers; the newest is dropped when full. */
    private static final int STUN_QUEUE = 1024;
    private static final Outgoing STOP = new Outgoing(new byte[0], null);

    private record Outgoing(byte[] datagram, InetSocketAddress to) {
    }

    /** Larger datagrams are dropped as {@link DropReason#TOO_LARGE}; the read takes one byte more to tell. */
    static final int MAX_DATAGRAM = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(SharedPortSocket.class);

    /** Decides about a connectivity check from an address without a session: a new session, or null to drop it. */
    interface SessionAcceptor {
        SessionSocket accept(InetSocketAddress remote, String ufrag);
    }

    /**
     * The bound channel. Replaced only if an interrupt closed it: a {@code DatagramChannel} is interruptible, and a
     * thread interrupted inside one of its calls closes it (ice4j interrupts its own pool threads when an agent is
     * freed, possibly while one sends a check). Sends clear a pending interrupt first; what can still land during
     * a send is repaired by {@link #reopen}.
     */
    private volatile DatagramChannel channel;
    private volatile boolean closing;
    private final int receiveBufferBytes;
    private final TransportAddress local;
    private final PacketCounters counters;
    private final Map<SocketAddress, SessionSocket> sessions = new ConcurrentHashMap<>();
    private final ThreadLocal<ByteBuffer> outgoing = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(MAX_DATAGRAM));
    private final Thread reader;
    /**
     * STUN from ice4j's threads goes out on this thread of ours: ice4j interrupts its pool threads freely (a
     * transaction's retransmission is cancelled with an interrupt whenever its answer comes), and an interrupt that
     * lands inside a channel call closes the channel (seen five times in a five-person call).
     */
    private final ArrayBlockingQueue<Outgoing> stunOut = new ArrayBlockingQueue<>(STUN_QUEUE);
    private final Thread stunSender;
    private volatile SessionAcceptor acceptor = (remote, ufrag) -> null;
    private boolean receiveFailureLogged; // the reader's
    private int reopened; // guarded by this

    /** Binds {@code address} (port 0: any free port) exclusively and starts reading. */
    SharedPortSocket(TransportAddress address, int receiveBufferBytes, PacketCounters counters) throws IOException {
        this.counters = counters;
        this.receiveBufferBytes = receiveBufferBytes;
        channel = bind(new InetSocketAddress(address.getAddress(), address.getPort()), receiveBufferBytes);
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        local = new TransportAddress(address.getAddress(), bound.getPort(), Transport.UDP);
        LOG.info("shared media port {}: receive buffer {} bytes (asked for {})", local,
                channel.getOption(StandardSocketOptions.SO_RCVBUF), receiveBufferBytes);
        reader = new Thread(this::read, "shared-port-reader " + local);
        reader.setDaemon(true);
        reader.start();
        stunSender = new Thread(this::sendStun, "shared-port-stun " + local);
        stunSender.setDaemon(true);
        stunSender.start();
    }

    private static DatagramChannel bind(InetSocketAddress address, int receiveBufferBytes) throws IOException {
        DatagramChannel ch = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            ch.bind(address);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * On the reader, after an interrupt closed the channel under us: binds the same port again, so that every
     * session goes on (the reader's own blocked receive was the old channel's last use, so the port is free).
     * False when the port is being closed or could not be bound.
     */
    private synchronized boolean reopen() {
        if (closing) {
            return false;
        }
        if (channel.isOpen()) {
            return true; // not closed after all, or another thread already bound it again
        }
        IOException failed = null;
        for (int attempt = 0; attempt < 10; attempt++) { // the old channel lets the port go as its last user leaves
            try {
                channel = bind(new InetSocketAddress(local.getAddress(), local.getPort()), receiveBufferBytes);
                reopened++;
                LOG.info("shared media port {}: bound again after an interrupted thread closed it", local);
                return true;
            } catch (IOException e) {
                failed = e;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        LOG.error("shared media port {}: closed by an interrupted thread and cannot be bound again", local, failed);
        return false;
    }

    /** How often the port had to be bound again (see {@link #channel}). */
    synchronized int reopened() {
        return reopened;
    }

    /** For tests: the channel under the port now. */
    DatagramChannel channel() {
        return channel;
    }

    void acceptSessionsWith(SessionAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    TransportAddress localAddress() {
        return local;
    }

    /** The session of a remote address, or null. */
    SessionSocket session(SocketAddress remote) {
        return sessions.get(remote);
    }

    /** Called by a session as it closes; a newer session for the same address stays. */
    void forget(SocketAddress remote, SessionSocket session) {
        sessions.remove(remote, session);
    }

    /** A media datagram out of {@code buf}: copied into this thread's direct buffer, so nothing is allocated. */
    void send(byte[] buf, int off, int len, InetSocketAddress remote) throws IOException {
        ByteBuffer out = outgoing.get();
        out.clear();
        out.put(buf, off, len).flip();
        send(out, remote);
    }

    /**
     * A STUN message from any thread (ice4j's): copied and sent by the port's own STUN thread, never on the caller's
     * (see {@link #stunOut}). A few per second per peer, so the copy costs nothing that matters.
     */
    void sendStun(byte[] buf, int off, int len, InetSocketAddress remote) {
        if (closing || !stunOut.offer(new Outgoing(java.util.Arrays.copyOfRange(buf, off, off + len), remote))) {
            counters.drop(DropReason.SEND_FAILED);
        }
    }

    private void sendStun() {
        while (true) {
            Outgoing next;
            try {
                next = stunOut.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; STOP ends it
            }
            if (next == STOP) {
                return;
            }
            try {
                send(ByteBuffer.wrap(next.datagram()), next.to());
            } catch (IOException e) {
                counters.drop(DropReason.SEND_FAILED); // a check or answer lost: ICE retransmits
            }
        }
    }

    /** One datagram, on a thread that nobody interrupts (the media path's, or the STUN thread). */
    private void send(ByteBuffer datagram, InetSocketAddress remote) throws IOException {
        boolean interrupted = Thread.interrupted(); // entering the channel interrupted would close it for everyone
        DatagramChannel ch = channel;
        try {
            ch.send(datagram, remote);
        } catch (ClosedChannelException e) {
            // An interrupt landed during this send or another one (or the port is closing). This datagram is lost;
            // the reader binds the port again as soon as the old channel has let it go.
            if (closing) {
                throw e;
            }
            counters.drop(DropReason.SEND_FAILED);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        stunOut.clear();
        stunOut.offer(STOP);
        try {
            channel.close(); // wakes the reader
        } catch (IOException e) {
            LOG.debug("closing the shared port {}", local, e);
        }
        closeSessions();
    }

    // ---- the reader thread ----

    private void read() {
        ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
        while (true) {
            in.clear();
            SocketAddress from;
            DatagramChannel ch = channel;
            try {
                from = ch.receive(in);
            } catch (ClosedChannelException e) { // AsynchronousCloseException is one
                if (reopen()) {
                    continue; // an interrupted sender closed it: read the new one
                }
                break; // the port is closing
            } catch (IOException e) {
                if (!ch.isOpen()) {
                    if (reopen()) {
                        continue;
                    }
                    break;
                }
                counters.drop(DropReason.RECEIVER_ERROR);
                if (!receiveFailureLogged) {
                    receiveFailureLogged = true;
                    LOG.warn("shared media port {}: a receive failed (logged once, counted as receiver-error)",
                            local, e);
                }
                continue;
            }
            int len = in.position();
            if (len > MAX_DATAGRAM) {
                counters.drop(DropReason.TOO_LARGE);
                continue;
            }
            in.flip();
            Buffer buffer = PushedBuffers.take(len); // recycled (to 1,500 bytes): strangers' garbage too
            in.get(buffer.getBuffer(), 0, len);
            SessionSocket session = sessions.get(from);
            if (session == null) {
                session = acceptNewSession(buffer.getBuffer(), len, (InetSocketAddress) from);
                if (session == null) {
                    BufferPool.returnBuffer.invoke(buffer);
                    continue;
                }
            }
            buffer.setRemoteAddress(from);
            if (isStun(buffer.getBuffer(), len)) {
                session.queueStun(buffer);
            } else {
                session.pushMedia(buffer);
            }
        }
        closeSessions();
    }

    private void closeSessions() {
        for (SessionSocket session : List.copyOf(sessions.values())) {
            session.close();
        }
    }

    /** A datagram from an address without a session: a binding request naming a transport's ufrag, or dropped. */
    private SessionSocket acceptNewSession(byte[] datagram, int len, InetSocketAddress from) {
        String ufrag = bindingRequestUfrag(datagram, len);
        if (ufrag == null) {
            counters.drop(DropReason.UNKNOWN_SOURCE);
            return null;
        }
        SessionSocket session = acceptor.accept(from, ufrag);
        if (session == null) {
            return null; // the acceptor counted why
        }
        SessionSocket old = sessions.put(from, session);
        if (old != null) {
            old.close();
        }
        return session;
    }

    /** RFC 7983: a first byte of 0–3 is STUN; a STUN message has the magic cookie (RFC 5389). */
    static boolean isStun(byte[] buf, int len) {
        return len >= 20 && (buf[0] & 0xC0) == 0
                && buf[4] == 0x21 && buf[5] == 0x12 && buf[6] == (byte) 0xA4 && buf[7] == 0x42;
    }

    /** The local ufrag (RFC 8445 7.2.2: "local:remote" in USERNAME) of a binding request, or null. */
    static String bindingRequestUfrag(byte[] datagram, int len) {
        if (!isStun(datagram, len)) {
            return null;
        }
        try {
            Message message = Message.decode(datagram, 0, len);
            if (message.getMessageType() != Message.BINDING_REQUEST) {
                return null;
            }
            UsernameAttribute username = (UsernameAttribute) message.getAttribute(Attribute.USERNAME);
            if (username == null) {
                return null;
            }
            String both = new String(username.getUsername(), java.nio.charset.StandardCharsets.UTF_8);
            int colon = both.indexOf(':');
            return colon < 0 ? both : both.substring(0, colon);
        } catch (Exception e) { // ice4j throws StunException, and runtime exceptions on some garbage
            return null;
        }
    }
}
