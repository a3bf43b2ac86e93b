package dev.roomdeck.srtp;

import static dev.roomdeck.srtp.SrtpTestSupport.hex;
import static dev.roomdeck.srtp.SrtpTestSupport.inBuffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * AEAD_AES_128_GCM (RFC 7714). The RFC's vectors (16.1.1/16.1.2 SRTP, 17.1.1/17.1.2 SRTCP, 17.1.3 unencrypted SRTCP)
 * give the session key and salt, while the cipher takes a master key and salt. So the vectors check a reference
 * written here from the RFC's rules (IV = salt XOR 00 00|SSRC|ROC|SEQ or 00 00|SSRC|00 00|index; AAD = RTP header,
 * or the first 8 bytes with E flag and index) on the JDK's AES/GCM, and the cipher must give what that reference
 * gives under the session keys it derives (RFC 3711 KDF, checked in KeyDerivationTest).
 */
class AesGcmCipherTest {
    private static final byte[] RFC_KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] RFC_SALT = hex("517569642070726f2071756f");

    private static final int RTP_SSRC = 0x5501a0b2;
    private static final int RTP_SEQ = 0xf17b;
    private static final byte[] RTP_PLAIN = hex("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973"
            + "20646976 69736120 696e2070 61727465 73207472 6573");
    private static final byte[] RTP_PROTECTED = hex("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca"
            + "be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");

    private static final int RTCP_SSRC = 0x4d617273;
    private static final int RTCP_INDEX = 0x5d4;
    private static final byte[] RTCP_PLAIN = hex("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930"
            + "4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");
    private static final byte[] RTCP_PROTECTED = hex("81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99"
            + "7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
            + "45d9eade 800005d4");
    private static final byte[] RTCP_UNENCRYPTED = hex("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a"
            + "0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790"
            + "125f62b3 000005d4");

    private static final byte[] MASTER_KEY = hex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0");
    private static final byte[] MASTER_SALT = hex("c1c2c3c4c5c6c7c8c9cacbcc");

    // ---- the reference, from RFC 7714's rules, on the JDK's AES/GCM ----

    static byte[] rtpIv(byte[] salt, int ssrc, long index) {
        byte[] iv = new byte[12];
        SrtpCipher.putInt(iv, 2, ssrc);
        SrtpCipher.putInt(iv, 6, (int) (index >>> 16));
        iv[10] = (byte) (index >>> 8);
        iv[11] = (byte) index;
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    static byte[] rtcpIv(byte[] salt, int ssrc, int index) {
        byte[] iv = new byte[12];
        SrtpCipher.putInt(iv, 2, ssrc);
        SrtpCipher.putInt(iv, 8, index & 0x7FFFFFFF);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    static byte[] referenceSrtp(byte[] key, byte[] salt, byte[] rtp, int headerLength, int ssrc, long index)
            throws Exception {
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, rtpIv(salt, ssrc, index), Arrays.copyOf(rtp, headerLength),
                Arrays.copyOfRange(rtp, headerLength, rtp.length));
        return concat(Arrays.copyOf(rtp, headerLength), sealed);
    }

    static byte[] referenceSrtcp(byte[] key, byte[] salt, byte[] rtcp, int ssrc, int index) throws Exception {
        byte[] eIndex = new byte[4];
        SrtpCipher.putInt(eIndex, 0, 0x80000000 | index);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, rtcpIv(salt, ssrc, index),
                concat(Arrays.copyOf(rtcp, 8), eIndex), Arrays.copyOfRange(rtcp, 8, rtcp.length));
        return concat(Arrays.copyOf(rtcp, 8), sealed, eIndex);
    }

    /** RFC 7714 9.3: E flag 0, the whole packet with the index is associated data, nothing is encrypted. */
    static byte[] referenceUnencryptedSrtcp(byte[] key, byte[] salt, byte[] rtcp, int ssrc, int index)
            throws Exception {
        byte[] eIndex = new byte[4];
        SrtpCipher.putInt(eIndex, 0, index & 0x7FFFFFFF);
        byte[] tag = gcm(Cipher.ENCRYPT_MODE, key, rtcpIv(salt, ssrc, index), concat(rtcp, eIndex), new byte[0]);
        return concat(rtcp, tag, eIndex);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The session keys the cipher derives: SRTP key, SRTP salt, SRTCP key, SRTCP salt. */
    static byte[][] sessionKeys(byte[] masterKey, byte[] masterSalt) throws Exception {
        KeyDerivation kdf = new KeyDerivation(masterKey, masterSalt);
        return new byte[][] {kdf.derive(KeyDerivation.SRTP_ENCRYPTION, 16), kdf.derive(KeyDerivation.SRTP_SALT, 12),
                kdf.derive(KeyDerivation.SRTCP_ENCRYPTION, 16), kdf.derive(KeyDerivation.SRTCP_SALT, 12)};
    }

    private static SrtpCipher cipher() throws Exception {
        return SrtpSuite.AEAD_AES_128_GCM.cipher(MASTER_KEY.clone(), MASTER_SALT.clone());
    }

    // ---- the RFC's vectors, on the reference ----

    @Test
    void referenceGivesRfc7714Section16_1SrtpEncryption() throws Exception {
        assertThat(hex(rtpIv(RFC_SALT, RTP_SSRC, RTP_SEQ))).isEqualTo("51753c6580c2726f20718414");
        assertThat(hex(referenceSrtp(RFC_KEY, RFC_SALT, RTP_PLAIN, 12, RTP_SSRC, RTP_SEQ)))
                .isEqualTo(hex(RTP_PROTECTED));
    }

    @Test
    void referenceGivesRfc7714Section16_1SrtpDecryption() throws Exception {
        byte[] plain = gcm(Cipher.DECRYPT_MODE, RFC_KEY, rtpIv(RFC_SALT, RTP_SSRC, RTP_SEQ),
                Arrays.copyOf(RTP_PROTECTED, 12), Arrays.copyOfRange(RTP_PROTECTED, 12, RTP_PROTECTED.length));
        assertThat(hex(concat(Arrays.copyOf(RTP_PROTECTED, 12), plain))).isEqualTo(hex(RTP_PLAIN));
    }

    @Test
    void referenceGivesRfc7714Section17_1SrtcpEncryption() throws Exception {
        assertThat(hex(rtcpIv(RFC_SALT, RTCP_SSRC, RTCP_INDEX))).isEqualTo("517524055203726f207170bb");
        assertThat(hex(referenceSrtcp(RFC_KEY, RFC_SALT, RTCP_PLAIN, RTCP_SSRC, RTCP_INDEX)))
                .isEqualTo(hex(RTCP_PROTECTED));
    }

    @Test
    void referenceGivesRfc7714Section17_1UnencryptedSrtcp() throws Exception {
        assertThat(hex(referenceUnencryptedSrtcp(RFC_KEY, RFC_SALT, RTCP_PLAIN, RTCP_SSRC, RTCP_INDEX)))
                .isEqualTo(hex(RTCP_UNENCRYPTED));
    }

    // ---- the cipher against the reference, under its derived session keys ----

    @Test
    void protectRtpIsRfc7714sUnderTheDerivedSessionKeys() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        SrtpCipher c = cipher();
        for (long index : new long[] {RTP_SEQ, 5L << 16 | RTP_SEQ, 0xFFFFFFFFL << 16 | 0xFFFF}) {
            byte[] buf = inBuffer(RTP_PLAIN, 7, 16);
            int len = c.protectRtp(buf, 7, RTP_PLAIN.length, 12, RTP_SSRC, index);
            assertThat(len).isEqualTo(RTP_PLAIN.length + c.rtpOverhead());
            assertThat(hex(buf, 7, len)).as("index %x", index)
                    .isEqualTo(hex(referenceSrtp(keys[0], keys[1], RTP_PLAIN, 12, RTP_SSRC, index)));
        }
    }

    @Test
    void protectRtpAuthenticatesCsrcsAndExtensionAsHeader() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        byte[] plain = SrtpTestSupport.rtp(300, 0x11223344, 100);
        int h = SrtpCipher.rtpHeaderLength(plain, 0, plain.length);
        assertThat(h).isEqualTo(28);
        byte[] buf = inBuffer(plain, 0, 16);
        int len = cipher().protectRtp(buf, 0, plain.length, h, 0x11223344, 300);
        assertThat(hex(buf, 0, len)).isEqualTo(hex(referenceSrtp(keys[0], keys[1], plain, h, 0x11223344, 300)));
    }

    @Test
    void unprotectRtpRestoresTheReferencesPacket() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        long index = 3L << 16 | RTP_SEQ;
        byte[] sealed = referenceSrtp(keys[0], keys[1], RTP_PLAIN, 12, RTP_SSRC, index);
        byte[] buf = inBuffer(sealed, 3, 0);
        int len = cipher().unprotectRtp(buf, 3, sealed.length, 12, RTP_SSRC, index);
        assertThat(len).isEqualTo(RTP_PLAIN.length);
        assertThat(hex(buf, 3, len)).isEqualTo(hex(RTP_PLAIN));
    }

    @Test
    void protectRtcpIsRfc7714sUnderTheDerivedSessionKeys() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        SrtpCipher c = cipher();
        byte[] buf = inBuffer(RTCP_PLAIN, 2, 20);
        int len = c.protectRtcp(buf, 2, RTCP_PLAIN.length, RTCP_SSRC, RTCP_INDEX);
        assertThat(len).isEqualTo(RTCP_PLAIN.length + c.rtcpOverhead());
        assertThat(hex(buf, 2, len))
                .isEqualTo(hex(referenceSrtcp(keys[2], keys[3], RTCP_PLAIN, RTCP_SSRC, RTCP_INDEX)));
        assertThat(c.rtcpIndex(buf, 2, len)).isEqualTo(0x80000000L | RTCP_INDEX);
    }

    @Test
    void unprotectRtcpRestoresTheReferencesPacket() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        byte[] sealed = referenceSrtcp(keys[2], keys[3], RTCP_PLAIN, RTCP_SSRC, 0x7FFFFFFF);
        byte[] buf = sealed.clone();
        int len = cipher().unprotectRtcp(buf, 0, buf.length, RTCP_SSRC);
        assertThat(len).isEqualTo(RTCP_PLAIN.length);
        assertThat(hex(buf, 0, len)).isEqualTo(hex(RTCP_PLAIN));
    }

    @Test
    void unencryptedSrtcpIsAcceptedAndLeftAsItIs() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        byte[] sealed = referenceUnencryptedSrtcp(keys[2], keys[3], RTCP_PLAIN, RTCP_SSRC, RTCP_INDEX);
        SrtpCipher c = cipher();
        assertThat(c.rtcpIndex(sealed, 0, sealed.length)).isEqualTo(RTCP_INDEX);
        byte[] buf = sealed.clone();
        int len = c.unprotectRtcp(buf, 0, buf.length, RTCP_SSRC);
        assertThat(len).isEqualTo(RTCP_PLAIN.length);
        assertThat(hex(buf, 0, len)).isEqualTo(hex(RTCP_PLAIN));
    }

    @Test
    void unencryptedSrtcpWithAFlippedByteFails() throws Exception {
        byte[][] keys = sessionKeys(MASTER_KEY, MASTER_SALT);
        byte[] sealed = referenceUnencryptedSrtcp(keys[2], keys[3], RTCP_PLAIN, RTCP_SSRC, RTCP_INDEX);
        SrtpCipher c = cipher();
        for (int i = 0; i < sealed.length; i++) {
            byte[] buf = sealed.clone();
            buf[i] ^= 0x01;
            assertThat(c.unprotectRtcp(buf, 0, buf.length, RTCP_SSRC)).as("byte %d", i).isEqualTo(SrtpCipher.FAILED);
        }
    }

    @Test
    void anyFlippedByteOfHeaderPayloadOrTagFailsRtp() throws Exception {
        SrtpCipher sender = cipher();
        SrtpCipher receiver = cipher();
        byte[] buf = inBuffer(RTP_PLAIN, 0, 16);
        int len = sender.protectRtp(buf, 0, RTP_PLAIN.length, 12, RTP_SSRC, RTP_SEQ);
        byte[] sealed = Arrays.copyOf(buf, len);
        for (int i = 0; i < len; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] t = sealed.clone();
                t[i] ^= (byte) bit;
                assertThat(receiver.unprotectRtp(t, 0, len, 12, RTP_SSRC, RTP_SEQ)).as("byte %d bit %x", i, bit)
                        .isEqualTo(SrtpCipher.FAILED);
            }
        }
        // and the genuine packet still passes after all those failures
        assertThat(receiver.unprotectRtp(sealed.clone(), 0, len, 12, RTP_SSRC, RTP_SEQ)).isEqualTo(RTP_PLAIN.length);
    }

    @Test
    void anyFlippedByteOfAnSrtcpPacketFails() throws Exception {
        SrtpCipher sender = cipher();
        SrtpCipher receiver = cipher();
        byte[] buf = inBuffer(RTCP_PLAIN, 0, 20);
        int len = sender.protectRtcp(buf, 0, RTCP_PLAIN.length, RTCP_SSRC, RTCP_INDEX);
        byte[] sealed = Arrays.copyOf(buf, len);
        for (int i = 0; i < len; i++) {
            byte[] t = sealed.clone();
            t[i] ^= 0x01;
            assertThat(receiver.unprotectRtcp(t, 0, len, RTCP_SSRC)).as("byte %d", i).isEqualTo(SrtpCipher.FAILED);
        }
        byte[] eFlag = sealed.clone();
        eFlag[len - 4] ^= (byte) 0x80; // claims to be unencrypted
        assertThat(receiver.unprotectRtcp(eFlag, 0, len, RTCP_SSRC)).isEqualTo(SrtpCipher.FAILED);
        assertThat(receiver.unprotectRtcp(sealed.clone(), 0, len, RTCP_SSRC)).isEqualTo(RTCP_PLAIN.length);
    }

    @Test
    void aWrongRolloverCounterOrSsrcFails() throws Exception {
        SrtpCipher c = cipher();
        byte[] buf = inBuffer(RTP_PLAIN, 0, 16);
        int len = c.protectRtp(buf, 0, RTP_PLAIN.length, 12, RTP_SSRC, 1L << 16 | RTP_SEQ);
        assertThat(c.unprotectRtp(buf.clone(), 0, len, 12, RTP_SSRC, RTP_SEQ)).isEqualTo(SrtpCipher.FAILED);
        assertThat(c.unprotectRtp(buf.clone(), 0, len, 12, RTP_SSRC + 1, 1L << 16 | RTP_SEQ))
                .isEqualTo(SrtpCipher.FAILED);
        assertThat(c.unprotectRtp(buf.clone(), 0, len, 12, RTP_SSRC, 1L << 16 | RTP_SEQ)).isEqualTo(RTP_PLAIN.length);
    }

    @Test
    void packetsTooShortForATagFail() throws Exception {
        SrtpCipher c = cipher();
        assertThat(c.unprotectRtp(new byte[27], 0, 27, 12, RTP_SSRC, 0)).isEqualTo(SrtpCipher.FAILED);
        assertThat(c.rtcpIndex(new byte[27], 0, 27)).isEqualTo(-1);
        assertThat(c.unprotectRtcp(new byte[27], 0, 27, RTCP_SSRC)).isEqualTo(SrtpCipher.FAILED);
    }

    @Test
    void overheadIsTheSixteenByteTagPlusTheSrtcpIndex() throws Exception {
        SrtpCipher c = cipher();
        assertThat(c.rtpOverhead()).isEqualTo(16);
        assertThat(c.rtcpOverhead()).isEqualTo(20);
    }
}
