package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RTCP compound walking, readers, builders and in-place rewriting (RFC 3550, 4585, 5104, REMB, transport-cc). */
class RtcpTest {
    private final RtcpIterator it = new RtcpIterator();

    // SR, RC=1: ssrc 902f9e2e, NTP e8c1a2b3.40000000, RTP ts 00012345, 100 packets, 12000 octets,
    //   block: ssrc bc5e9a40, fraction 25, cumulative lost -1, ext seq 0x00010005, jitter 16, LSR 12345678, DLSR 1.5 s
    private static final String SR = "81 c8 00 0c | 90 2f 9e 2e | e8 c1 a2 b3 | 40 00 00 00 | 00 01 23 45 | 00 00 00 64 | 00 00 2e e0"
            + "| bc 5e 9a 40 | 19 ff ff ff | 00 01 00 05 | 00 00 00 10 | 12 34 56 78 | 00 01 80 00";
    // SDES, one chunk: ssrc 1, CNAME "roomdeck:1", terminator and padding to 32 bits
    private static final String SDES = "81 ca 00 05 | 00 00 00 01 | 01 0a 72 6f | 6f 6d 64 65 | 63 6b 3a 31 | 00 00 00 00";
    // BYE for ssrc 902f9e2e
    private static final String BYE = "81 cb 00 01 | 90 2f 9e 2e";

    @Test
    void walksACompoundPacketAndReadsTheSenderReport() {
        byte[] b = Hex.bytes(SR + "|" + SDES + "|" + BYE);
        it.reset(b, 0, b.length);
        List<Integer> types = new ArrayList<>();
        while (it.next()) {
            types.add(it.packetType());
            if (it.isSenderReport()) {
                int o = it.offset();
                assertThat(SenderReport.isValid(b, o, it.contentLength())).isTrue();
                assertThat(SenderReport.ssrc(b, o)).isEqualTo(0x902f9e2e);
                assertThat(SenderReport.ntpTimestamp(b, o)).isEqualTo(0xe8c1a2b340000000L);
                assertThat(SenderReport.ntpMiddle32(b, o)).isEqualTo(0xa2b34000);
                assertThat(SenderReport.rtpTimestamp(b, o)).isEqualTo(0x12345);
                assertThat(SenderReport.packetCount(b, o)).isEqualTo(100);
                assertThat(SenderReport.octetCount(b, o)).isEqualTo(12000);
                assertThat(SenderReport.reportCount(b, o)).isEqualTo(1);
                int rb = SenderReport.reportBlockOffset(o, 0);
                assertThat(ReportBlock.ssrc(b, rb)).isEqualTo(0xbc5e9a40);
                assertThat(ReportBlock.fractionLost(b, rb)).isEqualTo(25);
                assertThat(ReportBlock.cumulativeLost(b, rb)).isEqualTo(-1);
                assertThat(ReportBlock.extendedHighestSeq(b, rb)).isEqualTo(0x10005);
                assertThat(ReportBlock.jitter(b, rb)).isEqualTo(16);
                assertThat(ReportBlock.lastSr(b, rb)).isEqualTo(0x12345678L);
                assertThat(ReportBlock.delaySinceLastSr(b, rb)).isEqualTo(0x18000);
            }
            if (it.packetType() == Rtcp.PT_BYE) {
                assertThat(Bye.isValid(b, it.offset(), it.contentLength())).isTrue();
                assertThat(Bye.sourceCount(b, it.offset())).isEqualTo(1);
                assertThat(Bye.ssrc(b, it.offset(), 0)).isEqualTo(0x902f9e2e);
            }
        }
        assertThat(types).containsExactly(Rtcp.PT_SR, Rtcp.PT_SDES, Rtcp.PT_BYE);
        assertThat(it.malformed()).isFalse();
    }

