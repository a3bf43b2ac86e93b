package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.media.ReplayWindow;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The forwarding path's per-packet work allocates nothing: measured with the JVM's per-thread allocation
 * counter over 200 000 packets (any per-packet object would cost at least 16 bytes each, 3.2 MB in all).
 */
class HotPathAllocationTest {
    private static final long MS = 1_000_000L;

    @Test
    void perPacketWorkAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] pkt = Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 10 aa 00 31 | 01 02 00 00 | ca fe ca fe");
        byte[] work = new byte[1500];
        byte[] rtcpOut = new byte[1500];
        int[] map = new int[16];
        map[1] = 4;
        map[3] = 9;
        int[] back = new int[16];
        back[4] = 1;
        back[9] = 3;
        int[] lost = new int[64];
        RtpPacket p = new RtpPacket();
        RtcpIterator it = new RtcpIterator();
        RetransmissionCache cache = new RetransmissionCache();
        BitrateMeter meter = new BitrateMeter();
        ReceiveStats stats = new ReceiveStats(0x11223344, 48000);
        TransportCcRecorder twcc = new TransportCcRecorder(1, 0x11223344);
        NackGenerator nacks = new NackGenerator(1, 0x11223344);
        ReplayWindow srtpWindow = new ReplayWindow();
        ReplayWindow used = new ReplayWindow();
        RtxWriter rtx = new RtxWriter(97, 0x5555, 0);
        KeyframeRequester keyframes = new KeyframeRequester(1, 0x11223344, false);
        byte[] nack = new byte[GenericNack.maxLength(3)];
        int nackLen = GenericNack.write(nack, 0, 2, 0x11223344, new int[] {5, 6, 9}, 3);
        // a VP8 keyframe's payload: 15-bit picture id, TL0PICIDX, TID 2; 1280x720
        byte[] vp8 = Hex.bytes("90 f0 81 23 | 05 a3 10 02 | 00 9d 01 2a | 00 45 d0 82");
        VideoCodec codec = VideoCodec.of("VP8");

        Runnable oneRound = new Runnable() {
            int seq;
            long now = 1_000 * MS;

            @Override
            public void run() {
                for (int i = 0; i < 1000; i++, seq++, now += MS) {
                    System.arraycopy(pkt, 0, work, 0, pkt.length);
                    Bytes.put16(work, 2, seq);
                    Bytes.put16(work, 21, seq);
                    if (srtpWindow.check(seq & 0xFFFF) != ReplayWindow.FRESH) throw new AssertionError();
                    srtpWindow.accept(seq & 0xFFFF);
                    if (!p.wrap(work, 0, pkt.length)) throw new AssertionError();
                    if (i % 10 == 3) {
                        nacks.packetReceived((p.sequenceNumber() + 2) & 0xFFFF, now); // a gap, repaired below
                    }
                    if (!used.admit(p.sequenceNumber()) || used.admit(p.sequenceNumber())) throw new AssertionError();
                    meter.add(p.length(), now);
                    stats.packetReceived(p, now);
                    twcc.record(p, 3, now);
                    nacks.packetReceived(p.sequenceNumber(), now);
                    cache.store(p, now);
                    p.rewriteExtensionIds(map);
                    p.setPayloadType(100);
                    p.rewriteExtensionIds(back);
                    // a simulcast switch's VP8 work: keyframe and size, continuous picture ids, temporal layer
                    if (!codec.isKeyframe(vp8, 0, vp8.length) || Vp8Payload.width(vp8, 0, vp8.length) != 1280
                            || Vp8Payload.height(vp8, 0, vp8.length) != 720) throw new AssertionError();
                    Vp8Payload.setPictureId(vp8, 0, vp8.length, seq);
                    Vp8Payload.setTl0PicIdx(vp8, 0, vp8.length, seq);
                    if (Vp8Payload.pictureId(vp8, 0, vp8.length) != (seq & 0x7FFF)
                            || Vp8Payload.tl0PicIdx(vp8, 0, vp8.length) != (seq & 0xFF)
                            || Vp8Payload.temporalId(vp8, 0, vp8.length) != 2
                            || !Vp8Payload.layerSync(vp8, 0, vp8.length)) throw new AssertionError();
                    // a subscriber's NACK answered from the cache as RTX
                    it.reset(nack, 0, nackLen);
                    while (it.next()) {
                        int n = GenericNack.lostSequenceNumbers(nack, it.offset(), it.contentLength(), lost);
                        for (int k = 0; k < n; k++) {
                            int len = cache.copyTo(lost[k], now, rtcpOut, 0);
                            if (len > 0) rtx.toRtxInPlace(rtcpOut, 0, len);
                        }
                    }
                    if (i % 50 == 0) {
                        while (twcc.buildFeedback(rtcpOut, 0, 1200) > 0) { }
                        nacks.poll(now, rtcpOut, 0, 1200);
                        keyframes.request(now, rtcpOut, 0);
                        stats.writeReportBlock(rtcpOut, 8, now);
                        meter.bitsPerSecond(now);
                    }
                }
            }
        };
        for (int w = 0; w < 50; w++) oneRound.run(); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int r = 0; r < 200; r++) oneRound.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated over 200 000 packets: " + allocated + " bytes");
        assertThat(allocated).isLessThan(100_000);
    }
}
