package dev.roomdeck.rtp;

/** Test helper: bytes from readable hex ("80 60 00 01 ..."), whitespace and '|' ignored. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        String h = hex.replaceAll("[\\s|]", "");
        if (h.length() % 2 != 0) throw new IllegalArgumentException("odd hex: " + hex);
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    static String of(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (i > 0) sb.append(i % 4 == 0 ? " | " : " ");
            sb.append(String.format("%02x", b[off + i] & 0xFF));
        }
        return sb.toString();
    }

    static String of(byte[] b) {
        return of(b, 0, b.length);
    }
}
