package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared media port over real loopback UDP: who gets a session, where a session's datagrams go, what is
 * counted, and that the packet path through it allocates nothing.
 */
class SharedPortSocketTest {
    private final PacketCounters counters = new PacketCounters(null);
    private final BlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
    private final List<String> asked = new ArrayList<>();
    private SharedPortSocket port;
    private DatagramSocket browser;

    @BeforeEach
    void open() throws Exception {
        StackSettings.apply();
        port = new SharedPortSocket(new TransportAddress(InetAddress.getLoopbackAddress(), 0, Transport.UDP),
                StackSettings.RECEIVE_BUFFER_BYTES, counters);
        port.acceptSessionsWith((remote, ufrag) -> {
            synchronized (asked) {
                asked.add(ufrag);
            }
            if (!ufrag.equals("known")) {
                return null;
            }
            try {
                return new SessionSocket(port, remote, this::received, counters);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        browser = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        browser.setSoTimeout(5_000);
    }

    @AfterEach
    void close() {
        port.close();
        browser.close();
    }

    /** While set, the handler only counts (so that the reader's allocations are the port's alone). */
    private volatile boolean onlyCount;
    private final java.util.concurrent.atomic.AtomicInteger counted = new java.util.concurrent.atomic.AtomicInteger();

    private void received(Buffer buffer) {
        if (onlyCount) {
            BufferPool.returnBuffer.invoke(buffer);
            counted.incrementAndGet();
            return;
        }
        byte[] copy = new byte[buffer.getLength()];
        System.arraycopy(buffer.getBuffer(), buffer.getOffset(), copy, 0, copy.length);
        BufferPool.returnBuffer.invoke(buffer);
        media.add(copy);
    }

    private void sendToPort(byte[] datagram) throws Exception {
        browser.send(new DatagramPacket(datagram, datagram.length, port.localAddress()));
    }

    private static byte[] rtp(int seq, int length) {
        byte[] packet = new byte[length];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        return packet;
    }

    /** Connects the browser socket: its check names a known ufrag, and the session's agent reads that check. */
    private SessionSocket connect() throws Exception {
        sendToPort(StunMessages.bindingRequest("known:remote"));
        SessionSocket[] session = new SessionSocket[1];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (session[0] == null && System.nanoTime() < deadline) {
            session[0] = sessionFor(browser);
            Thread.sleep(5);
        }
        assertThat(session[0]).as("a session for the browser's address").isNotNull();
        DatagramPacket check = new DatagramPacket(new byte[1500], 1500);
        session[0].receive(check);
        assertThat(SharedPortSocket.bindingRequestUfrag(check.getData(), check.getLength()))
                .as("the agent reads the check that opened the session").isEqualTo("known");
        return session[0];
    }

    private SessionSocket sessionFor(DatagramSocket socket) {
        return port.session(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()));
    }

    @Test
    void garbageFromAnAddressWithoutASessionIsCountedAndGoesNowhere() throws Exception {
        sendToPort(rtp(1, 200));
        sendToPort(new byte[] {1, 2, 3});
        awaitDrops(DropReason.UNKNOWN_SOURCE, 2);
        assertThat(media).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aCheckForAnUnknownUfragOpensNoSession() throws Exception {
        sendToPort(StunMessages.bindingRequest("stranger:remote"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            synchronized (asked) {
                if (!asked.isEmpty()) {
                    break;
                }
            }
            Thread.sleep(5);
        }
        assertThat(asked).containsExactly("stranger");
        sendToPort(rtp(1, 200)); // still no session: counted as from nobody
        awaitDrops(DropReason.UNKNOWN_SOURCE, 1);
        assertThat(media).isEmpty();
    }

    @Test
    void aSessionsMediaIsPushedInOrderAndItsStunQueuedForTheAgent() throws Exception {
        SessionSocket session = connect();
        for (int seq = 0; seq < 50; seq++) {
            sendToPort(rtp(seq, 1200));
        }
        sendToPort(StunMessages.bindingRequest("known:remote")); // a consent check, in the middle of media
        for (int seq = 50; seq < 100; seq++) {
            sendToPort(rtp(seq, 1200));
        }
        for (int seq = 0; seq < 100; seq++) {
            byte[] got = media.poll(5, TimeUnit.SECONDS);
            assertThat(got).as("packet " + seq).isNotNull().hasSize(1200);
            assertThat(((got[2] & 0xFF) << 8) | (got[3] & 0xFF)).isEqualTo(seq);
        }
        DatagramPacket consent = new DatagramPacket(new byte[1500], 1500);
        session.receive(consent);
        assertThat(SharedPortSocket.isStun(consent.getData(), consent.getLength())).isTrue();
        assertThat(consent.getSocketAddress()).isEqualTo(session.remote());
        assertThat(counters.snapshot().drops()).isEmpty();
    }

    @Test
    void mediaSentOnASessionReachesItsAddressFromTheSharedPort() throws Exception {
        SessionSocket session = connect();
        byte[] packet = rtp(7, 1000);
        session.sendMedia(packet, 0, packet.length);
        DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
        browser.receive(got);
        assertThat(got.getLength()).isEqualTo(1000);
        assertThat(got.getData()[3]).isEqualTo((byte) 7);
        assertThat(got.getPort()).as("from the shared port").isEqualTo(port.localAddress().getPort());
    }

    @Test
    void anOversizedDatagramIsCountedAndTheSessionGoesOn() throws Exception {
        connect();
        sendToPort(rtp(1, SharedPortSocket.MAX_DATAGRAM + 100));
        sendToPort(rtp(2, 300));
        byte[] got = media.poll(5, TimeUnit.SECONDS);
        assertThat(got).isNotNull().hasSize(300);
        awaitDrops(DropReason.TOO_LARGE, 1);
    }

    @Test
    void aClosedSessionIsForgottenAndItsReaderWoken() throws Exception {
        SessionSocket session = connect();
        Thread agent = new Thread(() -> {
            try {
                session.receive(new DatagramPacket(new byte[1500], 1500));
            } catch (Exception expected) {
                // closed
            }
        });
        agent.start();
        session.close();
        agent.join(5_000);
        assertThat(agent.isAlive()).as("the agent's reader is released").isFalse();
        assertThat(sessionFor(browser)).isNull();
        sendToPort(rtp(1, 200));
        awaitDrops(DropReason.UNKNOWN_SOURCE, 1);
    }

    /**
     * A DatagramChannel closes when a thread inside one of its calls is interrupted, and ice4j interrupts its pool
     * threads while they may be sending a check: an interrupted sender must not take the port down for everyone.
     */
    @Test
    void anInterruptedSenderKeepsItsInterruptAndThePortStaysOpen() throws Exception {
        SessionSocket session = connect();
        byte[] packet = rtp(3, 400);
        Thread.currentThread().interrupt();
        try {
            session.sendMedia(packet, 0, packet.length);
            session.send(new DatagramPacket(packet, packet.length));
        } finally {
            assertThat(Thread.interrupted()).as("the sender's interrupt is still set for it").isTrue();
        }
        DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
        browser.receive(got);
        browser.receive(got);
        assertThat(port.channel().isOpen()).isTrue();
        sendToPort(rtp(4, 300));
        assertThat(media.poll(5, TimeUnit.SECONDS)).as("the port still reads").isNotNull();
        assertThat(port.reopened()).isZero();
    }

    /**
     * ice4j cancels a STUN retransmission with an interrupt whenever its answer comes, so its threads are
     * interrupted at any moment, also while sending: their STUN goes out on the port's own thread, and the port is
     * never closed under everyone.
     */
    @Test
    void stunFromThreadsInterruptedAtAnyMomentNeverClosesThePort() throws Exception {
        SessionSocket session = connect();
        byte[] check = StunMessages.bindingRequest("remote:known");
        // The browser's side reads as they come: 300 at once would overflow its socket's default buffer.
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        Thread reading = new Thread(() -> {
            DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
            try {
                browser.setSoTimeout(2_000);
                while (received.get() < 300) {
                    browser.receive(got);
                    received.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                // a timeout: counted below
            }
        });
        reading.start();
        Thread ice4jLike = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                session.send(new DatagramPacket(check, check.length));
                Thread.interrupted();
                if (i % 20 == 19) { // paced a little, as checks are (sleeping is no use: it is interrupted)
                    long until = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        Thread interrupter = new Thread(() -> {
            while (ice4jLike.isAlive()) {
                ice4jLike.interrupt();
                Thread.onSpinWait();
            }
        });
        ice4jLike.start();
        interrupter.start();
        ice4jLike.join(10_000);
        interrupter.join(10_000);
        reading.join(10_000);
        assertThat(port.reopened()).as("the port was never closed by an interrupt").isZero();
        assertThat(received.get()).as("every check went out").isEqualTo(300);
    }

    /** If an interrupt lands inside a send anyway and closes the channel, the port binds again and sessions go on. */
    @Test
    void aChannelClosedUnderThePortIsBoundAgainAndSessionsGoOn() throws Exception {
        SessionSocket session = connect();
        port.channel().close(); // what an interrupt inside a send does
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (port.reopened() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(port.reopened()).as("bound again").isEqualTo(1);
        assertThat(port.channel().isOpen()).isTrue();
        sendToPort(rtp(5, 300));
        byte[] got = media.poll(5, TimeUnit.SECONDS);
        assertThat(got).as("the session's media still arrives").isNotNull();
        byte[] packet = rtp(6, 300);
        session.sendMedia(packet, 0, packet.length);
        DatagramPacket back = new DatagramPacket(new byte[1500], 1500);
        browser.receive(back);
        assertThat(back.getPort()).isEqualTo(port.localAddress().getPort());
    }

    /**
     * The packet path's share of the port allocates nothing per datagram: media sends on the sending thread, and the
     * reader's receive-and-push of a steady sender's datagrams (the JDK keeps the last sender's address; a different
     * sender each time costs the JDK one address per datagram, which is what is left). Before, ice4j's reader and
     * the JDK's {@code DatagramSocket.send} made ~100-300 bytes of garbage per datagram.
     */
    @Test
    void sendingAndReceivingMediaAllocatesNothingPerDatagram() throws Exception {
        SessionSocket session = connect();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] packet = rtp(1, 1200);
        long sendAllocated = 0;
        for (int round = 0; round < 5; round++) { // the first rounds warm up
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                session.sendMedia(packet, 0, packet.length);
            }
            sendAllocated = threads.getCurrentThreadAllocatedBytes() - before;
            drainBrowser();
        }
        long readerId = readerThreadId();
        long readAllocated = 0;
        onlyCount = true;
        DatagramPacket toPort = new DatagramPacket(packet, packet.length, port.localAddress());
        for (int round = 0; round < 5; round++) {
            long before = threads.getThreadAllocatedBytes(readerId);
            int target = counted.get() + 500;
            for (int i = 0; i < 500; i++) {
                browser.send(toPort);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counted.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(counted.get()).as("all 500 pushed").isEqualTo(target);
            readAllocated = threads.getThreadAllocatedBytes(readerId) - before;
        }
        System.out.println("shared port: allocated sending 2,000 datagrams: " + sendAllocated
                + " bytes; reading 500: " + readAllocated + " bytes");
        // Less than the smallest object (16 bytes) per datagram: the occasional few hundred bytes in a round are the
        // thread's (blocking and waking), not the datagrams'.
        assertThat(sendAllocated).as("bytes allocated sending 2,000 datagrams").isLessThan(2_000 * 16);
        assertThat(readAllocated).as("bytes allocated reading 500 datagrams").isLessThan(500 * 16);
    }

    private void drainBrowser() throws Exception {
        browser.setSoTimeout(200);
        try {
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            while (true) {
                browser.receive(p);
            }
        } catch (java.net.SocketTimeoutException done) {
            browser.setSoTimeout(5_000);
        }
    }

    private long readerThreadId() {
        String name = "shared-port-reader " + port.localAddress();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .mapToLong(Thread::getId).findFirst().orElseThrow();
    }

    private void awaitDrops(DropReason reason, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counters.dropped(reason) < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(counters.dropped(reason)).as(reason.code()).isEqualTo(count);
    }
}
