package dev.roomdeck.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over one reused {@code MessageDigest}, writing into our own arrays: the JDK's {@code Mac}
 * computes the same but allocates its result on every call. Not thread-safe: one per direction.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];
    private final byte[] result = new byte[LENGTH];
    private final byte[] word = new byte[4];

    HmacSha1(byte[] key) throws NoSuchAlgorithmException {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("SRTP authentication keys have 20 bytes");
        }
        sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /**
     * The MAC of {@code buf[off, off + len)}, followed by the 32-bit {@code suffix} when {@code withSuffix} (SRTP's
     * rollover counter); the result stays in {@link #result()} until the next call.
     */
    byte[] mac(byte[] buf, int off, int len, boolean withSuffix, int suffix) {
        try {
            sha1.update(innerPad, 0, BLOCK);
            sha1.update(buf, off, len);
            if (withSuffix) {
                word[0] = (byte) (suffix >>> 24);
                word[1] = (byte) (suffix >>> 16);
                word[2] = (byte) (suffix >>> 8);
                word[3] = (byte) suffix;
                sha1.update(word, 0, 4);
            }
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(inner, 0, LENGTH);
            sha1.digest(result, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the arrays have SHA-1's length
        }
        return result;
    }

    byte[] result() {
        return result;
    }
}
