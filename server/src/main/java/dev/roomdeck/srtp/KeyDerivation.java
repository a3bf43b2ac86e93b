package dev.roomdeck.srtp;

import java.security.GeneralSecurityException;

/**
 * RFC 3711 4.3's key derivation with a key derivation rate of 0 (keys derived once, as DTLS-SRTP uses it): each
 * session key is AES-CM keystream of the master key, from the block x·2^16 where x = label·2^48 XOR the master
 * salt. RFC 7714's 12-byte salt is first multiplied by 2^16 (errata 4938), i.e. padded with two zero bytes.
 */
final class KeyDerivation {
    static final int SRTP_ENCRYPTION = 0;
    static final int SRTP_AUTHENTICATION = 1;
    static final int SRTP_SALT = 2;
    static final int SRTCP_ENCRYPTION = 3;
    static final int SRTCP_AUTHENTICATION = 4;
    static final int SRTCP_SALT = 5;

    private final AesCounter prf;
    private final byte[] masterSalt;

    KeyDerivation(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("a master salt has at most 14 bytes");
        }
        this.prf = new AesCounter(masterKey);
        this.masterSalt = masterSalt.clone();
    }

    /** {@code length} bytes of the session key with this label. */
    byte[] derive(int label, int length) {
        byte[] block = new byte[16];
        System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
        block[7] ^= (byte) label;
        byte[] key = new byte[length];
        prf.xorKeystream(block, key, 0, length);
        return key;
    }

    /** Forgets the master salt (the PRF's key schedule goes with this object). */
    void wipe() {
        java.util.Arrays.fill(masterSalt, (byte) 0);
    }
}
