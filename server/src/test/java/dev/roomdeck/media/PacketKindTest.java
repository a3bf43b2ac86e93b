package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7983 first-byte demultiplexing, RTP vs RTCP by RFC 5761. */
class PacketKindTest {
    private static int kind(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return PacketKind.of(b, 0, b.length);
    }

    @Test
    void firstByteRanges() {
        assertThat(kind(0, 1)).as("STUN").isEqualTo(PacketKind.OTHER);
        assertThat(kind(19, 0)).as("ZRTP").isEqualTo(PacketKind.OTHER);
        assertThat(kind(20, 0)).isEqualTo(PacketKind.DTLS);
        assertThat(kind(63, 0)).isEqualTo(PacketKind.DTLS);
        assertThat(kind(64, 0)).as("TURN channel").isEqualTo(PacketKind.OTHER);
        assertThat(kind(127, 0)).isEqualTo(PacketKind.OTHER);
        assertThat(kind(128, 111)).isEqualTo(PacketKind.RTP);
        assertThat(kind(191, 96 | 0x80)).as("marker bit set").isEqualTo(PacketKind.RTP);
        assertThat(kind(192, 111)).isEqualTo(PacketKind.OTHER);
        assertThat(kind()).isEqualTo(PacketKind.OTHER);
        assertThat(kind(0x80)).as("too short to tell").isEqualTo(PacketKind.OTHER);
    }

    @Test
    void rtcpPacketTypes192To223() {
        assertThat(kind(0x80, 191)).isEqualTo(PacketKind.RTP);
        assertThat(kind(0x80, 192)).isEqualTo(PacketKind.RTCP);
        assertThat(kind(0x80, 200)).as("SR").isEqualTo(PacketKind.RTCP);
        assertThat(kind(0x81, 206)).as("PSFB").isEqualTo(PacketKind.RTCP);
        assertThat(kind(0x80, 223)).isEqualTo(PacketKind.RTCP);
        assertThat(kind(0x80, 224)).isEqualTo(PacketKind.RTP);
    }

    @Test
    void offsetIsHonoured() {
        byte[] b = {0, 0, (byte) 0x80, (byte) 201};
        assertThat(PacketKind.of(b, 2, 2)).isEqualTo(PacketKind.RTCP);
    }
}
