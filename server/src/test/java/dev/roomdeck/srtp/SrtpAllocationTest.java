package dev.roomdeck.srtp;

import static dev.roomdeck.srtp.SrtpTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * AES_CM_128_HMAC_SHA1_80 protects and unprotects without allocating: after a warm-up, 10,000 RTP packets of 1,200
 * bytes each way allocate nothing on the calling thread (the JVM's per-thread allocation counter). AEAD_AES_128_GCM
 * allocates per packet in the JDK's cipher init (see the package comment); only printed here.
 */
class SrtpAllocationTest {
    private static final int PACKETS = 10_000;
    private static final int SSRC = 0x01020304;

    private static long roundTrips(SrtpSuite suite, int rounds) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] key = hex("00112233445566778899aabbccddeeff");
        byte[] salt = java.util.Arrays.copyOf(hex("f0e1d2c3b4a5968778695a4b3c2d"), suite.saltLength);
        SrtpCipher sender = suite.cipher(key.clone(), salt.clone());
        SrtpCipher receiver = suite.cipher(key, salt);
        RolloverCounter out = new RolloverCounter();
        RolloverCounter in = new RolloverCounter();
        byte[] plain = SrtpTestSupport.rtp(0, SSRC, 1200 - 28);
        byte[] buf = new byte[1500];
        int header = SrtpCipher.rtpHeaderLength(plain, 0, plain.length);
        long allocated = 0;
        int seq = 0;
        for (int r = 0; r < rounds; r++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < PACKETS; i++, seq++) {
                System.arraycopy(plain, 0, buf, 0, plain.length);
                buf[2] = (byte) (seq >>> 8);
                buf[3] = (byte) seq;
                long index = out.index(seq & 0xFFFF);
                out.update(index);
                int len = sender.protectRtp(buf, 0, plain.length, header, SSRC, index);
                long received = in.index(seq & 0xFFFF);
                if (receiver.unprotectRtp(buf, 0, len, header, SSRC, received) != plain.length) {
                    throw new AssertionError("packet " + seq);
                }
                in.update(received);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        return allocated; // of the last round
    }

    @Test
    void aesCmProtectsAndUnprotectsWithoutAllocating() throws Exception {
        long allocated = roundTrips(SrtpSuite.AES_CM_128_HMAC_SHA1_80, 5); // four rounds warm up
        System.out.println("AES_CM_128_HMAC_SHA1_80: allocated over " + PACKETS + " round trips of 1,200 bytes: "
                + allocated + " bytes");
        assertThat(allocated).isZero();
    }

    @Test
    void gcmAllocationIsMeasuredNotAsserted() throws Exception {
        long allocated = roundTrips(SrtpSuite.AEAD_AES_128_GCM, 3);
        System.out.println("AEAD_AES_128_GCM: allocated over " + PACKETS + " round trips of 1,200 bytes: "
                + allocated + " bytes, " + allocated / PACKETS + " per round trip");
        assertThat(allocated).isNotNegative();
    }
}
