package dev.roomdeck.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714): the RTP header (or the first 8 bytes of an RTCP packet with its E flag and index)
 * is the associated data, the rest is encrypted, and a 16-byte tag follows. The IV is the session salt XOR
 * 00 00 | SSRC | ROC | SEQ (SRTP) or 00 00 | SSRC | 00 00 | index (SRTCP).
 *
 * <p>On the JDK's AES/GCM cipher, which takes a new {@code GCMParameterSpec} in an init per packet and builds a
 * new GCM engine there: about 1 KB of garbage per packet, which no JDK API avoids (see the package comment). It
 * also refuses to encrypt twice in a row under one IV, which a resent packet would need: that send fails.
 */
final class AesGcmCipher extends SrtpCipher {
    private static final int TAG = 16;
    private static final int SALT = 12;

    private final Cipher gcm;
    private final SecretKeySpec rtpKey;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[12];
    private final byte[] rtcpAad = new byte[12];
    private byte[] scratch = new byte[0];

    AesGcmCipher(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        KeyDerivation kdf = new KeyDerivation(masterKey, masterSalt);
        byte[] rtp = kdf.derive(KeyDerivation.SRTP_ENCRYPTION, 16);
        byte[] rtcp = kdf.derive(KeyDerivation.SRTCP_ENCRYPTION, 16);
        rtpSalt = kdf.derive(KeyDerivation.SRTP_SALT, SALT);
        rtcpSalt = kdf.derive(KeyDerivation.SRTCP_SALT, SALT);
        kdf.wipe();
        rtpKey = new SecretKeySpec(rtp, "AES");
        rtcpKey = new SecretKeySpec(rtcp, "AES");
        Arrays.fill(rtp, (byte) 0);
        Arrays.fill(rtcp, (byte) 0);
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
    }

    @Override
    public int rtpOverhead() {
        return TAG;
    }

    @Override
    public int rtcpOverhead() {
        return TAG + 4;
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        iv(rtpSalt, ssrc, (int) (index >>> 16), (int) index & 0xFFFF);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, rtpKey, new GCMParameterSpec(TAG * 8, iv));
            gcm.updateAAD(buf, off, headerLength);
            int n = gcm.doFinal(buf, off + headerLength, len - headerLength, scratch(len + TAG), 0);
            System.arraycopy(scratch, 0, buf, off + headerLength, n);
            return headerLength + n;
        } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            return FAILED;
        }
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        if (len - headerLength < TAG) {
            return FAILED;
        }
        iv(rtpSalt, ssrc, (int) (index >>> 16), (int) index & 0xFFFF);
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtpKey, new GCMParameterSpec(TAG * 8, iv));
            gcm.updateAAD(buf, off, headerLength);
            int n = gcm.doFinal(buf, off + headerLength, len - headerLength, scratch(len), 0);
            System.arraycopy(scratch, 0, buf, off + headerLength, n);
            return headerLength + n;
        } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            return FAILED;
        }
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        int eIndex = 0x80000000 | index;
        iv(rtcpSalt, ssrc, 0, 0);
        xorInt(iv, 8, index);
        System.arraycopy(buf, off, rtcpAad, 0, 8);
        putInt(rtcpAad, 8, eIndex);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
            gcm.updateAAD(rtcpAad, 0, 12);
            int n = gcm.doFinal(buf, off + 8, len - 8, scratch(len + TAG), 0);
            System.arraycopy(scratch, 0, buf, off + 8, n);
            putInt(buf, off + 8 + n, eIndex);
            return 8 + n + 4;
        } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            return FAILED;
        }
    }

    @Override
    public long rtcpIndex(byte[] buf, int off, int len) {
        return len < 8 + TAG + 4 ? -1 : getInt(buf, off + len - 4) & 0xFFFFFFFFL;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc) {
        long eIndex = rtcpIndex(buf, off, len);
        if (eIndex < 0) {
            return FAILED;
        }
        boolean encrypted = (eIndex & 0x80000000L) != 0;
        iv(rtcpSalt, ssrc, 0, 0);
        xorInt(iv, 8, (int) eIndex & 0x7FFFFFFF);
        int sealed = len - 4; // the packet with its tag, before the E flag and index
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
            if (encrypted) {
                gcm.updateAAD(buf, off, 8);
                gcm.updateAAD(buf, off + len - 4, 4);
                int n = gcm.doFinal(buf, off + 8, sealed - 8, scratch(len), 0);
                System.arraycopy(scratch, 0, buf, off + 8, n);
                return 8 + n;
            }
            // Unencrypted SRTCP (RFC 7714 9.3): the whole packet and the E flag with index are the associated data.
            gcm.updateAAD(buf, off, sealed - TAG);
            gcm.updateAAD(buf, off + len - 4, 4);
            gcm.doFinal(buf, off + sealed - TAG, TAG, scratch(len), 0);
            return sealed - TAG;
        } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            return FAILED;
        }
    }

    /** salt XOR 00 00 | SSRC | high | low16 (SRTP: ROC and SEQ; SRTCP: 0, then the index XORed over bytes 8-11). */
    private void iv(byte[] salt, int ssrc, int high, int low16) {
        System.arraycopy(salt, 0, iv, 0, SALT);
        xorInt(iv, 2, ssrc);
        xorInt(iv, 6, high);
        iv[10] ^= (byte) (low16 >>> 8);
        iv[11] ^= (byte) low16;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[length];
        }
        return scratch;
    }
}
