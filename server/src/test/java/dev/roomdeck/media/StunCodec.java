package dev.roomdeck.media;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Java client's ICE (the SFU leaves STUN to ice4j). The few STUN messages ICE needs (RFC 5389, RFC 8445 7.1): a Binding request with the ICE attributes, its success
 * response, and enough parsing to answer and match them. Short-term credentials: MESSAGE-INTEGRITY keyed with
 * the password of the side that owns the ufrag the USERNAME starts with; FINGERPRINT on everything.
 */
final class StunCodec {
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;
    static final int MAGIC = 0x2112A442;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int ERROR_CODE = 0x0009;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int PRIORITY = 0x0024;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int ICE_CONTROLLED = 0x8029;
    private static final int ICE_CONTROLLING = 0x802A;

    private StunCodec() {
    }

    /** First byte 0..3 and the magic cookie: a STUN message (RFC 7983). */
    static boolean isStun(byte[] b, int len) {
        return len >= 20 && (b[0] & 0xC0) == 0 && readInt(b, 4) == MAGIC;
    }

    static int type(byte[] b) {
        return (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    }

    /** The ERROR-CODE of an error response (e.g. 487 role conflict), or 0. */
    static int errorCode(byte[] b, int len) {
        int at = find(b, len, ERROR_CODE);
        return at < 0 ? 0 : (b[at + 2] & 0x07) * 100 + (b[at + 3] & 0xFF);
    }

    static boolean sameTransaction(byte[] a, byte[] txid) {
        for (int i = 0; i < 12; i++) {
            if (a[8 + i] != txid[i]) {
                return false;
            }
        }
        return true;
    }

    /** A connectivity check from us: USERNAME remote:local, PRIORITY, our role, USE-CANDIDATE when nominating. */
    static int bindingRequest(byte[] out, byte[] txid, String remoteUfrag, String localUfrag, String remotePwd,
                              long priority, boolean controlling, long tieBreaker, boolean nominate) {
        int n = header(out, BINDING_REQUEST, txid);
        n = attribute(out, n, USERNAME, (remoteUfrag + ":" + localUfrag).getBytes(StandardCharsets.UTF_8));
        n = putInt(out, attributeHeader(out, n, PRIORITY, 4), (int) priority);
        int role = attributeHeader(out, n, controlling ? ICE_CONTROLLING : ICE_CONTROLLED, 8);
        n = putInt(out, putInt(out, role, (int) (tieBreaker >>> 32)), (int) tieBreaker);
        if (nominate) {
            n = attributeHeader(out, n, USE_CANDIDATE, 0);
        }
        return finish(out, n, remotePwd);
    }

    /** The success response to a check the peer sent us, telling it the address we saw it from. */
    static int bindingSuccess(byte[] out, byte[] request, InetSocketAddress from, String localPwd) {
        byte[] txid = new byte[12];
        System.arraycopy(request, 8, txid, 0, 12);
        int n = header(out, BINDING_SUCCESS, txid);
        byte[] ip = from.getAddress().getAddress();
        int at = attributeHeader(out, n, XOR_MAPPED_ADDRESS, 4 + ip.length);
        out[at] = 0;
        out[at + 1] = (byte) (ip.length == 4 ? 1 : 2);
        int port = from.getPort() ^ (MAGIC >>> 16);
        out[at + 2] = (byte) (port >>> 8);
        out[at + 3] = (byte) port;
        for (int i = 0; i < ip.length; i++) {
            // XOR with the cookie, then (IPv6) the transaction id
            byte key = i < 4 ? (byte) (MAGIC >>> (24 - 8 * i)) : txid[i - 4];
            out[at + 4 + i] = (byte) (ip[i] ^ key);
        }
        return finish(out, at + 4 + ip.length, localPwd);
    }

    private static int header(byte[] out, int type, byte[] txid) {
        out[0] = (byte) (type >>> 8);
        out[1] = (byte) type;
        putInt(out, 4, MAGIC);
        System.arraycopy(txid, 0, out, 8, 12);
        return 20;
    }

    private static int attribute(byte[] out, int at, int type, byte[] value) {
        int v = attributeHeader(out, at, type, value.length);
        System.arraycopy(value, 0, out, v, value.length);
        int end = v + value.length;
        while ((end & 3) != 0) {
            out[end++] = 0;
        }
        return end;
    }

    /** Writes type and length; returns where the value starts. */
    private static int attributeHeader(byte[] out, int at, int type, int length) {
        out[at] = (byte) (type >>> 8);
        out[at + 1] = (byte) type;
        out[at + 2] = (byte) (length >>> 8);
        out[at + 3] = (byte) length;
        return at + 4;
    }

    /** Appends MESSAGE-INTEGRITY (HMAC-SHA1) and FINGERPRINT (CRC-32), each over what precedes it. */
    private static int finish(byte[] out, int n, String password) {
        setLength(out, n + 24);
        byte[] mac = hmacSha1(password, out, n);
        n = attribute(out, n, MESSAGE_INTEGRITY, mac);
        setLength(out, n + 8);
        CRC32 crc = new CRC32();
        crc.update(out, 0, n);
        int at = attributeHeader(out, n, FINGERPRINT, 4);
        return putInt(out, at, (int) crc.getValue() ^ 0x5354554E);
    }

    private static void setLength(byte[] out, int total) {
        int length = total - 20;
        out[2] = (byte) (length >>> 8);
        out[3] = (byte) length;
    }

    private static byte[] hmacSha1(String key, byte[] data, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 missing", e);
        }
    }

    /** Whether a Binding request carries USE-CANDIDATE (the controlling side nominates the pair). */
    static boolean hasUseCandidate(byte[] b, int len) {
        return find(b, len, USE_CANDIDATE) >= 0;
    }

    /** Offset of an attribute's value, or -1. */
    private static int find(byte[] b, int len, int type) {
        int end = Math.min(len, 20 + ((b[2] & 0xFF) << 8 | (b[3] & 0xFF)));
        int at = 20;
        while (at + 4 <= end) {
            int t = (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
            int l = (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
            if (t == type) {
                return at + 4;
            }
            at += 4 + ((l + 3) & ~3);
        }
        return -1;
    }

    private static int putInt(byte[] out, int at, int v) {
        out[at] = (byte) (v >>> 24);
        out[at + 1] = (byte) (v >>> 16);
        out[at + 2] = (byte) (v >>> 8);
        out[at + 3] = (byte) v;
        return at + 4;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
