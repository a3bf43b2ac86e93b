package dev.roomdeck.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711): payload XORed with AES counter-mode keystream whose IV is the session salt
 * XOR SSRC·2^64 XOR index·2^16, then an 80-bit HMAC-SHA1 tag over the packet and its rollover counter (SRTP), or
 * over the packet with its E flag and index (SRTCP). Allocates nothing per packet.
 */
final class AesCmCipher extends SrtpCipher {
    private static final int TAG = 10;
    private static final int SALT = 14;

    private final AesCounter rtpCipher;
    private final AesCounter rtcpCipher;
    private final HmacSha1 rtpAuth;
    private final HmacSha1 rtcpAuth;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[16];

    AesCmCipher(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        KeyDerivation kdf = new KeyDerivation(masterKey, masterSalt);
        byte[] rtpKey = kdf.derive(KeyDerivation.SRTP_ENCRYPTION, 16);
        byte[] rtpAuthKey = kdf.derive(KeyDerivation.SRTP_AUTHENTICATION, HmacSha1.LENGTH);
        byte[] rtcpKey = kdf.derive(KeyDerivation.SRTCP_ENCRYPTION, 16);
        byte[] rtcpAuthKey = kdf.derive(KeyDerivation.SRTCP_AUTHENTICATION, HmacSha1.LENGTH);
        rtpSalt = kdf.derive(KeyDerivation.SRTP_SALT, SALT);
        rtcpSalt = kdf.derive(KeyDerivation.SRTCP_SALT, SALT);
        kdf.wipe();
        rtpCipher = new AesCounter(rtpKey);
        rtcpCipher = new AesCounter(rtcpKey);
        rtpAuth = new HmacSha1(rtpAuthKey);
        rtcpAuth = new HmacSha1(rtcpAuthKey);
        for (byte[] k : new byte[][] {rtpKey, rtpAuthKey, rtcpKey, rtcpAuthKey}) {
            Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public int rtpOverhead() {
        return TAG;
    }

    @Override
    public int rtcpOverhead() {
        return 4 + TAG;
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        rtpIv(ssrc, index);
        rtpCipher.xorKeystream(iv, buf, off + headerLength, len - headerLength);
        System.arraycopy(rtpAuth.mac(buf, off, len, true, (int) (index >>> 16)), 0, buf, off + len, TAG);
        return len + TAG;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        int plain = len - TAG;
        if (plain < headerLength) {
            return FAILED;
        }
        if (!sameBytes(rtpAuth.mac(buf, off, plain, true, (int) (index >>> 16)), 0, buf, off + plain, TAG)) {
            return FAILED;
        }
        rtpIv(ssrc, index);
        rtpCipher.xorKeystream(iv, buf, off + headerLength, plain - headerLength);
        return plain;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        rtcpIv(ssrc, index);
        rtcpCipher.xorKeystream(iv, buf, off + 8, len - 8);
        putInt(buf, off + len, 0x80000000 | index);
        System.arraycopy(rtcpAuth.mac(buf, off, len + 4, false, 0), 0, buf, off + len + 4, TAG);
        return len + 4 + TAG;
    }

    @Override
    public long rtcpIndex(byte[] buf, int off, int len) {
        return len < 8 + 4 + TAG ? -1 : getInt(buf, off + len - TAG - 4) & 0xFFFFFFFFL;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc) {
        long eIndex = rtcpIndex(buf, off, len);
        if (eIndex < 0 || !sameBytes(rtcpAuth.mac(buf, off, len - TAG, false, 0), 0, buf, off + len - TAG, TAG)) {
            return FAILED;
        }
        int plain = len - TAG - 4;
        if ((eIndex & 0x80000000L) != 0) {
            rtcpIv(ssrc, (int) eIndex & 0x7FFFFFFF);
            rtcpCipher.xorKeystream(iv, buf, off + 8, plain - 8);
        }
        return plain;
    }

    /** salt·2^16 XOR SSRC·2^64 XOR index·2^16: salt in bytes 0-13, SSRC over bytes 4-7, index over 8-13. */
    private void rtpIv(int ssrc, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, SALT);
        iv[14] = 0;
        iv[15] = 0;
        xorInt(iv, 4, ssrc);
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        xorInt(iv, 10, (int) index);
    }

    /** The same with SRTCP's salt and its 31-bit index over bytes 10-13. */
    private void rtcpIv(int ssrc, int index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, SALT);
        iv[14] = 0;
        iv[15] = 0;
        xorInt(iv, 4, ssrc);
        xorInt(iv, 10, index);
    }
}
