package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RtpPacket reads RFC 3550 / RFC 8285 packets in place, rewrites them in place, and refuses malformed ones. */
class RtpPacketTest {
    private final RtpPacket p = new RtpPacket();

    // V=2 P=0 X=0 CC=0 | M=1 PT=96 | seq 27023 | ts 3653407706 | ssrc 0x1c642782 | payload 98 36 be 88 9e
    private static final String PLAIN = "80 e0 69 8f | d9 c2 93 da | 1c 64 27 82 | 98 36 be 88 9e";

    // V=2 X=1, PT=111, seq 1, ts 160, ssrc 0x11223344, one-byte extensions (0xBEDE, 2 words):
    //   id 1 L=0 -> 1 byte aa (audio level), padding 00, id 3 L=1 -> 2 bytes 01 02 (transport-cc seq 258),
    //   padding 00 00; payload ca fe
    private static final String ONE_BYTE = "90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 10 aa 00 31 | 01 02 00 00 | ca fe";

    // Two-byte form (profile 0x1000): id 5 len 0, id 200 len 3 (61 62 63), padding 00; payload 01
    private static final String TWO_BYTE = "90 60 00 02 | 00 00 00 00 | 00 00 00 01 | 10 00 00 02 | 05 00 c8 03 | 61 62 63 00 | 01";

