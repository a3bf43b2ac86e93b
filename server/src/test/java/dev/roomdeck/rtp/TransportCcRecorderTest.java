package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TransportCcRecorder writes draft-holmer-rmcat-transport-wide-cc-extensions-01 feedback that decodes back to what it recorded. */
class TransportCcRecorderTest {
    private static final long REF_US = 1074030L * 64_000L;

    private static long nanos(long micros) { return micros * 1000; }

    @Test
    void reproducesAKnownFeedbackPacketByteForByte() {
        // The 4th feedback example of pion/rtcp's transport-cc tests: base 4, seven packets received 19, 9, 9, 4, 3, 3
        // and 4 ms apart from a reference time of 1074030 x 64 ms, feedback count 1: one run-length chunk (small
        // delta x 7), seven 1-byte deltas, three bytes of padding with the P bit.
        TransportCcRecorder r = new TransportCcRecorder(0xfa17fa17, 0x193dd8bb);
        for (int s = 0; s < 4; s++) r.record(s, nanos(REF_US - 100_000 + s * 1000L));
        byte[] out = new byte[1500];
        assertThat(r.buildFeedback(out, 0, 1200)).as("feedback 0 covers seqs 0..3").isGreaterThan(0);
        long[] offsets = {19_000, 28_000, 37_000, 41_000, 44_000, 47_000, 51_000};
        for (int i = 0; i < 7; i++) r.record(4 + i, nanos(REF_US + offsets[i]));
        int len = r.buildFeedback(out, 0, 1200);
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes(
                "af cd 00 07 | fa 17 fa 17 | 19 3d d8 bb | 00 04 00 07 | 10 63 6e 01 | 20 07 4c 24 | 24 10 0c 0c | 10 00 00 03"));
        assertThat(r.buildFeedback(out, 0, 1200)).as("nothing left").isZero();
        assertThat(r.hasPending()).isFalse();
    }

    @Test
    void writesTheDraftsOneBitStatusVector() {
        // Draft 3.1.4 example 1 is the vector 0 1 1 1 1 1 0 0 0 1 1 1 0 0 -> 0x9f1c. Our statuses end at the last
        // received packet, so 12 statuses are written and the two trailing zeros are the unused vector bits.
        TransportCcRecorder r = new TransportCcRecorder(1, 2);
        byte[] out = new byte[1500];
        r.record(0, nanos(REF_US));
        r.buildFeedback(out, 0, 1200);
        int[] received = {2, 3, 4, 5, 6, 10, 11, 12};
        for (int i = 0; i < received.length; i++) r.record(received[i], nanos(REF_US + 1000L * (i + 1)));
        int len = r.buildFeedback(out, 0, 1200);
        TransportCcDecoder d = TransportCcDecoder.decode(out, 0, len);
        assertThat(d.base).isEqualTo(1);
        assertThat(d.count).isEqualTo(12);
        assertThat(Arrays.copyOfRange(out, 20, 22)).containsExactly(Hex.bytes("9f 1c"));
        assertThat(d.symbols).containsExactly(0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1);
    }

    @Test
    void outOfOrderAndLongGapsUseLargeDeltasInATwoBitVector() {
        TransportCcRecorder r = new TransportCcRecorder(1, 2);
        r.record(100, nanos(REF_US + 10_000));
        r.record(101, nanos(REF_US + 5_000));    // arrived earlier than 100 in time: negative delta
        r.record(103, nanos(REF_US + 300_000));  // 295 ms later: does not fit in a small delta
        r.record(104, nanos(REF_US + 301_000));
        byte[] out = new byte[1500];
        int len = r.buildFeedback(out, 0, 1200);
        TransportCcDecoder d = TransportCcDecoder.decode(out, 0, len);
        assertThat(d.symbols).containsExactly(1, 2, 0, 2, 1);
        assertThat(out[20] & 0xC0).as("2-bit status vector chunk").isEqualTo(0xC0);
        assertThat(d.arrivalMicros).containsExactly(REF_US + 10_000, REF_US + 5_000, TransportCcDecoder.LOST, REF_US + 300_000, REF_US + 301_000);
    }

    @Test
    void aDeltaBeyondEightSecondsStartsANewFeedbackWithItsOwnReference() {
        TransportCcRecorder r = new TransportCcRecorder(1, 2);
        r.record(7, nanos(REF_US));
        r.record(8, nanos(REF_US + 10_000_000)); // 10 s later
        byte[] out = new byte[1500];
        TransportCcDecoder a = TransportCcDecoder.decode(out, 0, r.buildFeedback(out, 0, 1200));
        TransportCcDecoder b = TransportCcDecoder.decode(out, 0, r.buildFeedback(out, 0, 1200));
        assertThat(a.base).isEqualTo(7);
        assertThat(a.count).isEqualTo(1);
        assertThat(b.base).isEqualTo(8);
        assertThat(b.arrivalMicros[0]).isEqualTo(REF_US + 10_000_000);
        assertThat(b.feedbackCount).isEqualTo((a.feedbackCount + 1) & 0xFF);
    }

    @Test
    void recordsTheSequenceNumberFromTheNegotiatedHeaderExtension() {
        // one-byte extensions: id 1 audio level, id 3 transport-cc = 258
        byte[] pkt = Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 10 aa 00 31 | 01 02 00 00 | ca fe");
        RtpPacket p = new RtpPacket();
        p.wrap(pkt, 0, pkt.length);
        TransportCcRecorder r = new TransportCcRecorder(1, 2);
        assertThat(r.record(p, 5, 0)).as("no element with id 5").isFalse();
        assertThat(r.record(p, 3, nanos(REF_US))).isTrue();
        byte[] out = new byte[100];
        TransportCcDecoder d = TransportCcDecoder.decode(out, 0, r.buildFeedback(out, 0, 100));
        assertThat(d.base).isEqualTo(258);
    }

    @Test
    void aLongLossyReorderedStreamAcrossTheWrapDecodesBackToItsArrivals() {
        Random rnd = new Random(1);
        TransportCcRecorder r = new TransportCcRecorder(1, 2);
        byte[] out = new byte[1500];
        Map<Long, Long> recordedAt = new HashMap<>();   // ext seq -> arrival us
        Map<Long, Integer> recordedStep = new HashMap<>();
        Map<Long, Long> decoded = new HashMap<>();
        List<TransportCcDecoder> feedbacks = new ArrayList<>();
        long t = 5_000_000_000L; // us
        long seq = 64_000;       // crosses 65535 -> 0 on the way
        long nextFeedbackAt = t + 100_000;
        int step = 0;
        long pendingSwap = -1;
        long nextBase = 0;
        long pendingSwapAt = 0;
        while (seq < 64_000 + 20_000) {
            t += rnd.nextInt(10) == 0 ? rnd.nextInt(120_000) : rnd.nextInt(3000);
            if (rnd.nextInt(10) == 0) { seq++; continue; } // lost
            if (pendingSwap < 0 && rnd.nextInt(20) == 0) { // hold this one back: reordered
                pendingSwap = seq;
                pendingSwapAt = t;
                seq++;
                continue;
            }
            record(r, seq, t, recordedAt, recordedStep, step++);
            if (pendingSwap >= 0 && rnd.nextBoolean()) {
                record(r, pendingSwap, pendingSwapAt + rnd.nextInt(2000), recordedAt, recordedStep, step++);
                pendingSwap = -1;
            }
            seq++;
            if (t >= nextFeedbackAt) {
                nextFeedbackAt = t + 100_000;
                int len;
                while ((len = r.buildFeedback(out, 0, 300)) > 0) {
                    assertThat(len).isLessThanOrEqualTo(300);
                    TransportCcDecoder d = TransportCcDecoder.decode(out, 0, len);
                    long baseExt = feedbacks.isEmpty() ? firstRecorded(recordedStep) : nextBase;
                    assertThat(d.base).isEqualTo((int) (baseExt & 0xFFFF));
                    for (int i = 0; i < d.count; i++) {
                        long s = baseExt + i;
                        assertThat(decoded).as("each seq reported once").doesNotContainKey(s);
                        decoded.put(s, d.arrivalMicros[i]);
                        if (d.arrivalMicros[i] == TransportCcDecoder.LOST) {
                            assertThat(recordedStep.getOrDefault(s, Integer.MAX_VALUE)).as("lost seq %d was not recorded before", s).isGreaterThanOrEqualTo(step);
                        } else {
                            assertThat(d.arrivalMicros[i]).as("seq %d", s).isEqualTo(Math.floorDiv(recordedAt.get(s), 250L) * 250L);
                        }
                    }
                    if (!feedbacks.isEmpty()) assertThat(d.feedbackCount).isEqualTo((feedbacks.get(feedbacks.size() - 1).feedbackCount + 1) & 0xFF);
                    feedbacks.add(d);
                    nextBase = baseExt + d.count;
                }
            }
        }
        assertThat(feedbacks.size()).isGreaterThan(50);
        long receivedReported = decoded.values().stream().filter(v -> v != TransportCcDecoder.LOST).count();
        assertThat(receivedReported).isGreaterThan(15_000);
        assertThat(r.lateArrivals()).as("some reordered packets came after their feedback").isGreaterThan(0);
        assertThat(feedbacks.stream().anyMatch(f -> Arrays.stream(f.symbols).anyMatch(s -> s == 2))).as("large deltas exercised").isTrue();
    }

    private static long firstRecorded(Map<Long, Integer> steps) {
        return steps.entrySet().stream().filter(e -> e.getValue() == 0).findFirst().orElseThrow().getKey();
    }

    private static void record(TransportCcRecorder r, long extSeq, long atMicros, Map<Long, Long> at, Map<Long, Integer> steps, int step) {
        r.record((int) (extSeq & 0xFFFF), nanos(atMicros));
        at.put(extSeq, atMicros);
        steps.put(extSeq, step);
    }
}
