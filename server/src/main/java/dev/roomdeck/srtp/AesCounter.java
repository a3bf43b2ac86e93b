package dev.roomdeck.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 4.1.1): the keystream is AES of IV, IV+1, ... where the IV's last
 * 16 bits count the blocks. One AES/ECB cipher keyed once encrypts all of a packet's counter blocks in one call
 * (the JDK runs it on AES instructions), and the keystream is XORed in place: no key schedule, no object per
 * packet. The JDK's own AES/CTR would need an init, and so an IV object and a copy of the key, per packet.
 * Not thread-safe: one per direction.
 */
final class AesCounter {
    /** Eight bytes at a time: the counter blocks and the XOR are most of the work besides AES itself. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Cipher ecb;
    private byte[] counters = new byte[0];
    private byte[] keystream = new byte[0];

    AesCounter(byte[] key) throws GeneralSecurityException {
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    }

    /** XORs {@code buf[off, off + len)} with the keystream that starts at counter block {@code iv} (16 bytes). */
    void xorKeystream(byte[] iv, byte[] buf, int off, int len) {
        int blocks = (len + 15) >>> 4;
        int bytes = blocks << 4;
        if (counters.length < bytes) { // grows to the largest packet once, then never again
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        long high = (long) LONGS.get(iv, 0);
        long low = (long) LONGS.get(iv, 8);
        for (int b = 0; b < blocks; b++) { // the block count lives in the IV's last 16 bits, which start at 0 in SRTP
            LONGS.set(counters, b << 4, high);
            LONGS.set(counters, (b << 4) + 8, (low & ~0xFFFFL) | ((low + b) & 0xFFFFL));
        }
        try {
            ecb.update(counters, 0, bytes, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // the keystream array has the counters' length
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(buf, off + i, (long) LONGS.get(buf, off + i) ^ (long) LONGS.get(keystream, i));
        }
        for (; i < len; i++) {
            buf[off + i] ^= keystream[i];
        }
    }
}