    @Test
    void forwardsASenderReportWithoutTheBlocksAndUnderAnotherSsrc() {
        byte[] b = Hex.bytes(SR);
        byte[] out = new byte[28];
        assertThat(SenderReport.writeForwarded(b, 0, 0x0a0b0c0d, out, 0)).isEqualTo(28);
        assertThat(out).containsExactly(Hex.bytes(
                "80 c8 00 06 | 0a 0b 0c 0d | e8 c1 a2 b3 | 40 00 00 00 | 00 01 23 45 | 00 00 00 64 | 00 00 2e e0"));
        SenderReport.setSsrc(b, 0, 7);
        assertThat(SenderReport.ssrc(b, 0)).isEqualTo(7);
    }

    @Test
    void writesTheSdesCnameChunk() {
        byte[] out = new byte[64];
        int len = Sdes.writeCname(out, 0, 1, Sdes.cname("roomdeck:1"));
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes(SDES));
        // a 4-byte-aligned text still gets its terminating zero (and so a whole extra word)
        assertThat(Sdes.cnameLength(2)).isEqualTo(16);
    }

    @Test
    void stopsAtTheFirstMalformedPacketKeepingTheOnesBefore() {
        byte[] b = Hex.bytes(BYE + "| 80 c9 00 05 | 00 00 00 01"); // RR says 24 bytes, 8 present
        it.reset(b, 0, b.length);
        assertThat(it.next()).isTrue();
        assertThat(it.packetType()).isEqualTo(Rtcp.PT_BYE);
        assertThat(it.next()).isFalse();
        assertThat(it.malformed()).isTrue();

        byte[] v1 = Hex.bytes("41 cb 00 01 | 00 00 00 01");
        assertThat(it.reset(v1, 0, v1.length).next()).as("version 1").isFalse();
        byte[] short3 = Hex.bytes("81 cb 00");
        assertThat(it.reset(short3, 0, 3).next()).isFalse();
        assertThat(it.reset(null, 0, 10).next()).isFalse();
        assertThat(it.reset(b, 4, 100).next()).as("len past the array").isFalse();
        byte[] badPad = Hex.bytes("a0 c9 00 01 | 00 00 00 09"); // padding count 9 in an 8-byte packet
        assertThat(it.reset(badPad, 0, badPad.length).next()).isFalse();
    }

    @Test
    void paddingIsExcludedFromTheContent() {
        byte[] b = Hex.bytes("a0 c9 00 02 | 00 00 00 2a | 00 00 00 04"); // RR RC=0, 4 bytes of padding
        it.reset(b, 0, b.length);
        assertThat(it.next()).isTrue();
        assertThat(it.length()).isEqualTo(12);
        assertThat(it.contentLength()).isEqualTo(8);
        assertThat(ReceiverReport.isValid(b, it.offset(), it.contentLength())).isTrue();
        assertThat(ReceiverReport.ssrc(b, it.offset())).isEqualTo(42);
    }

    @Test
    void nackRoundTripCompressesIntoPidAndBitmaskAcrossTheWrap() {
        int[] lost = {100, 101, 105, 116, 117, 200, 65535, 0, 3};
        byte[] out = new byte[GenericNack.maxLength(lost.length)];
        int len = GenericNack.write(out, 0, 0x11111111, 0x22222222, lost, lost.length);
        // (100, 101|105|116 -> bits 0,4,15), (117, -), (200, -), (65535, 0|3 -> bits 0,3)
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes(
                "81 cd 00 06 | 11 11 11 11 | 22 22 22 22 | 00 64 80 11 | 00 75 00 00 | 00 c8 00 00 | ff ff 00 09"));
        it.reset(out, 0, len);
        assertThat(it.next()).isTrue();
        assertThat(it.isNack()).isTrue();
        assertThat(GenericNack.isValid(out, 0, len)).isTrue();
        int[] seqs = new int[64];
        int n = GenericNack.lostSequenceNumbers(out, 0, len, seqs);
        assertThat(Arrays.copyOf(seqs, n)).containsExactly(lost);
        List<Integer> viaCallback = new ArrayList<>();
        GenericNack.forEachLost(out, 0, len, viaCallback::add);
        assertThat(viaCallback).containsExactly(100, 101, 105, 116, 117, 200, 65535, 0, 3);
        assertThat(GenericNack.lostSequenceNumbers(out, 0, len, new int[4])).as("stops when out is full").isEqualTo(4);
    }

    @Test
    void pliAndFirLayouts() {
        byte[] out = new byte[32];
        assertThat(Pli.write(out, 0, 0x01020304, 0x0a0b0c0d)).isEqualTo(12);
        assertThat(Arrays.copyOf(out, 12)).containsExactly(Hex.bytes("81 ce 00 02 | 01 02 03 04 | 0a 0b 0c 0d"));
        assertThat(Pli.isValid(out, 0, 12)).isTrue();
        assertThat(it.reset(out, 0, 12).next() && it.isPli()).isTrue();

        assertThat(Fir.write(out, 0, 0x01020304, 0x0a0b0c0d, 7)).isEqualTo(20);
        assertThat(Arrays.copyOf(out, 20)).containsExactly(Hex.bytes("84 ce 00 04 | 01 02 03 04 | 00 00 00 00 | 0a 0b 0c 0d | 07 00 00 00"));
        assertThat(Fir.isValid(out, 0, 20)).isTrue();
        assertThat(Fir.entryCount(20)).isEqualTo(1);
        assertThat(Fir.entrySsrc(out, 0, 0)).isEqualTo(0x0a0b0c0d);
        assertThat(Fir.entrySeqNr(out, 0, 0)).isEqualTo(7);
        assertThat(it.reset(out, 0, 20).next() && it.isFir()).isTrue();
    }

    @Test
    void subscriberFeedbackIsRetargetedToThePublisherInPlace() {
        byte[] out = new byte[20];
        Pli.write(out, 0, 0x00000505, 0xAAAA0001);
        Rtcp.setMediaSsrc(out, 0, 0xBBBB0002);
        Rtcp.setSenderSsrc(out, 0, 0x0000FEED);
        assertThat(Arrays.copyOf(out, 12)).containsExactly(Hex.bytes("81 ce 00 02 | 00 00 fe ed | bb bb 00 02"));
        Fir.write(out, 0, 1, 0xAAAA0001, 3);
        Fir.setEntrySsrc(out, 0, 0, 0xBBBB0002);
        assertThat(Fir.entrySsrc(out, 0, 0)).isEqualTo(0xBBBB0002);
        assertThat(Fir.entrySeqNr(out, 0, 0)).isEqualTo(3);
    }

    @Test
    void rembDecodesAKnownPacketAndEncodesItBack() {
        // PSFB FMT 15, sender 1, media 0, 'REMB', 1 ssrc, exp 6, mantissa 0x220df: 139487 * 64 = 8927168 bps
        byte[] known = Hex.bytes("8f ce 00 05 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 01 1a 20 df | 48 74 ed 16");
        assertThat(Remb.isValid(known, 0, known.length)).isTrue();
        assertThat(it.reset(known, 0, known.length).next() && it.isRemb()).isTrue();
        assertThat(Remb.bitrate(known, 0)).isEqualTo(8_927_168L);
        assertThat(Remb.ssrcCount(known, 0)).isEqualTo(1);
        assertThat(Remb.ssrc(known, 0, 0)).isEqualTo(0x4874ed16);
        byte[] out = new byte[24];
        assertThat(Remb.write(out, 0, 1, 8_927_168L, new int[] {0x4874ed16}, 1)).isEqualTo(24);
        assertThat(out).containsExactly(known);
    }

    @Test
    void rembOfOneAndAHalfMegabitsIsExact() {
        byte[] out = new byte[28];
        int len = Remb.write(out, 0, 0x01, 1_500_000L, new int[] {0x10, 0x20}, 2);
        // 1 500 000 = 187 500 (0x2dc6c) * 2^3 -> exp 3, mantissa 0x2dc6c: byte 0x0e, then dc 6c
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes(
                "8f ce 00 06 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 02 0e dc 6c | 00 00 00 10 | 00 00 00 20"));
        assertThat(Remb.bitrate(out, 0)).isEqualTo(1_500_000L);
        // not representable exactly: rounded down, never up
        Remb.write(out, 0, 1, 1_234_567L, new int[] {1}, 1);
        assertThat(Remb.bitrate(out, 0)).isLessThanOrEqualTo(1_234_567L).isGreaterThan(1_234_567L - 8);
    }

    @Test
    void rembWithAHugeExponentSaturates() {
        byte[] b = Hex.bytes("8f ce 00 04 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 00 ff ff ff");
        assertThat(Remb.bitrate(b, 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void transportCcFeedbackIsDetectedAndItsFixedFieldsRead() {
        // draft-holmer / pion example: base 4, 7 statuses, reference time 1074030, feedback count 1
        byte[] b = Hex.bytes("af cd 00 07 | fa 17 fa 17 | 19 3d d8 bb | 00 04 00 07 | 10 63 6e 01 | 20 07 4c 24 | 24 10 0c 0c | 10 00 00 03");
        it.reset(b, 0, b.length);
        assertThat(it.next()).isTrue();
        assertThat(it.isTransportCc()).isTrue();
        assertThat(it.contentLength()).isEqualTo(29);
        assertThat(TransportCcFeedback.isValid(b, 0, it.contentLength())).isTrue();
        assertThat(TransportCcFeedback.baseSequenceNumber(b, 0)).isEqualTo(4);
        assertThat(TransportCcFeedback.packetStatusCount(b, 0)).isEqualTo(7);
        assertThat(TransportCcFeedback.referenceTime(b, 0)).isEqualTo(1074030);
        assertThat(TransportCcFeedback.feedbackPacketCount(b, 0)).isEqualTo(1);
        assertThat(Rtcp.senderSsrc(b, 0)).isEqualTo(0xfa17fa17);
        assertThat(Rtcp.mediaSsrc(b, 0)).isEqualTo(0x193dd8bb);
    }

    @Test
    void hundredThousandRandomAndMutatedCompoundsNeverThrow() {
        Random rnd = new Random(4585);
        byte[] remb = new byte[28];
        Remb.write(remb, 0, 1, 2_000_000, new int[] {5, 6}, 2);
        byte[] nack = new byte[20];
        GenericNack.write(nack, 0, 1, 2, new int[] {1, 2, 40}, 3);
        byte[][] seeds = {Hex.bytes(SR + "|" + SDES + "|" + BYE), remb, nack, Hex.bytes("84 ce 00 04 | 01 02 03 04 | 00 00 00 00 | 0a 0b 0c 0d | 07 00 00 00")};
        int[] seqs = new int[64];
        int yielded = 0;
        for (int round = 0; round < 100_000; round++) {
            byte[] b;
            if (round % 2 == 0) {
                b = new byte[rnd.nextInt(80)];
                rnd.nextBytes(b);
                for (int i = 0; i + 1 < b.length; i += 4 + 4 * rnd.nextInt(4)) {
                    b[i] = (byte) (0x80 | (b[i] & 0x3F));
                    b[i + 1] = (byte) (200 + rnd.nextInt(7));
                }
            } else {
                byte[] seed = seeds[rnd.nextInt(seeds.length)];
                b = Arrays.copyOf(seed, Math.max(0, seed.length + rnd.nextInt(9) - 4));
                for (int k = rnd.nextInt(4); k >= 0; k--) if (b.length > 0) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            it.reset(b, 0, b.length);
            while (it.next()) {
                yielded++;
                int o = it.offset();
                int len = it.contentLength();
                assertThat(o + it.length()).isLessThanOrEqualTo(b.length);
                if (SenderReport.isValid(b, o, len)) {
                    SenderReport.ntpMiddle32(b, o);
                    for (int i = 0; i < SenderReport.reportCount(b, o); i++) {
                        ReportBlock.cumulativeLost(b, SenderReport.reportBlockOffset(o, i));
                        ReportBlock.delaySinceLastSr(b, SenderReport.reportBlockOffset(o, i));
                    }
                }
                if (ReceiverReport.isValid(b, o, len)) {
                    for (int i = 0; i < ReceiverReport.reportCount(b, o); i++) ReportBlock.jitter(b, ReceiverReport.reportBlockOffset(o, i));
                }
                if (Bye.isValid(b, o, len)) for (int i = 0; i < Bye.sourceCount(b, o); i++) Bye.ssrc(b, o, i);
                if (GenericNack.isValid(b, o, len)) {
                    GenericNack.lostSequenceNumbers(b, o, len, seqs);
                    GenericNack.forEachLost(b, o, len, s -> { });
                    Rtcp.setMediaSsrc(b, o, 9);
                }
                if (Fir.isValid(b, o, len)) for (int i = 0; i < Fir.entryCount(len); i++) Fir.setEntrySsrc(b, o, i, Fir.entrySsrc(b, o, i));
                if (Remb.isValid(b, o, len)) {
                    Remb.bitrate(b, o);
                    for (int i = 0; i < Remb.ssrcCount(b, o); i++) Remb.ssrc(b, o, i);
                }
                if (TransportCcFeedback.isValid(b, o, len)) TransportCcFeedback.referenceTime(b, o);
                if (Pli.isValid(b, o, len)) Rtcp.mediaSsrc(b, o);
            }
        }
        assertThat(yielded).as("the fuzz reached the readers").isGreaterThan(20_000);
    }

    @Test
    void everyBuilderChainedIntoOneCompoundWalksBackCleanly() {
        byte[] out = new byte[1500];
        int at = 0;
        ReceiveStats stats = new ReceiveStats(0xA, 90000);
        stats.packetReceived(1, 0, 0);
        at += ReceiverReport.write(out, at, 1, new ReceiveStats[] {stats}, 1, 0);
        at += Sdes.writeCname(out, at, 1, Sdes.cname("sfu"));
        at += Remb.write(out, at, 1, 3_000_000, new int[] {0xA}, 1);
        at += GenericNack.write(out, at, 1, 0xA, new int[] {7, 9}, 2);
        at += Pli.write(out, at, 1, 0xA);
        at += Fir.write(out, at, 1, 0xA, 1);
        TransportCcRecorder twcc = new TransportCcRecorder(1, 0xA);
        twcc.record(1, 0);
        twcc.record(3, 70_000_000L);
        at += twcc.buildFeedback(out, at, 1200);
        List<String> seen = new ArrayList<>();
        it.reset(out, 0, at);
        while (it.next()) {
            int o = it.offset();
            int len = it.contentLength();
            if (ReceiverReport.isValid(out, o, len)) seen.add("RR");
            else if (it.packetType() == Rtcp.PT_SDES) seen.add("SDES");
            else if (Remb.isValid(out, o, len)) seen.add("REMB " + Remb.bitrate(out, o));
            else if (GenericNack.isValid(out, o, len)) seen.add("NACK " + GenericNack.pairCount(len));
            else if (Pli.isValid(out, o, len)) seen.add("PLI");
            else if (Fir.isValid(out, o, len)) seen.add("FIR");
            else if (TransportCcFeedback.isValid(out, o, len)) seen.add("TWCC " + TransportCcFeedback.packetStatusCount(out, o));
        }
        assertThat(it.malformed()).isFalse();
        assertThat(seen).containsExactly("RR", "SDES", "REMB 3000000", "NACK 1", "PLI", "FIR", "TWCC 3");
    }
}
