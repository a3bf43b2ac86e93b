package dev.roomdeck.srtp;

import java.security.GeneralSecurityException;

/** The SRTP protection profiles (RFC 5764 4.1.2, RFC 7714 14.2): key and salt lengths, and the cipher of each. */
public enum SrtpSuite {
    /** RFC 3711's default: AES counter mode, HMAC-SHA1 with an 80-bit tag, for SRTP and SRTCP alike. */
    AES_CM_128_HMAC_SHA1_80(16, 14) {
        @Override
        public SrtpCipher cipher(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
            return new AesCmCipher(masterKey, masterSalt);
        }
    },
    /** RFC 7714: AES-GCM with a 16-byte tag; a 12-byte salt. */
    AEAD_AES_128_GCM(16, 12) {
        @Override
        public SrtpCipher cipher(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
            return new AesGcmCipher(masterKey, masterSalt);
        }
    };

    public final int keyLength;
    public final int saltLength;

    SrtpSuite(int keyLength, int saltLength) {
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** One direction's cipher, its session keys derived from the master key and salt (which the caller may wipe). */
    public abstract SrtpCipher cipher(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException;
}
