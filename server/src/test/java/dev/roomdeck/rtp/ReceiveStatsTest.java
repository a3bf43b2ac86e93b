package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Report blocks computed as RFC 3550 appendix A.1, A.3 and A.8 describe. */
class ReceiveStatsTest {
    private static final long MS = 1_000_000L;

    @Test
    void jitterOfASyntheticStreamMatchesTheHandCalculation() {
        // 8 kHz audio, 20 ms packets (160 ticks). Packet 2 is 5 ms (40 ticks) late, the others on time.
        // transit: 0, 0, 40, 0, 0  ->  D: 0, 40, 40, 0
        // A.8 integer form, J16 = 16 x jitter, J16 += D - ((J16 + 8) >> 4):
        //   0 -> 0 -> 40 -> 40 + 40 - 3 = 77 -> 77 + 0 - 5 = 72;  jitter = 72 >> 4 = 4
        // (the float form J += (D - J) / 16 gives 0, 2.5, 4.84, 4.54: also 4)
        ReceiveStats s = new ReceiveStats(0x42, 8000);
        long t0 = 7_000 * MS;
        long[] arrivalMs = {0, 20, 45, 60, 80};
        for (int i = 0; i < 5; i++) s.packetReceived(100 + i, 1000 + 160 * i, t0 + arrivalMs[i] * MS);
        assertThat(s.jitter()).isEqualTo(4);
    }

    @Test
    void packetsOfOneFrameDoNotCountAsJitter() {
        // 90 kHz video: three packets of one frame paced 2 ms apart, then the next frame 33 ms later, on time
        ReceiveStats s = new ReceiveStats(1, 90000);
        s.packetReceived(1, 0, 0);
        s.packetReceived(2, 0, 2 * MS);
        s.packetReceived(3, 0, 4 * MS);
        s.packetReceived(4, 2970, 33 * MS);
        assertThat(s.jitter()).isZero();
    }

    @Test
    void lossAndFractionLostPerInterval() {
        ReceiveStats s = new ReceiveStats(0x77, 90000);
        for (int seq = 0; seq < 10; seq++) if (seq != 2 && seq != 3) s.packetReceived(seq, seq * 3000, seq * MS);
        byte[] out = new byte[24];
        s.writeReportBlock(out, 0, 20 * MS);
        assertThat(ReportBlock.ssrc(out, 0)).isEqualTo(0x77);
        assertThat(ReportBlock.fractionLost(out, 0)).as("2 of 10: 2*256/10").isEqualTo(51);
        assertThat(ReportBlock.cumulativeLost(out, 0)).isEqualTo(2);
        assertThat(ReportBlock.extendedHighestSeq(out, 0)).isEqualTo(9);
        for (int seq = 10; seq < 20; seq++) s.packetReceived(seq, seq * 3000, seq * MS);
        s.writeReportBlock(out, 0, 40 * MS);
        assertThat(ReportBlock.fractionLost(out, 0)).as("nothing lost this interval").isZero();
        assertThat(ReportBlock.cumulativeLost(out, 0)).isEqualTo(2);
    }

    @Test
    void extendedSequenceCountsCyclesAcrossTheWrap() {
        ReceiveStats s = new ReceiveStats(1, 90000);
        for (int i = 0; i < 12; i++) s.packetReceived((65530 + i) & 0xFFFF, i * 3000, i * MS);
        assertThat(s.extendedHighestSeq()).isEqualTo(65536 + 5);
        assertThat(s.expected()).isEqualTo(12);
        assertThat(s.cumulativeLost()).isZero();
        s.packetReceived(65534, 0, 20 * MS); // a late duplicate from before the wrap does not go back a cycle
        assertThat(s.extendedHighestSeq()).isEqualTo(65541);
        assertThat(s.cumulativeLost()).as("duplicates make loss negative, as A.3 says").isEqualTo(-1);
    }

    @Test
    void aSequenceJumpIsARestartOnlyWhenTheNextPacketFollowsIt() {
        ReceiveStats s = new ReceiveStats(1, 90000);
        s.packetReceived(100, 0, 0);
        s.packetReceived(101, 0, MS);
        s.packetReceived(20000, 0, 2 * MS);  // stray: not counted
        assertThat(s.packetsReceived()).isEqualTo(2);
        assertThat(s.extendedHighestSeq()).isEqualTo(101);
        s.packetReceived(20001, 0, 3 * MS);  // follows the stray one: the sender restarted
        assertThat(s.extendedHighestSeq()).isEqualTo(20001);
        assertThat(s.packetsReceived()).isEqualTo(1);
    }

    @Test
    void lsrAndDlsrEchoTheLastSenderReport() {
        ReceiveStats s = new ReceiveStats(1, 48000);
        s.packetReceived(1, 0, 0);
        s.senderReportReceived(0xa2b34000, 10_000 * MS);
        byte[] out = new byte[24];
        s.writeReportBlock(out, 0, 11_500 * MS);
        assertThat(ReportBlock.lastSr(out, 0)).isEqualTo(0xa2b34000L);
        assertThat(ReportBlock.delaySinceLastSr(out, 0)).as("1.5 s in 1/65536 s").isEqualTo(98304);
    }

    @Test
    void receiverReportCarriesOneBlockPerStream() {
        ReceiveStats a = new ReceiveStats(0xA, 90000);
        ReceiveStats b = new ReceiveStats(0xB, 48000);
        a.packetReceived(1, 0, 0);
        b.packetReceived(1, 0, 0);
        byte[] out = new byte[100];
        int len = ReceiverReport.write(out, 0, 0x5E5E, new ReceiveStats[] {a, b}, 2, MS);
        assertThat(len).isEqualTo(56);
        assertThat(Hex.of(out, 0, 8)).isEqualTo("82 c9 00 0d | 00 00 5e 5e");
        RtcpIterator it = new RtcpIterator().reset(out, 0, len);
        assertThat(it.next()).isTrue();
        assertThat(ReceiverReport.isValid(out, 0, it.contentLength())).isTrue();
        assertThat(ReportBlock.ssrc(out, ReceiverReport.reportBlockOffset(0, 0))).isEqualTo(0xA);
        assertThat(ReportBlock.ssrc(out, ReceiverReport.reportBlockOffset(0, 1))).isEqualTo(0xB);
    }

    @Test
    void cumulativeLossIsClampedTo24Bits() {
        byte[] out = new byte[24];
        ReportBlock.write(out, 0, 1, 0, 10_000_000L, 0, 0, 0, 0);
        assertThat(ReportBlock.cumulativeLost(out, 0)).isEqualTo(0x7FFFFF);
        ReportBlock.write(out, 0, 1, 0, -10_000_000L, 0, 0, 0, 0);
        assertThat(ReportBlock.cumulativeLost(out, 0)).isEqualTo(-0x800000);
    }
}
