package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Keyframe requests toward a publisher: one per 300 ms at most, the ones in between folded into one. */
class KeyframeRequesterTest {
    private static final long MS = 1_000_000L;
    private final byte[] out = new byte[KeyframeRequester.MAX_LENGTH];

    @Test
    void firstRequestGoesOutAtOnceAsPli() {
        KeyframeRequester k = new KeyframeRequester(0x01, 0xAAAA, false);
        int len = k.request(1000 * MS, out, 0);
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes("81 ce 00 02 | 00 00 00 01 | 00 00 aa aa"));
    }

    @Test
    void requestsInsideTheWindowCoalesceIntoOneWhenItEnds() {
        KeyframeRequester k = new KeyframeRequester(1, 2, false); // 300 ms window
        long t = 5_000 * MS;
        assertThat(k.request(t, out, 0)).isEqualTo(12);
        assertThat(k.request(t + 50 * MS, out, 0)).isZero();
        assertThat(k.request(t + 120 * MS, out, 0)).isZero();
        assertThat(k.request(t + 250 * MS, out, 0)).isZero();
        assertThat(k.isPending()).isTrue();
        assertThat(k.nanosUntilDue(t + 250 * MS)).isEqualTo(50 * MS);
        assertThat(k.poll(t + 299 * MS, out, 0)).as("window not over").isZero();
        assertThat(k.poll(t + 300 * MS, out, 0)).as("one request for the three").isEqualTo(12);
        assertThat(k.poll(t + 700 * MS, out, 0)).as("nothing pending any more").isZero();
        assertThat(k.nanosUntilDue(t + 700 * MS)).isEqualTo(-1);
        assertThat(k.requestsSent()).isEqualTo(2);
        assertThat(k.requestsCoalesced()).isEqualTo(3);
        assertThat(k.request(t + 700 * MS, out, 0)).as("window long over: immediate").isEqualTo(12);
    }

    @Test
    void aKeyframeFromThePublisherAnswersThePendingRequest() {
        KeyframeRequester k = new KeyframeRequester(1, 2, false, 300 * MS);
        k.request(0, out, 0);
        k.request(100 * MS, out, 0);
        k.keyframeReceived(150 * MS);
        assertThat(k.poll(400 * MS, out, 0)).isZero();
    }

    @Test
    void firCarriesASequenceNumberThatIncrementsPerRequest() {
        KeyframeRequester k = new KeyframeRequester(0x01, 0xAAAA, true, 300 * MS);
        int len = k.request(0, out, 0);
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes("84 ce 00 04 | 00 00 00 01 | 00 00 00 00 | 00 00 aa aa | 01 00 00 00"));
        k.request(400 * MS, out, 0);
        assertThat(Fir.entrySeqNr(out, 0, 0)).isEqualTo(2);
        k.request(500 * MS, out, 0);                  // throttled: no new number
        assertThat(k.firSequenceNumber()).isEqualTo(2);
        k.poll(700 * MS, out, 0);
        assertThat(Fir.entrySeqNr(out, 0, 0)).isEqualTo(3);
        for (int i = 0; i < 253; i++) k.request((1000 + 400L * i) * MS, out, 0);
        assertThat(k.firSequenceNumber()).as("8-bit wrap").isEqualTo(0);
    }
}
