package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 4588 retransmission layout: RTX PT, RTX SSRC, own seq, OSN in front of the original payload. */
class RtxWriterTest {
    // marker, PT 96, seq 0x1234, ts 0xaabbccdd, ssrc 0x01020304, one CSRC 0x0a, one-byte ext (id 3 = 00 07),
    // payload de ad be ef, padding 00 00 03
    private static final String ORIGINAL = "b1 e0 12 34 | aa bb cc dd | 01 02 03 04 | 00 00 00 0a | be de 00 01 | 31 00 07 00"
            + "| de ad be ef | 00 00 03";

    @Test
    void turnsACachedPacketIntoRtx() {
        RetransmissionCache cache = new RetransmissionCache();
        byte[] orig = Hex.bytes(ORIGINAL);
        cache.store(orig, 0, orig.length, 0x1234, 0);
        byte[] out = new byte[1500];
        int len = cache.copyTo(0x1234, 1, out, 0);
        RtxWriter rtx = new RtxWriter(97, 0x05060708, 500);
        len = rtx.toRtxInPlace(out, 0, len);
        // P cleared, marker kept, PT 97, seq 500 (0x01f4), same timestamp, RTX SSRC, CSRC and extension kept,
        // OSN 12 34 in front of the payload, padding gone
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes(
                "91 e1 01 f4 | aa bb cc dd | 05 06 07 08 | 00 00 00 0a | be de 00 01 | 31 00 07 00 | 12 34 de ad | be ef"));
        assertThat(rtx.nextSequenceNumber()).isEqualTo(501);
    }

    @Test
    void rtxSequenceNumbersAreTheirOwnAndWrap() {
        RtxWriter rtx = new RtxWriter(97, 1, 65535);
        byte[] buf = new byte[100];
        for (int expected : new int[] {65535, 0, 1}) {
            byte[] p = Hex.bytes("80 60 00 07 | 00 00 00 00 | 00 00 00 01 | 55");
            System.arraycopy(p, 0, buf, 0, p.length);
            assertThat(rtx.toRtxInPlace(buf, 0, p.length)).isEqualTo(15);
            assertThat(Bytes.u16(buf, 2)).isEqualTo(expected);
            assertThat(Bytes.u16(buf, 12)).as("OSN").isEqualTo(7);
        }
    }

    @Test
    void refusesWhenThereIsNoRoomForTheOsn() {
        byte[] p = Hex.bytes("80 60 00 07 | 00 00 00 00 | 00 00 00 01 | 55");
        assertThat(new RtxWriter(97, 1, 0).toRtxInPlace(p, 0, p.length)).isEqualTo(-1);
        assertThat(new RtxWriter(97, 1, 0).toRtxInPlace(new byte[20], 0, 5)).isEqualTo(-1);
    }

    @Test
    void restoresTheOriginalFromAPublishersRtx() {
        byte[] buf = new byte[1500];
        byte[] orig = Hex.bytes(ORIGINAL);
        System.arraycopy(orig, 0, buf, 0, orig.length);
        int len = new RtxWriter(97, 0x05060708, 9).toRtxInPlace(buf, 0, orig.length);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(buf, 0, len)).isTrue();
        int restored = RtxWriter.restoreOriginal(p, 96, 0x01020304);
        // the original without its padding (b1 -> 91: P bit was cleared when RTX dropped the padding)
        assertThat(Arrays.copyOf(buf, restored)).containsExactly(Hex.bytes(
                "91 e0 12 34 | aa bb cc dd | 01 02 03 04 | 00 00 00 0a | be de 00 01 | 31 00 07 00 | de ad be ef"));
        assertThat(p.sequenceNumber()).isEqualTo(0x1234);
        assertThat(p.payloadLength()).isEqualTo(4);
    }
}
