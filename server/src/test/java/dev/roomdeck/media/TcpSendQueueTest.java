package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/**
 * The ICE-TCP send queue keeps the packet path from waiting on one peer's TCP connection: packets leave in order on
 * the queue's own thread, and when the connection does not keep up the newest are dropped and counted.
 */
class TcpSendQueueTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void packetsLeaveInTheOrderTheyCame() throws Exception {
        PacketCounters counters = new PacketCounters(null);
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            sender.connect(receiver.getLocalSocketAddress());
            receiver.setSoTimeout(5000);
            try (TcpSendQueue queue = new TcpSendQueue("order", SecureChannel.Sink.of(sender), counters)) {
                for (int i = 0; i < 100; i++) {
                    assertThat(queue.offer(new byte[] {0, (byte) i, 2, 3}, 1, 1)).isTrue();
                }
                DatagramPacket p = new DatagramPacket(new byte[16], 16);
                for (int i = 0; i < 100; i++) {
                    receiver.receive(p);
                    assertThat(p.getLength()).isEqualTo(1);
                    assertThat(p.getData()[0]).isEqualTo((byte) i);
                }
            }
        }
        assertThat(counters.snapshot().drops()).isEmpty();
    }

    @Test
    void aConnectionThatDoesNotKeepUpLosesTheNewestPacketsNotThePacketPath() throws Exception {
        PacketCounters counters = new PacketCounters(null);
        // A socket whose send blocks, as a TCP write does when the peer's window is full.
        Object gate = new Object();
        DatagramSocket stalled = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)) {
            @Override
            public void send(DatagramPacket p) {
                synchronized (gate) {
                    try {
                        gate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (stalled; TcpSendQueue queue = new TcpSendQueue("stalled", SecureChannel.Sink.of(stalled), counters)) {
            long start = System.nanoTime();
            int accepted = 0;
            for (int i = 0; i < TcpSendQueue.CAPACITY * 2; i++) {
                if (queue.offer(new byte[100], 0, 100)) {
                    accepted++;
                }
            }
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            // One packet is in the blocked send, CAPACITY wait; the rest were refused at once.
            assertThat(accepted).isBetween(TcpSendQueue.CAPACITY, TcpSendQueue.CAPACITY + 1);
            assertThat(counters.snapshot().drops().get("send-backlog"))
                    .isEqualTo((long) (TcpSendQueue.CAPACITY * 2 - accepted));
            assertThat(tookMillis).as("offering never waited on the stalled connection").isLessThan(2000);
        }
    }
}
