package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** REMB to a publisher once a second, and at once when the cap drops. */
class RembSenderTest {
    private static final long MS = 1_000_000L;

    @Test
    void sendsTheCapForTheSsrcsOncePerSecond() {
        RembSender r = new RembSender(0x5E);
        byte[] out = new byte[64];
        assertThat(r.poll(0, out, 0)).as("no cap yet").isZero();
        r.setSsrcs(new int[] {0x1111, 0x2222, 0x3333}, 2);
        r.setCap(1_500_000);
        int len = r.poll(0, out, 0);
        assertThat(len).isEqualTo(28);
        assertThat(Remb.isValid(out, 0, len)).isTrue();
        assertThat(Remb.bitrate(out, 0)).isEqualTo(1_500_000);
        assertThat(Remb.ssrcCount(out, 0)).isEqualTo(2);
        assertThat(Remb.ssrc(out, 0, 1)).isEqualTo(0x2222);
        assertThat(Rtcp.senderSsrc(out, 0)).isEqualTo(0x5E);
        assertThat(r.poll(500 * MS, out, 0)).isZero();
        r.setCap(2_000_000);
        assertThat(r.poll(600 * MS, out, 0)).as("a raise waits for the interval").isZero();
        assertThat(r.poll(1000 * MS, out, 0)).isEqualTo(28);
        assertThat(Remb.bitrate(out, 0)).isEqualTo(2_000_000);
        r.setCap(300_000);
        assertThat(r.poll(1100 * MS, out, 0)).as("a cut goes out at once").isEqualTo(28);
        assertThat(Remb.bitrate(out, 0)).isEqualTo(300_000);
        r.setCap(-1);
        assertThat(r.poll(5000 * MS, out, 0)).isZero();
    }
}
