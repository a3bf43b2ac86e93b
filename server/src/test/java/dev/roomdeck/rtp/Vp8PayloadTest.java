package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Vp8Payload reads RFC 7741 payload descriptors and keyframe headers in place, and rewrites picture ids. */
class Vp8PayloadTest {

    // Descriptor X=1 S=1 PID=0 | I L T K | M=1 picture id 0x0123 | TL0PICIDX 5 | TID=2 Y=1 KEYIDX=3,
    // then a keyframe: frame tag (P=0) 10 02 00, start code 9d 01 2a, width 1280 with scaling 01 (00 45),
    // height 720 with scaling 10 (d0 82), then data.
    private static final String FULL_KEYFRAME =
            "90 | f0 | 81 23 | 05 | a3 | 10 02 00 | 9d 01 2a | 00 45 | d0 82 | aa bb";

    // Descriptor X=0 S=1 PID=0; keyframe 320x180, scaling 11 on the width and 01 on the height.
    private static final String SHORT_KEYFRAME = "10 | 10 02 00 | 9d 01 2a | 40 c1 | b4 40 | 00";

    // X=1 S=1 | I only | 7-bit picture id 42; delta frame: frame tag with P=1.
    private static final String DELTA_7BIT = "90 | 80 | 2a | 31 02 00 | cc dd";

