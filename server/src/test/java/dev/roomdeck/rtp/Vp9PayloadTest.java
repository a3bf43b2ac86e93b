package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Vp9Payload reads RFC 9628 payload descriptors in both modes: keyframes, layer ids, picture id rewriting. */
class Vp9PayloadTest {

    // Non-flexible keyframe: I P=0 L F=0 B V | M=1 picture id 7 | TID 0 U 0 SID 0 D 0 | TL0PICIDX 0 |
    // SS: N_S=0 (one spatial layer) Y G | 1280 x 720 | N_G=1 | TID 0 U 0 R 0 | then VP9 data.
    private static final String NON_FLEXIBLE_KEYFRAME =
            "aa | 80 07 | 00 | 00 | 18 | 05 00 02 d0 | 01 | 00 | 82 49 83 42";

    // Non-flexible inter frame: I P L B | M=1 picture id 8 | TID 1 U 1 SID 0 | TL0PICIDX 0 | data.
    private static final String NON_FLEXIBLE_INTER = "e8 | 80 08 | 30 | 00 | 86 00";

    // Flexible inter frame: I P L F B | 7-bit picture id 5 | TID 2 SID 0 | P_DIFF 1 N=1 | P_DIFF 2 N=0 | data.
    private static final String FLEXIBLE_INTER = "f8 | 05 | 40 | 03 | 04 | 86 00";

    @Test
    void aNonFlexibleKeyframeWithItsScalabilityStructure() {
        byte[] b = Hex.bytes(NON_FLEXIBLE_KEYFRAME);
        assertThat(Vp9Payload.descriptorLength(b, 0, b.length)).isEqualTo(12);
        assertThat(Vp9Payload.isValid(b, 0, b.length)).isTrue();
        assertThat(Vp9Payload.isStartOfFrame(b, 0, b.length)).isTrue();
        assertThat(Vp9Payload.isKeyframe(b, 0, b.length)).isTrue();
        assertThat(Vp9Payload.pictureIdIs15Bit(b, 0, b.length)).isTrue();
        assertThat(Vp9Payload.pictureId(b, 0, b.length)).isEqualTo(7);
        assertThat(Vp9Payload.temporalId(b, 0, b.length)).isZero();
        assertThat(Vp9Payload.spatialId(b, 0, b.length)).isZero();
    }

    @Test
    void anInterFrameIsNoKeyframe() {
        byte[] b = Hex.bytes(NON_FLEXIBLE_INTER);
        assertThat(Vp9Payload.descriptorLength(b, 0, b.length)).isEqualTo(5);
        assertThat(Vp9Payload.isStartOfFrame(b, 0, b.length)).isTrue();
        assertThat(Vp9Payload.isKeyframe(b, 0, b.length)).isFalse();
        assertThat(Vp9Payload.pictureId(b, 0, b.length)).isEqualTo(8);
        assertThat(Vp9Payload.temporalId(b, 0, b.length)).isEqualTo(1);

        byte[] f = Hex.bytes(FLEXIBLE_INTER);
        assertThat(Vp9Payload.descriptorLength(f, 0, f.length)).as("flags, pid, layers, two P_DIFFs").isEqualTo(5);
        assertThat(Vp9Payload.isKeyframe(f, 0, f.length)).isFalse();
        assertThat(Vp9Payload.pictureIdIs15Bit(f, 0, f.length)).isFalse();
        assertThat(Vp9Payload.pictureId(f, 0, f.length)).isEqualTo(5);
        assertThat(Vp9Payload.temporalId(f, 0, f.length)).isEqualTo(2);
    }