    @Test
    void readsTheFixedHeader() {
        byte[] b = Hex.bytes(PLAIN);
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.hasPadding()).isFalse();
        assertThat(p.hasExtension()).isFalse();
        assertThat(p.csrcCount()).isZero();
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(27023);
        assertThat(Integer.toUnsignedLong(p.timestamp())).isEqualTo(3653407706L);
        assertThat(p.ssrc()).isEqualTo(0x1c642782);
        assertThat(p.headerLength()).isEqualTo(12);
        assertThat(p.payloadOffset()).isEqualTo(12);
        assertThat(p.payloadLength()).isEqualTo(5);
        assertThat(p.extensionProfile()).isEqualTo(-1);
    }

    @Test
    void worksAtAnOffsetInsideALargerBuffer() {
        byte[] pkt = Hex.bytes(PLAIN);
        byte[] big = new byte[100];
        System.arraycopy(pkt, 0, big, 40, pkt.length);
        assertThat(p.wrap(big, 40, pkt.length)).isTrue();
        assertThat(p.sequenceNumber()).isEqualTo(27023);
        assertThat(p.payloadOffset()).isEqualTo(52);
        p.setSsrc(0xCAFEBABE);
        assertThat(Arrays.copyOfRange(big, 48, 52)).containsExactly(Hex.bytes("ca fe ba be"));
    }

    @Test
    void readsCsrcsAndPadding() {
        // CC=2, P=1: 2 CSRCs, payload 01 02 03, then 3 padding bytes (00 00 03)
        byte[] b = Hex.bytes("a2 08 00 07 | 00 00 00 08 | 00 00 00 09 | 00 00 00 0a | 00 00 00 0b | 01 02 03 00 00 03");
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.csrcCount()).isEqualTo(2);
        assertThat(p.csrc(0)).isEqualTo(10);
        assertThat(p.csrc(1)).isEqualTo(11);
        assertThat(p.headerLength()).isEqualTo(20);
        assertThat(p.paddingLength()).isEqualTo(3);
        assertThat(p.payloadLength()).isEqualTo(3);
    }

    @Test
    void settersWriteInPlaceAndKeepNeighbours() {
        byte[] b = Hex.bytes(PLAIN);
        p.wrap(b, 0, b.length);
        p.setPayloadType(100);
        assertThat(p.marker()).as("marker survives a PT rewrite").isTrue();
        assertThat(p.payloadType()).isEqualTo(100);
        p.setMarker(false);
        p.setSequenceNumber(65535);
        p.setTimestamp(0xFFFFFFFE);
        p.setSsrc(0x01020304);
        assertThat(b).containsExactly(Hex.bytes("80 64 ff ff | ff ff ff fe | 01 02 03 04 | 98 36 be 88 9e"));
    }

    @Test
    void findsOneByteExtensionElements() {
        byte[] b = Hex.bytes(ONE_BYTE);
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(p.headerLength()).isEqualTo(24);
        assertThat(p.payloadLength()).isEqualTo(2);
        int at = p.findExtension(1);
        assertThat(at).isEqualTo(17);
        assertThat(p.foundExtensionLength()).isEqualTo(1);
        assertThat(b[at] & 0xFF).isEqualTo(0xaa);
        assertThat(p.transportSequenceNumber(3)).isEqualTo(258);
        assertThat(p.findExtension(2)).isEqualTo(-1);
        assertThat(p.setTransportSequenceNumber(3, 0xBEEF)).isTrue();
        assertThat(p.transportSequenceNumber(3)).isEqualTo(0xBEEF);
        assertThat(p.setTransportSequenceNumber(4, 1)).isFalse();
    }

    @Test
    void stampsAbsSendTimeAsSixPointEighteenSecondsThatWrapEvery64() {
        byte[] b = Hex.bytes(TWO_BYTE);
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.setAbsSendTime(200, 65_500_000_000L)).isTrue(); // 65.5 s: 1.5 s after the wrap at 64
        int at = p.findExtension(200);
        assertThat(Arrays.copyOfRange(b, at, at + 3)).containsExactly(0x06, 0x00, 0x00);
        assertThat(p.setAbsSendTime(5, 0)).as("a 0-byte element is no abs-send-time").isFalse();
        assertThat(p.setAbsSendTime(7, 0)).as("absent").isFalse();
    }

    @Test
    void findsTwoByteExtensionElements() {
        byte[] b = Hex.bytes(TWO_BYTE);
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.extensionProfile()).isEqualTo(0x1000);
        assertThat(p.findExtension(5)).isEqualTo(18);
        assertThat(p.foundExtensionLength()).isZero();
        int at = p.findExtension(200);
        assertThat(at).isEqualTo(20);
        assertThat(p.foundExtensionLength()).isEqualTo(3);
        assertThat(Arrays.copyOfRange(b, at, at + 3)).containsExactly('a', 'b', 'c');
    }

    @Test
    void rewritesOneByteIdsInPlace() {
        byte[] b = Hex.bytes(ONE_BYTE);
        p.wrap(b, 0, b.length);
        int[] map = new int[16];
        map[1] = 4;   // audio level: subscriber calls it 4
        map[3] = 9;   // transport-cc: 9 at the subscriber
        assertThat(p.rewriteExtensionIds(map)).isTrue();
        assertThat(b).containsExactly(Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 40 aa 00 91 | 01 02 00 00 | ca fe"));
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.transportSequenceNumber(9)).isEqualTo(258);
        assertThat(p.findExtension(3)).isEqualTo(-1);
    }

    @Test
    void erasesElementsTheReceiverCannotUseAsPadding() {
        byte[] b = Hex.bytes(ONE_BYTE);
        p.wrap(b, 0, b.length);
        int[] map = new int[16];
        map[3] = 15;  // 15 is "stop parsing" in the one-byte form: never written, the element becomes padding
        // map[1] = 0: not negotiated by the receiver -> zero bytes
        assertThat(p.rewriteExtensionIds(map)).isTrue();
        assertThat(b).containsExactly(Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 00 00 00 00 | 00 00 00 00 | ca fe"));
        assertThat(p.wrap(b, 0, b.length)).as("still a valid packet").isTrue();
        assertThat(p.payloadLength()).isEqualTo(2);
        for (int id = 1; id < 15; id++) assertThat(p.findExtension(id)).isEqualTo(-1);
    }

    @Test
    void rewritesTwoByteIdsAndIdsOutsideTheMapAreErased() {
        byte[] b = Hex.bytes(TWO_BYTE);
        p.wrap(b, 0, b.length);
        int[] map = new int[16]; // 200 is outside the map
        map[5] = 12;
        assertThat(p.rewriteExtensionIds(map)).isTrue();
        assertThat(b).containsExactly(Hex.bytes("90 60 00 02 | 00 00 00 00 | 00 00 00 01 | 10 00 00 02 | 0c 00 00 00 | 00 00 00 00 | 01"));
    }

    @Test
    void identityMapLeavesThePacketAlone() {
        byte[] b = Hex.bytes(ONE_BYTE);
        byte[] before = b.clone();
        p.wrap(b, 0, b.length);
        assertThat(p.rewriteExtensionIds(RtpPacket.identityExtensionMap())).isTrue();
        assertThat(b).containsExactly(before);
    }

    @Test
    void refusesMalformedPackets() {
        assertThat(p.wrap(null, 0, 12)).isFalse();
        assertThat(p.wrap(new byte[11], 0, 11)).as("shorter than the fixed header").isFalse();
        byte[] plain = Hex.bytes(PLAIN);
        assertThat(p.wrap(plain, 0, plain.length + 1)).as("len past the array").isFalse();
        assertThat(p.wrap(plain, -1, 5)).isFalse();
        assertThat(p.wrap(plain, 5, Integer.MAX_VALUE)).isFalse();
        assertThat(p.isValid()).isFalse();

        byte[] v1 = Hex.bytes("40 60 00 01 | 00 00 00 00 | 00 00 00 01");
        assertThat(p.wrap(v1, 0, v1.length)).as("version 1").isFalse();

        byte[] csrcOverflow = Hex.bytes("8f 60 00 01 | 00 00 00 00 | 00 00 00 01 | 00 00 00 02");
        assertThat(p.wrap(csrcOverflow, 0, csrcOverflow.length)).as("CC=15 but one CSRC present").isFalse();

        byte[] noExtHeader = Hex.bytes("90 60 00 01 | 00 00 00 00 | 00 00 00 01 | be de");
        assertThat(p.wrap(noExtHeader, 0, noExtHeader.length)).as("X set, extension header cut").isFalse();

        byte[] extPastEnd = Hex.bytes("90 60 00 01 | 00 00 00 00 | 00 00 00 01 | be de 00 03 | 10 aa 00 00");
        assertThat(p.wrap(extPastEnd, 0, extPastEnd.length)).as("extension length past the end").isFalse();

        byte[] zeroPad = Hex.bytes("a0 60 00 01 | 00 00 00 00 | 00 00 00 01 | 01 02 03 00");
        assertThat(p.wrap(zeroPad, 0, zeroPad.length)).as("padding count 0").isFalse();

        byte[] padTooBig = Hex.bytes("a0 60 00 01 | 00 00 00 00 | 00 00 00 01 | 01 02 03 05");
        assertThat(p.wrap(padTooBig, 0, padTooBig.length)).as("padding larger than the payload").isFalse();

        byte[] padNoRoom = Hex.bytes("a0 60 00 01 | 00 00 00 00 | 00 00 00 01");
        assertThat(p.wrap(padNoRoom, 0, padNoRoom.length)).as("P set, no byte for the count").isFalse();
    }

    @Test
    void elementsRunningPastTheExtensionBlockAreNotFoundNorRewritten() {
        // one-byte element id 1 claims 4 bytes but the block has 3 left
        byte[] b = Hex.bytes("90 60 00 01 | 00 00 00 00 | 00 00 00 01 | be de 00 01 | 13 01 02 03");
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.findExtension(1)).isEqualTo(-1);
        assertThat(p.rewriteExtensionIds(RtpPacket.identityExtensionMap())).isFalse();
        // two-byte element whose length byte is outside the block
        byte[] t = Hex.bytes("90 60 00 01 | 00 00 00 00 | 00 00 00 01 | 10 00 00 01 | 00 00 00 07");
        assertThat(p.wrap(t, 0, t.length)).isTrue();
        assertThat(p.findExtension(7)).isEqualTo(-1);
        assertThat(p.rewriteExtensionIds(new int[256])).isFalse();
    }

    @Test
    void unknownExtensionProfilesAreSkippedNotParsed() {
        byte[] b = Hex.bytes("90 60 00 01 | 00 00 00 00 | 00 00 00 01 | ab cd 00 01 | 10 aa 00 00 | 77");
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.payloadLength()).isEqualTo(1);
        assertThat(p.findExtension(1)).isEqualTo(-1);
        assertThat(p.rewriteExtensionIds(RtpPacket.identityExtensionMap())).isFalse();
    }

    @Test
    void demultiplexesRtpFromRtcp() {
        byte[] rtp = Hex.bytes(PLAIN);
        assertThat(RtpPacket.looksLikeRtp(rtp, 0, rtp.length)).isTrue();
        assertThat(Rtcp.looksLikeRtcp(rtp, 0, rtp.length)).isFalse();
        byte[] pli = new byte[12];
        Pli.write(pli, 0, 1, 2);
        assertThat(RtpPacket.looksLikeRtp(pli, 0, pli.length)).isFalse();
        assertThat(Rtcp.looksLikeRtcp(pli, 0, pli.length)).isTrue();
    }

    @Test
    void hundredThousandRandomAndMutatedBuffersNeverThrow() {
        Random rnd = new Random(20261126);
        byte[][] seeds = {Hex.bytes(PLAIN), Hex.bytes(ONE_BYTE), Hex.bytes(TWO_BYTE)};
        int[] map = new int[256];
        int valid = 0;
        for (int round = 0; round < 100_000; round++) {
            byte[] b;
            if (round % 2 == 0) {
                b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                if (b.length > 0) b[0] = (byte) (0x80 | (b[0] & 0x3F)); // mostly version 2 to get past the first check
            } else {
                byte[] seed = seeds[rnd.nextInt(seeds.length)];
                b = Arrays.copyOf(seed, Math.max(0, seed.length + rnd.nextInt(9) - 4));
                for (int k = rnd.nextInt(4); k >= 0; k--) if (b.length > 0) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            for (int i = 0; i < map.length; i++) map[i] = rnd.nextInt(20);
            int off = b.length == 0 ? 0 : rnd.nextInt(2);
            int len = Math.max(0, b.length - off - rnd.nextInt(2));
            if (p.wrap(b, off, len)) {
                valid++;
                assertThat(p.payloadOffset() + p.payloadLength() + p.paddingLength()).isEqualTo(off + len);
                p.sequenceNumber();
                p.timestamp();
                for (int i = 0; i < p.csrcCount(); i++) p.csrc(i);
                for (int id = 0; id < 16; id++) {
                    int at = p.findExtension(id);
                    if (at >= 0) assertThat(at + p.foundExtensionLength()).isLessThanOrEqualTo(p.payloadOffset());
                }
                p.transportSequenceNumber(3);
                p.rewriteExtensionIds(map);
                assertThat(p.wrap(b, off, len)).as("rewrite keeps it valid").isTrue();
            }
        }
        assertThat(valid).as("the fuzz reached the parsers").isGreaterThan(10_000);
    }
}
