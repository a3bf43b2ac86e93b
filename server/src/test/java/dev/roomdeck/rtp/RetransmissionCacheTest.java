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

    /**
     * A stream's packets lie one after the other in a ring of bytes that starts small and doubles only while it
     * would overwrite packets younger than the age served: a low simulcast layer keeps its second in the initial
     * 32 KB, a 2.4 Mbit/s stream grows to hold its second (not to the largest size), and every packet of the last
     * second is served exactly, also across the arena's wrap.
     */
    @Test
    void theArenaFitsTheStreamsSecondAndServesAllOfIt() {
        RetransmissionCache low = new RetransmissionCache(256, 1500, 1000 * MS);
        for (int i = 0; i < 3000; i++) { // 30 s of 150 kbit/s: 600-byte packets, 31 a second
            byte[] p = packet(i, 588);
            assertThat(low.store(p, 0, p.length, i, i * 32 * MS)).isTrue();
        }
        assertThat(low.arenaBytes()).as("150 kbit/s: 19 KB a second").isEqualTo(RetransmissionCache.INITIAL_ARENA_BYTES);

        RetransmissionCache top = new RetransmissionCache();
        long now = 0;
        for (int i = 0; i < 6000; i++) { // 20 s of 300 packets a second, 1,000 bytes each: 2.4 Mbit/s
            now = i * 1000 * MS / 300;
            byte[] p = packet(i & 0xFFFF, 988);
            top.store(p, 0, p.length, i & 0xFFFF, now);
        }
        assertThat(top.arenaBytes()).as("300 KB a second").isBetween(300 * 1024, 1024 * 1024);
        byte[] out = new byte[1500];
        for (int i = 6000 - 290; i < 6000; i++) { // the last ~second
            assertThat(top.copyTo(i & 0xFFFF, now, out, 0)).as("seq %d", i).isEqualTo(1000);
            assertThat(Arrays.copyOf(out, 1000)).isEqualTo(packet(i & 0xFFFF, 988));
        }
    }

    /** A stream that speeds up: what was stored before the arena grew is still served, byte for byte. */
    @Test
    void growingKeepsWhatIsStored() {
        RetransmissionCache cache = new RetransmissionCache();
        int seq = 0;
        for (; seq < 20; seq++) { // slowly: 20 packets of 1,200 bytes
            byte[] p = packet(seq, 1188);
            cache.store(p, 0, p.length, seq, seq * 10 * MS);
        }
        int before = cache.arenaBytes();
        for (; seq < 200; seq++) { // then 180 in 90 ms: the arena must grow to keep them all
            byte[] p = packet(seq, 1188);
            cache.store(p, 0, p.length, seq, 200 * MS + seq * MS / 2);
        }
        assertThat(cache.arenaBytes()).isGreaterThan(before);
        byte[] out = new byte[1500];
        for (int s = 0; s < 200; s++) {
            assertThat(cache.copyTo(s, 400 * MS, out, 0)).as("seq %d", s).isEqualTo(1200);
            assertThat(Arrays.copyOf(out, 1200)).isEqualTo(packet(s, 1188));
        }
    }

    /**
     * The arena never grows past what the index addresses (slots × largest packet): a fast stream of full-size
     * packets is served for its last {@code slotCount} packets, then the index, not the arena, lets the oldest go.
     */
    @Test
    void theArenaNeverOutgrowsTheIndex() {
        RetransmissionCache cache = new RetransmissionCache(16, 100, 1000 * MS); // 16 packets of 100 bytes
        for (int seq = 0; seq < 40; seq++) {
            byte[] p = packet(seq, 88);
            cache.store(p, 0, p.length, seq, seq * MS); // all within the max age
        }
        assertThat(cache.arenaBytes()).isEqualTo(2048);
        byte[] out = new byte[100];
        assertThat(cache.copyTo(23, 50 * MS, out, 0)).as("its entry went to seq 39").isEqualTo(-1);
        for (int seq = 24; seq < 40; seq++) {
            assertThat(cache.copyTo(seq, 50 * MS, out, 0)).isEqualTo(100);
            assertThat(Arrays.copyOf(out, 100)).isEqualTo(packet(seq, 88));
        }
    }
}