    @Test
    void aKeyframeIsTheLowestSpatialLayersStartWithoutInterPicturePrediction() {
        // Flexible mode, P=0, B=1: SID 0 is the keyframe; SID 1 (D=1, predicted from the layer below) is not.
        byte[] sid0 = Hex.bytes("b8 | 81 00 | 00 | 82 49");
        byte[] sid1 = Hex.bytes("b8 | 81 00 | 03 | 82 49");
        assertThat(Vp9Payload.isKeyframe(sid0, 0, sid0.length)).isTrue();
        assertThat(Vp9Payload.spatialId(sid1, 0, sid1.length)).isEqualTo(1);
        assertThat(Vp9Payload.isKeyframe(sid1, 0, sid1.length)).isFalse();

        // No layer indices at all: B=1 and P=0 decide alone.
        byte[] noLayers = Hex.bytes("88 | 10 | 82 49");
        assertThat(Vp9Payload.isKeyframe(noLayers, 0, noLayers.length)).isTrue();
        assertThat(Vp9Payload.temporalId(noLayers, 0, noLayers.length)).isEqualTo(-1);
        assertThat(Vp9Payload.spatialId(noLayers, 0, noLayers.length)).isEqualTo(-1);

        // P=0 but B=0: a later packet of the keyframe.
        byte[] later = Hex.bytes("a4 | 80 07 | 00 | 00 | 55 66");
        assertThat(Vp9Payload.isStartOfFrame(later, 0, later.length)).isFalse();
        assertThat(Vp9Payload.isKeyframe(later, 0, later.length)).isFalse();

        // Without a picture id the layer byte follows the flags directly.
        byte[] noPid = Hex.bytes("28 | 40 | 00 | 82");
        assertThat(Vp9Payload.hasPictureId(noPid, 0, noPid.length)).isFalse();
        assertThat(Vp9Payload.pictureId(noPid, 0, noPid.length)).isEqualTo(-1);
        assertThat(Vp9Payload.temporalId(noPid, 0, noPid.length)).isEqualTo(2);
        assertThat(Vp9Payload.isKeyframe(noPid, 0, noPid.length)).isTrue();
    }

    @Test
    void malformedDescriptorsAreInvalidAndNoKeyframes() {
        // A fourth P_DIFF (the third still says N=1).
        byte[] fourRefs = Hex.bytes("f8 | 05 | 40 | 03 | 05 | 07 | 09 | 86");
        assertThat(Vp9Payload.isValid(fourRefs, 0, fourRefs.length)).isFalse();
        // Every cut of the keyframe's descriptor, scalability structure included.
        byte[] b = Hex.bytes(NON_FLEXIBLE_KEYFRAME);
        for (int len = 0; len < 12; len++) {
            assertThat(Vp9Payload.isValid(b, 0, len)).as("length %d", len).isFalse();
            assertThat(Vp9Payload.isKeyframe(b, 0, len)).isFalse();
            assertThat(Vp9Payload.pictureId(b, 0, len)).isEqualTo(-1);
            assertThat(Vp9Payload.temporalId(b, 0, len)).isEqualTo(-1);
            byte[] before = b.clone();
            Vp9Payload.setPictureId(b, 0, len, 1);
            assertThat(b).isEqualTo(before);
        }
        assertThat(Vp9Payload.isValid(null, 0, 1)).isFalse();
        assertThat(Vp9Payload.isKeyframe(b, 5, b.length)).isFalse();
    }

    @Test
    void garbageNeverThrows() {
        Random r = new Random(9628);
        byte[] b = new byte[40];
        for (int i = 0; i < 20_000; i++) {
            r.nextBytes(b);
            int off = r.nextInt(b.length + 1);
            int len = r.nextInt(b.length - off + 1);
            assertThat(Vp9Payload.descriptorLength(b, off, len)).isBetween(-1, len);
            Vp9Payload.isKeyframe(b, off, len);
            Vp9Payload.pictureId(b, off, len);
            Vp9Payload.temporalId(b, off, len);
            Vp9Payload.setPictureId(b, off, len, i);
        }
    }

    @Test
    void rewritesThePictureIdInItsOwnLength() {
        byte[] b = Hex.bytes(NON_FLEXIBLE_KEYFRAME);
        Vp9Payload.setPictureId(b, 0, b.length, 32768 + 0x1234);
        assertThat(Vp9Payload.pictureId(b, 0, b.length)).isEqualTo(0x1234);
        assertThat(b).containsExactly(Hex.bytes("aa | 92 34 | 00 | 00 | 18 | 05 00 02 d0 | 01 | 00 | 82 49 83 42"));

        byte[] f = Hex.bytes(FLEXIBLE_INTER);
        Vp9Payload.setPictureId(f, 0, f.length, 130);
        assertThat(Vp9Payload.pictureId(f, 0, f.length)).isEqualTo(2);
        assertThat(f).containsExactly(Hex.bytes("f8 | 02 | 40 | 03 | 04 | 86 00"));
    }
}
