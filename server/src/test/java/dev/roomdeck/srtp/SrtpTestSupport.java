package dev.roomdeck.srtp;

import java.util.Arrays;
import org.jitsi.utils.ByteArrayBuffer;

/** Hex, packets and a jitsi-srtp buffer for the srtp tests. */
final class SrtpTestSupport {
    private SrtpTestSupport() {
    }

    /** Bytes from hex; spaces, newlines and '|' are ignored. */
    static byte[] hex(String s) {
        String h = s.replaceAll("[\\s|]", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(String.format("%02x", b[off + i] & 0xff));
        }
        return sb.toString();
    }

    static String hex(byte[] b) {
        return hex(b, 0, b.length);
    }

    static byte[] repeat(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /**
     * An RTP packet: one CSRC, a one-byte header extension (2 words), and a payload of {@code payloadLength} bytes
     * that depend on {@code seq}. Header: 12 + 4 + 4 + 8 = 28 bytes.
     */
    static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] p = new byte[28 + payloadLength];
        p[0] = (byte) 0x91; // V=2, X=1, CC=1
        p[1] = 111;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        SrtpCipher.putInt(p, 4, seq * 960);
        SrtpCipher.putInt(p, 8, ssrc);
        SrtpCipher.putInt(p, 12, 0x0badcafe); // CSRC
        SrtpCipher.putInt(p, 16, 0xbede0002);
        SrtpCipher.putInt(p, 20, 0x10ff2222);
        SrtpCipher.putInt(p, 24, 0x33000000);
        for (int i = 0; i < payloadLength; i++) {
            p[28 + i] = (byte) (seq * 7 + i);
        }
        return p;
    }

    /** A sender report with one report block and some padding words: 8 + 20 + 24 = 52 bytes. */
    static byte[] rtcp(int ssrc, int n) {
        byte[] p = new byte[52];
        p[0] = (byte) 0x81;
        p[1] = (byte) 200;
        p[3] = 12; // 13 words
        SrtpCipher.putInt(p, 4, ssrc);
        for (int i = 8; i < p.length; i++) {
            p[i] = (byte) (n + i);
        }
        return p;
    }

    /** {@code packet} at {@code off} in an array with room for {@code room} more bytes after it. */
    static byte[] inBuffer(byte[] packet, int off, int room) {
        byte[] buf = new byte[off + packet.length + room];
        System.arraycopy(packet, 0, buf, off, packet.length);
        return buf;
    }

    /**
     * A window on a byte array, the shape jitsi-srtp transforms in place (as media.PacketView was). Give it room
     * for the tag: jitsi-srtp's GCM writes the tag past the length without calling {@link #grow}.
     */
    static final class JitsiBuffer implements ByteArrayBuffer {
        private byte[] buffer;
        private int offset;
        private int length;

        JitsiBuffer(byte[] buffer, int offset, int length) {
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
        }

        /** The bytes of the window, copied. */
        byte[] bytes() {
            return Arrays.copyOfRange(buffer, offset, offset + length);
        }

        @Override
        public byte[] getBuffer() {
            return buffer;
        }

        @Override
        public int getOffset() {
            return offset;
        }

        @Override
        public int getLength() {
            return length;
        }

        @Override
        public void setLength(int length) {
            this.length = length;
        }

        @Override
        public void setOffset(int offset) {
            this.offset = offset;
        }

        @Override
        public boolean isInvalid() {
            return false;
        }

        @Override
        public void readRegionToBuff(int off, int len, byte[] out) {
            System.arraycopy(buffer, offset + off, out, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            int needed = offset + length + howMuch;
            if (needed > buffer.length) {
                byte[] bigger = new byte[needed];
                System.arraycopy(buffer, 0, bigger, 0, offset + length);
                buffer = bigger;
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, buffer, offset + length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
