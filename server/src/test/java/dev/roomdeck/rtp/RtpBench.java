package dev.roomdeck.rtp;

/**
 * Not a test: a rough micro benchmark of the per-packet forwarding work, printed as ns/packet.
 * Run: java -cp server/target/classes:server/target/test-classes dev.roomdeck.rtp.RtpBench
 */
public final class RtpBench {
    private RtpBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        byte[] pkt = new byte[1200];
        byte[] header = Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 10 aa 00 31 | 01 02 00 00");
        System.arraycopy(header, 0, pkt, 0, header.length);
        int[] map = new int[16];
        map[1] = 4;
        map[3] = 9;
        int[] back = new int[16];
        back[4] = 1;
        back[9] = 3;
        RtpPacket p = new RtpPacket();
        RetransmissionCache cache = new RetransmissionCache();
        BitrateMeter meter = new BitrateMeter();
        TransportCcRecorder twcc = new TransportCcRecorder(1, 2);
        byte[] fb = new byte[1500];

        for (int round = 0; round < 3; round++) {
            long sink = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Bytes.put16(pkt, 2, i);
                p.wrap(pkt, 0, pkt.length);
                sink += p.sequenceNumber();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Bytes.put16(pkt, 2, i);
                p.wrap(pkt, 0, pkt.length);
                p.rewriteExtensionIds((i & 1) == 0 ? map : back);
                p.setPayloadType(100);
            }
            long t2 = System.nanoTime();
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Bytes.put16(pkt, 2, i);
                p.wrap(pkt, 0, pkt.length);
                p.rewriteExtensionIds((i & 1) == 0 ? map : back);
                p.setPayloadType(100);
                cache.store(p, now + i * 20_000L);
                meter.add(p.length(), now + i * 20_000L);
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                twcc.record(i & 0xFFFF, now + i * 20_000L);
                if ((i & 63) == 63) while (twcc.buildFeedback(fb, 0, 1200) > 0) sink++;
            }
            long t4 = System.nanoTime();
            System.out.printf("round %d (1200-byte packets): wrap %.1f ns | wrap+rewrite ids+PT %.1f ns | + cache store + meter %.1f ns | twcc record (+feedback every 64) %.1f ns   [%d]%n",
                    round, (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n, (t4 - t3) / (double) n, sink & 1);
        }
    }
}
