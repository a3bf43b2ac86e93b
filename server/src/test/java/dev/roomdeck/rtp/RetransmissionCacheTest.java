package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-track retransmission cache answers by exact 16-bit seq, across the wrap, for at most its max age. */
class RetransmissionCacheTest {
    private static final long MS = 1_000_000L;

    private static byte[] packet(int seq, int payloadBytes) {
        byte[] b = new byte[12 + payloadBytes];
        b[0] = (byte) 0x80;
        b[1] = 96;
        Bytes.put16(b, 2, seq);
        Bytes.put32(b, 8, 0x1234);
        for (int i = 0; i < payloadBytes; i++) b[12 + i] = (byte) (seq + i);
        return b;
    }

    @Test
    void returnsAnExactCopyOfAStoredPacket() {
        RetransmissionCache cache = new RetransmissionCache();
        byte[] pkt = packet(4242, 100);
        RtpPacket view = new RtpPacket();
        view.wrap(pkt, 0, pkt.length);
        assertThat(cache.store(view, 0)).isTrue();
        Arrays.fill(pkt, (byte) 0); // the cache holds its own copy
        byte[] out = new byte[1500];
        int len = cache.copyTo(4242, 10 * MS, out, 8);
        assertThat(len).isEqualTo(112);
        assertThat(Arrays.copyOfRange(out, 8, 8 + len)).containsExactly(packet(4242, 100));
        assertThat(cache.copyTo(4243, 10 * MS, out, 0)).as("never stored").isEqualTo(-1);
    }

    @Test
    void keysAcrossTheSequenceWrap() {
        RetransmissionCache cache = new RetransmissionCache(16, 1500, 1000 * MS);
        for (int i = 0; i < 12; i++) {
            int seq = (65530 + i) & 0xFFFF; // 65530..65535, 0..5
            byte[] p = packet(seq, 10);
            cache.store(p, 0, p.length, seq, i * MS);
        }
        byte[] out = new byte[100];
        for (int i = 0; i < 12; i++) {
            int seq = (65530 + i) & 0xFFFF;
            assertThat(cache.copyTo(seq, 20 * MS, out, 0)).as("seq %d", seq).isEqualTo(22);
            assertThat(Bytes.u16(out, 2)).isEqualTo(seq);
        }
    }

    @Test
    void aSlotReusedByANewerPacketNoLongerAnswersForTheOlderOne() {
        RetransmissionCache cache = new RetransmissionCache(16, 1500, 1000 * MS);
        byte[] a = packet(1, 10);
        byte[] b = packet(17, 10);
        cache.store(a, 0, a.length, 1, 0);
        cache.store(b, 0, b.length, 17, MS);
        byte[] out = new byte[100];
        assertThat(cache.copyTo(1, 2 * MS, out, 0)).isEqualTo(-1);
        assertThat(cache.copyTo(17, 2 * MS, out, 0)).isEqualTo(22);
    }

    @Test
    void packetsOlderThanTheMaxAgeAreNotServed() {
        RetransmissionCache cache = new RetransmissionCache(); // 1 s max age
        byte[] p = packet(9, 10);
        cache.store(p, 0, p.length, 9, 5_000 * MS);
        byte[] out = new byte[100];
        assertThat(cache.copyTo(9, 5_999 * MS, out, 0)).isEqualTo(22);
        assertThat(cache.copyTo(9, 6_001 * MS, out, 0)).isEqualTo(-1);
    }

    @Test
    void refusesWhatDoesNotFit() {
        RetransmissionCache cache = new RetransmissionCache(16, 100, 1000 * MS);
        byte[] big = packet(1, 200);
        assertThat(cache.store(big, 0, big.length, 1, 0)).isFalse();
        byte[] p = packet(2, 50);
        cache.store(p, 0, p.length, 2, 0);
        assertThat(cache.copyTo(2, 0, new byte[70], 10)).as("out too small").isEqualTo(-1);
        assertThatThrownBy(() -> new RetransmissionCache(1000, 1500, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
