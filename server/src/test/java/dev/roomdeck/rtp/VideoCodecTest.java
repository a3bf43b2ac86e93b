package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** VideoCodec names the codec from its rtpmap name and asks that codec's payload reader about keyframes. */
class VideoCodecTest {

    @Test
    void fromTheRtpmapNameInAnyCase() {
        assertThat(VideoCodec.of("VP8")).isEqualTo(VideoCodec.VP8);
        assertThat(VideoCodec.of("vp9")).isEqualTo(VideoCodec.VP9);
        assertThat(VideoCodec.of("h264")).isEqualTo(VideoCodec.H264);
        assertThat(VideoCodec.of("AV1")).isEqualTo(VideoCodec.OTHER);
        assertThat(VideoCodec.of("opus")).isEqualTo(VideoCodec.OTHER);
        assertThat(VideoCodec.of(null)).isEqualTo(VideoCodec.OTHER);
    }

    @Test
    void asksTheRightReader() {
        byte[] vp8Key = Hex.bytes("10 | 10 02 00 | 9d 01 2a | 40 c1 | b4 40");
        byte[] vp9Key = Hex.bytes("88 | 10 | 82 49");
        byte[] h264Idr = Hex.bytes("65 88 84");
        assertThat(VideoCodec.VP8.isKeyframe(vp8Key, 0, vp8Key.length)).isTrue();
        assertThat(VideoCodec.VP9.isKeyframe(vp9Key, 0, vp9Key.length)).isTrue();
        assertThat(VideoCodec.H264.isKeyframe(h264Idr, 0, h264Idr.length)).isTrue();
        // 0x65 read as VP8: X=0 S=0, no start of frame.
        assertThat(VideoCodec.VP8.isKeyframe(h264Idr, 0, h264Idr.length)).isFalse();
        assertThat(VideoCodec.OTHER.isKeyframe(vp8Key, 0, vp8Key.length)).isFalse();
    }
}
