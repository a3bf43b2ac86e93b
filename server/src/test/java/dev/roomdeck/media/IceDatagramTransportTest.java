package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SFU side's handshake input: the shared port's reader thread pushes datagrams in before the DTLS
 * handshake reads them. A ClientHello that arrives the moment ICE completes must wait for the handshake, not be
 * lost (Chrome would resend it only after a second); early media is dropped and counted.
 */
class IceDatagramTransportTest {
    private final PacketCounters counters = new PacketCounters(null);
    private DatagramSocket unusedSendSocket;

    @AfterEach
    void close() {
        if (unusedSendSocket != null) {
            unusedSendSocket.close();
        }
    }

    private IceDatagramTransport pushed() throws IOException {
        unusedSendSocket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        return new IceDatagramTransport(SecureChannel.Sink.of(unusedSendSocket), counters);
    }

    private static byte[] dtlsRecord(int length, int fill) {
        byte[] record = new byte[length];
        java.util.Arrays.fill(record, (byte) fill);
        record[0] = 22; // handshake content type
        return record;
    }

    @Test
    void aRecordPushedBeforeTheHandshakeReadsIsKeptInOrder() throws IOException {
        IceDatagramTransport io = pushed();
        byte[] hello = dtlsRecord(180, 1);
        byte[] next = dtlsRecord(90, 2);
        io.push(hello, 0, hello.length);
        io.push(next, 0, next.length);

        byte[] buf = new byte[1500];
        assertThat(io.receive(buf, 0, buf.length, 100)).isEqualTo(180);
        assertThat(buf[1]).isEqualTo((byte) 1);
        assertThat(io.receive(buf, 0, buf.length, 100)).isEqualTo(90);
        assertThat(buf[1]).isEqualTo((byte) 2);
        assertThat(io.receive(buf, 0, buf.length, 50)).as("nothing more: BC's timeout").isEqualTo(-1);
    }

    @Test
    void theRecordIsCopiedSoTheReaderCanReuseItsBuffer() throws IOException {
        IceDatagramTransport io = pushed();
        byte[] shared = dtlsRecord(100, 7);
        io.push(shared, 0, shared.length);
        java.util.Arrays.fill(shared, (byte) 0); // the pushed buffer goes back to the pool at once

        byte[] buf = new byte[1500];
        assertThat(io.receive(buf, 0, buf.length, 100)).isEqualTo(100);
        assertThat(buf[0]).isEqualTo((byte) 22);
        assertThat(buf[99]).isEqualTo((byte) 7);
    }

    @Test
    void earlyMediaAndGarbageAreDroppedAndCounted() throws IOException {
        IceDatagramTransport io = pushed();
        byte[] rtp = Packets.rtp(1234, 1, 100);
        byte[] garbage = {5, 6, 7, 8};
        io.push(rtp, 0, rtp.length);
        io.push(garbage, 0, garbage.length);

        assertThat(io.receive(new byte[1500], 0, 1500, 50)).isEqualTo(-1);
        assertThat(counters.snapshot().drops()).containsEntry(DropReason.BEFORE_READY.code(), 1L)
                .containsEntry(DropReason.NOT_RTP.code(), 1L);
    }

    @Test
    void aFloodOfRecordsNobodyReadsIsBoundedAndCounted() throws IOException {
        IceDatagramTransport io = pushed();
        byte[] record = dtlsRecord(100, 3);
        for (int i = 0; i < 100; i++) {
            io.push(record, 0, record.length);
        }
        assertThat(counters.snapshot().drops().get(DropReason.DTLS_BAD.code())).isEqualTo(100L - 32);
    }

    @Test
    void closingTheTransportEndsAWaitingHandshakeAtOnce() throws Exception {
        IceDatagramTransport io = pushed();
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return io.receive(new byte[1500], 0, 1500, 0); // 0: BC's "no limit"
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(100);
        long start = System.nanoTime();
        io.abort();
        Object outcome = waiting.get(2, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(IOException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(400);
        assertThatThrownBy(() -> io.receive(new byte[1500], 0, 1500, 10)).isInstanceOf(IOException.class);
    }
}
