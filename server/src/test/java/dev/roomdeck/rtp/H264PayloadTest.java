package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** H264Payload finds IDR slices and SPSs in RFC 6184 single NAL unit, STAP-A and FU-A payloads. */
class H264PayloadTest {

    private static boolean key(String hex) {
        byte[] b = Hex.bytes(hex);
        return H264Payload.isKeyframe(b, 0, b.length);
    }

    @Test
    void singleNalUnits() {
        assertThat(key("65 88 84 00 33")).as("IDR slice, type 5").isTrue();
        assertThat(key("67 42 c0 1f da")).as("SPS, type 7").isTrue();
        assertThat(key("68 ce 3c 80")).as("PPS, type 8").isFalse();
        assertThat(key("41 9a 22 11")).as("non-IDR slice, type 1").isFalse();
        assertThat(key("06 05 ff")).as("SEI").isFalse();
    }

    @Test
    void stapAWithSpsPpsAndIdrIsAKeyframe() {
        // STAP-A header (NRI 3, type 24), then 16-bit size + unit: SPS, PPS, IDR.
        assertThat(key("78 | 00 04 | 67 42 c0 1f | 00 04 | 68 ce 3c 80 | 00 03 | 65 88 84")).isTrue();
        assertThat(key("78 | 00 04 | 68 ce 3c 80 | 00 03 | 65 88 84")).as("IDR last").isTrue();
        assertThat(key("78 | 00 04 | 68 ce 3c 80 | 00 02 | 41 9a")).as("PPS and a P slice").isFalse();
    }

    @Test
    void malformedStapAIsNoKeyframe() {
        assertThat(key("78 | 00 04 | 67 42 c0 1f | 00 09 | 65 88 84")).as("size past the end").isFalse();
        assertThat(key("78 | 00 00 | 00 03 | 65 88 84")).as("empty unit").isFalse();
        assertThat(key("78 | 00 03 | 65 88 84 | 00")).as("half a size field at the end").isFalse();
        assertThat(key("78")).as("no units").isFalse();
    }

    @Test
    void onlyTheFirstFuAFragmentOfAnIdrIsAKeyframe() {
        // FU indicator (NRI 3, type 28), FU header |S|E|R|type 5|.
        assertThat(key("7c | 85 | 88 84")).as("start").isTrue();
        assertThat(key("7c | 05 | 11 22")).as("middle").isFalse();
        assertThat(key("7c | 45 | 11 22")).as("end").isFalse();
        assertThat(key("7c | 81 | 9a 22")).as("start of a non-IDR slice").isFalse();
        assertThat(key("7c")).as("no FU header").isFalse();
    }

    @Test
    void badBoundsAndGarbageNeverThrow() {
        byte[] b = Hex.bytes("65 88 84");
        assertThat(H264Payload.isKeyframe(b, 0, 0)).isFalse();
        assertThat(H264Payload.isKeyframe(null, 0, 3)).isFalse();
        assertThat(H264Payload.isKeyframe(b, 1, 3)).isFalse();
        assertThat(H264Payload.isKeyframe(b, -1, 2)).isFalse();
        Random r = new Random(6184);
        byte[] g = new byte[32];
        for (int i = 0; i < 20_000; i++) {
            r.nextBytes(g);
            if (i % 2 == 0) g[0] = (byte) 0x78; // half of them STAP-A
            int off = r.nextInt(g.length + 1);
            H264Payload.isKeyframe(g, off, r.nextInt(g.length - off + 1));
        }
    }
}