    @Test
    void readsEveryFieldOfAFullDescriptor() {
        byte[] b = Hex.bytes(FULL_KEYFRAME);
        assertThat(Vp8Payload.isValid(b, 0, b.length)).isTrue();
        assertThat(Vp8Payload.descriptorLength(b, 0, b.length)).isEqualTo(6);
        assertThat(Vp8Payload.hasPictureId(b, 0, b.length)).isTrue();
        assertThat(Vp8Payload.pictureIdIs15Bit(b, 0, b.length)).isTrue();
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).isEqualTo(0x0123);
        assertThat(Vp8Payload.tl0PicIdx(b, 0, b.length)).isEqualTo(5);
        assertThat(Vp8Payload.temporalId(b, 0, b.length)).isEqualTo(2);
        assertThat(Vp8Payload.layerSync(b, 0, b.length)).isTrue();
    }

    @Test
    void aKeyframeStartsAFrameWithPZeroAndGivesItsSizeWithoutTheScalingBits() {
        byte[] b = Hex.bytes(FULL_KEYFRAME);
        assertThat(Vp8Payload.isStartOfFrame(b, 0, b.length)).isTrue();
        assertThat(Vp8Payload.isKeyframe(b, 0, b.length)).isTrue();
        assertThat(Vp8Payload.width(b, 0, b.length)).isEqualTo(1280);
        assertThat(Vp8Payload.height(b, 0, b.length)).isEqualTo(720);

        byte[] s = Hex.bytes(SHORT_KEYFRAME);
        assertThat(Vp8Payload.descriptorLength(s, 0, s.length)).as("no X byte").isEqualTo(1);
        assertThat(Vp8Payload.isKeyframe(s, 0, s.length)).isTrue();
        assertThat(Vp8Payload.width(s, 0, s.length)).isEqualTo(320);
        assertThat(Vp8Payload.height(s, 0, s.length)).isEqualTo(180);
        assertThat(Vp8Payload.hasPictureId(s, 0, s.length)).isFalse();
        assertThat(Vp8Payload.pictureId(s, 0, s.length)).isEqualTo(-1);
        assertThat(Vp8Payload.pictureIdIs15Bit(s, 0, s.length)).isFalse();
        assertThat(Vp8Payload.tl0PicIdx(s, 0, s.length)).isEqualTo(-1);
        assertThat(Vp8Payload.temporalId(s, 0, s.length)).isEqualTo(-1);
        assertThat(Vp8Payload.layerSync(s, 0, s.length)).isFalse();
    }

    @Test
    void aDeltaFrameIsNoKeyframeAndHasNoSize() {
        byte[] b = Hex.bytes(DELTA_7BIT);
        assertThat(Vp8Payload.isStartOfFrame(b, 0, b.length)).isTrue();
        assertThat(Vp8Payload.isKeyframe(b, 0, b.length)).isFalse();
        assertThat(Vp8Payload.width(b, 0, b.length)).isEqualTo(-1);
        assertThat(Vp8Payload.height(b, 0, b.length)).isEqualTo(-1);
        assertThat(Vp8Payload.descriptorLength(b, 0, b.length)).isEqualTo(3);
        assertThat(Vp8Payload.pictureIdIs15Bit(b, 0, b.length)).isFalse();
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).isEqualTo(42);
    }

    @Test
    void onlyTheFirstPacketOfPartitionZeroStartsAFrame() {
        // Same keyframe bytes after the descriptor, but S=0, or S=1 on partition 1: no frame tag there.
        byte[] middle = Hex.bytes("80 | 80 | 2a | 10 02 00 | 9d 01 2a | 00 05 | d0 02");
        byte[] partition1 = Hex.bytes("91 | 80 | 2a | 10 02 00 | 9d 01 2a | 00 05 | d0 02");
        for (byte[] b : new byte[][] {middle, partition1}) {
            assertThat(Vp8Payload.isValid(b, 0, b.length)).isTrue();
            assertThat(Vp8Payload.isStartOfFrame(b, 0, b.length)).isFalse();
            assertThat(Vp8Payload.isKeyframe(b, 0, b.length)).isFalse();
            assertThat(Vp8Payload.width(b, 0, b.length)).isEqualTo(-1);
        }
    }

    @Test
    void theTkByteWithoutTHasNoTemporalId() {
        // X=1 | K only | TID bits 11, Y=1, KEYIDX 31: TID and Y must be ignored without T.
        byte[] b = Hex.bytes("90 | 10 | ff | 10 00 00");
        assertThat(Vp8Payload.descriptorLength(b, 0, b.length)).isEqualTo(3);
        assertThat(Vp8Payload.temporalId(b, 0, b.length)).isEqualTo(-1);
        assertThat(Vp8Payload.layerSync(b, 0, b.length)).isFalse();
        assertThat(Vp8Payload.hasPictureId(b, 0, b.length)).isFalse();

        // X=1 | L T, no picture id: TL0PICIDX 200, TID 1, Y 0.
        byte[] lt = Hex.bytes("90 | 60 | c8 | 40 | 10 00 00");
        assertThat(Vp8Payload.descriptorLength(lt, 0, lt.length)).isEqualTo(4);
        assertThat(Vp8Payload.tl0PicIdx(lt, 0, lt.length)).isEqualTo(200);
        assertThat(Vp8Payload.temporalId(lt, 0, lt.length)).isEqualTo(1);
        assertThat(Vp8Payload.layerSync(lt, 0, lt.length)).isFalse();
    }

    @Test
    void aKeyframeWithoutItsFullHeaderOrStartCodeHasNoSize() {
        byte[] cut = Hex.bytes("10 | 10 02 00 | 9d 01 2a | 40 c1 | b4");
        assertThat(Vp8Payload.isKeyframe(cut, 0, cut.length)).isTrue();
        assertThat(Vp8Payload.width(cut, 0, cut.length)).isEqualTo(-1);
        assertThat(Vp8Payload.height(cut, 0, cut.length)).isEqualTo(-1);

        byte[] wrongCode = Hex.bytes("10 | 10 02 00 | 9d 01 2b | 40 c1 | b4 40");
        assertThat(Vp8Payload.isKeyframe(wrongCode, 0, wrongCode.length)).isTrue();
        assertThat(Vp8Payload.width(wrongCode, 0, wrongCode.length)).isEqualTo(-1);

        byte[] descriptorOnly = Hex.bytes("90 | 80 | 2a");
        assertThat(Vp8Payload.isValid(descriptorOnly, 0, descriptorOnly.length)).isTrue();
        assertThat(Vp8Payload.isKeyframe(descriptorOnly, 0, descriptorOnly.length)).as("no frame tag").isFalse();
    }

    @Test
    void everyTruncatedDescriptorIsInvalidAndReadsAsAbsent() {
        byte[] b = Hex.bytes(FULL_KEYFRAME);
        for (int len = 0; len < 6; len++) {
            assertThat(Vp8Payload.isValid(b, 0, len)).as("length %d", len).isFalse();
            assertThat(Vp8Payload.descriptorLength(b, 0, len)).isEqualTo(-1);
            assertThat(Vp8Payload.isStartOfFrame(b, 0, len)).isFalse();
            assertThat(Vp8Payload.isKeyframe(b, 0, len)).isFalse();
            assertThat(Vp8Payload.width(b, 0, len)).isEqualTo(-1);
            assertThat(Vp8Payload.hasPictureId(b, 0, len)).isFalse();
            assertThat(Vp8Payload.pictureId(b, 0, len)).isEqualTo(-1);
            assertThat(Vp8Payload.tl0PicIdx(b, 0, len)).isEqualTo(-1);
            assertThat(Vp8Payload.temporalId(b, 0, len)).isEqualTo(-1);
            byte[] before = b.clone();
            Vp8Payload.setPictureId(b, 0, len, 7);
            Vp8Payload.setTl0PicIdx(b, 0, len, 7);
            assertThat(b).as("nothing written into a descriptor that does not fit").isEqualTo(before);
        }
        assertThat(Vp8Payload.isValid(b, 0, 6)).isTrue();
    }

    @Test
    void boundsOutsideTheArrayAreInvalidNotAnException() {
        byte[] b = Hex.bytes(FULL_KEYFRAME);
        assertThat(Vp8Payload.isValid(null, 0, 6)).isFalse();
        assertThat(Vp8Payload.isValid(b, -1, 6)).isFalse();
        assertThat(Vp8Payload.isValid(b, 0, -1)).isFalse();
        assertThat(Vp8Payload.isValid(b, 0, b.length + 1)).isFalse();
        assertThat(Vp8Payload.isValid(b, b.length, 1)).isFalse();
        assertThat(Vp8Payload.pictureId(b, Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(-1);
        Vp8Payload.setPictureId(null, 0, 6, 1);
    }

    @Test
    void garbageNeverThrows() {
        Random r = new Random(7741);
        byte[] b = new byte[24];
        for (int i = 0; i < 20_000; i++) {
            r.nextBytes(b);
            int off = r.nextInt(b.length + 1);
            int len = r.nextInt(b.length - off + 1);
            int n = Vp8Payload.descriptorLength(b, off, len);
            assertThat(n).isBetween(-1, Math.min(len, 6));
            Vp8Payload.isKeyframe(b, off, len);
            Vp8Payload.width(b, off, len);
            Vp8Payload.height(b, off, len);
            Vp8Payload.pictureId(b, off, len);
            Vp8Payload.tl0PicIdx(b, off, len);
            Vp8Payload.temporalId(b, off, len);
            Vp8Payload.layerSync(b, off, len);
            Vp8Payload.setPictureId(b, off, len, i);
            Vp8Payload.setTl0PicIdx(b, off, len, i);
        }
    }

    @Test
    void rewritesA15BitPictureIdModulo32768AndTl0PicIdxModulo256InPlace() {
        byte[] b = Hex.bytes(FULL_KEYFRAME);
        Vp8Payload.setPictureId(b, 0, b.length, 40_000); // 40000 - 32768 = 7232 = 0x1c40
        Vp8Payload.setTl0PicIdx(b, 0, b.length, 300); // 300 - 256 = 44 = 0x2c
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).isEqualTo(7232);
        assertThat(Vp8Payload.pictureIdIs15Bit(b, 0, b.length)).as("M bit kept").isTrue();
        assertThat(Vp8Payload.tl0PicIdx(b, 0, b.length)).isEqualTo(44);
        assertThat(b).containsExactly(Hex.bytes(
                "90 | f0 | 9c 40 | 2c | a3 | 10 02 00 | 9d 01 2a | 00 45 | d0 82 | aa bb"));
        Vp8Payload.setPictureId(b, 0, b.length, 0x7FFF);
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).isEqualTo(0x7FFF);
        Vp8Payload.setPictureId(b, 0, b.length, -1);
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).as("-1 wraps to the field's top").isEqualTo(0x7FFF);
    }

    @Test
    void rewritesA7BitPictureIdModulo128KeepingTheFieldOneByte() {
        byte[] b = Hex.bytes(DELTA_7BIT);
        Vp8Payload.setPictureId(b, 0, b.length, 200); // 200 - 128 = 72 = 0x48
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).isEqualTo(72);
        assertThat(Vp8Payload.pictureIdIs15Bit(b, 0, b.length)).isFalse();
        assertThat(b).containsExactly(Hex.bytes("90 | 80 | 48 | 31 02 00 | cc dd"));
    }

    @Test
    void setsNothingWhenTheFieldIsAbsent() {
        byte[] b = Hex.bytes(SHORT_KEYFRAME);
        byte[] before = b.clone();
        Vp8Payload.setPictureId(b, 0, b.length, 5);
        Vp8Payload.setTl0PicIdx(b, 0, b.length, 5);
        assertThat(b).isEqualTo(before);
    }

    @Test
    void worksAtThePayloadOffsetOfARealPacket() {
        byte[] payload = Hex.bytes(FULL_KEYFRAME);
        byte[] pkt = new byte[12 + payload.length];
        System.arraycopy(Hex.bytes("80 60 00 01 | 00 00 00 00 | 00 00 00 01"), 0, pkt, 0, 12);
        System.arraycopy(payload, 0, pkt, 12, payload.length);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(pkt, 0, pkt.length)).isTrue();
        int off = p.payloadOffset();
        int len = p.payloadLength();
        assertThat(Vp8Payload.isKeyframe(pkt, off, len)).isTrue();
        assertThat(Vp8Payload.width(pkt, off, len)).isEqualTo(1280);
        Vp8Payload.setPictureId(pkt, off, len, 9);
        assertThat(Vp8Payload.pictureId(pkt, off, len)).isEqualTo(9);
        assertThat(Arrays.copyOfRange(pkt, 0, 14)).containsExactly(Hex.bytes("80 60 00 01 | 00 00 00 00 | 00 00 00 01 | 90 f0"));
        assertThat(Arrays.copyOfRange(pkt, 16, pkt.length)).containsExactly(Arrays.copyOfRange(payload, 4, payload.length));
    }
}
