package dev.roomdeck.srtp;

import static dev.roomdeck.srtp.SrtpTestSupport.hex;
import static dev.roomdeck.srtp.SrtpTestSupport.inBuffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711): what protect gives is what RFC 3711's rules give on the JDK's own AES/CTR and
 * HmacSHA1 under the derived session keys; what it protects unprotects to the same packet; any change is refused.
 * (Interoperation with jitsi-srtp: JitsiSrtpInteropTest.)
 */
class AesCmCipherTest {
    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
    private static final int SSRC = 0xcafebabe;

    private static SrtpCipher cipher() throws Exception {
        return SrtpSuite.AES_CM_128_HMAC_SHA1_80.cipher(MASTER_KEY.clone(), MASTER_SALT.clone());
    }

    // ---- the reference, from RFC 3711 4.1.1 and 4.2.1, on the JDK ----

    private static byte[] aesCtr(byte[] key, byte[] salt, int ssrc, long index, byte[] data, int from) throws Exception {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] out = data.clone();
        byte[] x = ctr.doFinal(data, from, data.length - from);
        System.arraycopy(x, 0, out, from, x.length);
        return out;
    }

    private static byte[] tag(byte[] authKey, byte[] authenticated) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        return Arrays.copyOf(mac.doFinal(authenticated), 10);
    }

    static byte[] referenceSrtp(byte[] rtp, int headerLength, int ssrc, long index) throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        byte[] sealed = aesCtr(kdf.derive(0, 16), kdf.derive(2, 14), ssrc, index, rtp, headerLength);
        byte[] roc = new byte[4];
        SrtpCipher.putInt(roc, 0, (int) (index >>> 16));
        return AesGcmCipherTest.concat(sealed, tag(kdf.derive(1, 20), AesGcmCipherTest.concat(sealed, roc)));
    }

    static byte[] referenceSrtcp(byte[] rtcp, int ssrc, int index, boolean encrypted) throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        byte[] sealed = encrypted ? aesCtr(kdf.derive(3, 16), kdf.derive(5, 14), ssrc, index, rtcp, 8) : rtcp;
        byte[] eIndex = new byte[4];
        SrtpCipher.putInt(eIndex, 0, (encrypted ? 0x80000000 : 0) | index);
        byte[] authenticated = AesGcmCipherTest.concat(sealed, eIndex);
        return AesGcmCipherTest.concat(authenticated, tag(kdf.derive(4, 20), authenticated));
    }

    // ---- the cipher ----

    @Test
    void protectRtpIsRfc3711sAesCounterModeAndHmacSha1() throws Exception {
        SrtpCipher c = cipher();
        byte[] plain = SrtpTestSupport.rtp(0x1234, SSRC, 333);
        int h = SrtpCipher.rtpHeaderLength(plain, 0, plain.length);
        for (long index : new long[] {0x1234, 7L << 16 | 0x1234, 0xFFFFFFFFL << 16 | 0x1234}) {
            byte[] buf = inBuffer(plain, 5, 10);
            int len = c.protectRtp(buf, 5, plain.length, h, SSRC, index);
            assertThat(len).isEqualTo(plain.length + 10);
            assertThat(hex(buf, 5, len)).as("index %x", index).isEqualTo(hex(referenceSrtp(plain, h, SSRC, index)));
        }
    }

    @Test
    void protectRtcpIsRfc3711sWithTheEFlagAndIndexBeforeTheTag() throws Exception {
        SrtpCipher c = cipher();
        byte[] plain = SrtpTestSupport.rtcp(SSRC, 1);
        byte[] buf = inBuffer(plain, 3, 14);
        int len = c.protectRtcp(buf, 3, plain.length, SSRC, 0x5d4);
        assertThat(len).isEqualTo(plain.length + 14);
        assertThat(hex(buf, 3, len)).isEqualTo(hex(referenceSrtcp(plain, SSRC, 0x5d4, true)));
        assertThat(c.rtcpIndex(buf, 3, len)).isEqualTo(0x800005d4L);
    }

    @Test
    void rtpRoundTripsAtAnyOffsetAndSize() throws Exception {
        SrtpCipher sender = cipher();
        SrtpCipher receiver = cipher();
        for (int size : new int[] {0, 1, 15, 16, 17, 160, 1200}) {
            byte[] plain = SrtpTestSupport.rtp(size, SSRC, size);
            byte[] buf = inBuffer(plain, 11, 10);
            long index = 2L << 16 | size;
            int len = sender.protectRtp(buf, 11, plain.length, 28, SSRC, index);
            if (size > 0) {
                assertThat(Arrays.copyOfRange(buf, 11 + 28, 11 + plain.length))
                        .isNotEqualTo(Arrays.copyOfRange(plain, 28, plain.length));
            }
            assertThat(receiver.unprotectRtp(buf, 11, len, 28, SSRC, index)).isEqualTo(plain.length);
            assertThat(hex(buf, 11, plain.length)).as("size %d", size).isEqualTo(hex(plain));
        }
    }

    @Test
    void rtcpRoundTrips() throws Exception {
        SrtpCipher sender = cipher();
        SrtpCipher receiver = cipher();
        for (int index = 0; index < 5; index++) {
            byte[] plain = SrtpTestSupport.rtcp(SSRC, index);
            byte[] buf = inBuffer(plain, 0, 14);
            int len = sender.protectRtcp(buf, 0, plain.length, SSRC, index);
            assertThat(receiver.rtcpIndex(buf, 0, len)).isEqualTo(0x80000000L | index);
            assertThat(receiver.unprotectRtcp(buf, 0, len, SSRC)).isEqualTo(plain.length);
            assertThat(hex(buf, 0, plain.length)).isEqualTo(hex(plain));
        }
    }

    @Test
    void unencryptedSrtcpIsAcceptedAndLeftAsItIs() throws Exception {
        byte[] plain = SrtpTestSupport.rtcp(SSRC, 9);
        byte[] sealed = referenceSrtcp(plain, SSRC, 77, false);
        SrtpCipher c = cipher();
        assertThat(c.rtcpIndex(sealed, 0, sealed.length)).isEqualTo(77);
        assertThat(c.unprotectRtcp(sealed, 0, sealed.length, SSRC)).isEqualTo(plain.length);
        assertThat(hex(sealed, 0, plain.length)).isEqualTo(hex(plain));
    }

    @Test
    void anyFlippedByteOfHeaderPayloadOrTagFailsRtp() throws Exception {
        SrtpCipher sender = cipher();
        SrtpCipher receiver = cipher();
        byte[] plain = SrtpTestSupport.rtp(99, SSRC, 50);
        byte[] buf = inBuffer(plain, 0, 10);
        int len = sender.protectRtp(buf, 0, plain.length, 28, SSRC, 99);
        for (int i = 0; i < len; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] t = buf.clone();
                t[i] ^= (byte) bit;
                assertThat(receiver.unprotectRtp(t, 0, len, 28, SSRC, 99)).as("byte %d bit %x", i, bit)
                        .isEqualTo(SrtpCipher.FAILED);
                // a refused packet is not decrypted
                t[i] ^= (byte) bit;
                assertThat(t).isEqualTo(buf);
            }
        }
        assertThat(receiver.unprotectRtp(buf, 0, len, 28, SSRC, 99)).isEqualTo(plain.length);
    }

    @Test
    void anyFlippedByteOfAnSrtcpPacketFails() throws Exception {
        SrtpCipher sender = cipher();
        SrtpCipher receiver = cipher();
        byte[] plain = SrtpTestSupport.rtcp(SSRC, 3);
        byte[] buf = inBuffer(plain, 0, 14);
        int len = sender.protectRtcp(buf, 0, plain.length, SSRC, 1000);
        for (int i = 0; i < len; i++) {
            byte[] t = buf.clone();
            t[i] ^= 0x01;
            assertThat(receiver.unprotectRtcp(t, 0, len, SSRC)).as("byte %d", i).isEqualTo(SrtpCipher.FAILED);
        }
        byte[] eFlag = buf.clone();
        eFlag[len - 14] ^= (byte) 0x80;
        assertThat(receiver.unprotectRtcp(eFlag, 0, len, SSRC)).isEqualTo(SrtpCipher.FAILED);
    }

    @Test
    void aWrongRolloverCounterFails() throws Exception {
        SrtpCipher c = cipher();
        byte[] plain = SrtpTestSupport.rtp(5, SSRC, 40);
        byte[] buf = inBuffer(plain, 0, 10);
        int len = c.protectRtp(buf, 0, plain.length, 28, SSRC, 1L << 16 | 5);
        assertThat(c.unprotectRtp(buf.clone(), 0, len, 28, SSRC, 5)).isEqualTo(SrtpCipher.FAILED);
        assertThat(c.unprotectRtp(buf.clone(), 0, len, 28, SSRC, 2L << 16 | 5)).isEqualTo(SrtpCipher.FAILED);
        assertThat(c.unprotectRtp(buf, 0, len, 28, SSRC, 1L << 16 | 5)).isEqualTo(plain.length);
    }

    @Test
    void packetsTooShortForTheirTagFail() throws Exception {
        SrtpCipher c = cipher();
        assertThat(c.unprotectRtp(new byte[21], 0, 21, 12, SSRC, 0)).isEqualTo(SrtpCipher.FAILED);
        assertThat(c.rtcpIndex(new byte[21], 0, 21)).isEqualTo(-1);
        assertThat(c.unprotectRtcp(new byte[21], 0, 21, SSRC)).isEqualTo(SrtpCipher.FAILED);
    }

    @Test
    void overheadIsTheEightyBitTagPlusTheSrtcpIndex() throws Exception {
        SrtpCipher c = cipher();
        assertThat(c.rtpOverhead()).isEqualTo(10);
        assertThat(c.rtcpOverhead()).isEqualTo(14);
    }

    @Test
    void rtpHeaderLengthCountsCsrcsAndTheExtension() {
        byte[] p = SrtpTestSupport.rtp(1, SSRC, 10);
        assertThat(SrtpCipher.rtpHeaderLength(p, 0, p.length)).isEqualTo(28);
        assertThat(SrtpCipher.rtpHeaderLength(p, 0, 27)).isEqualTo(-1);
        assertThat(SrtpCipher.rtpHeaderLength(p, 0, 11)).isEqualTo(-1);
        byte[] plain = hex("80 00 00 01 00 00 00 00 00 00 00 01 ff");
        assertThat(SrtpCipher.rtpHeaderLength(plain, 0, plain.length)).isEqualTo(12);
    }
}
