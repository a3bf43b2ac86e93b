package dev.roomdeck.socketio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Several Engine.IO packets in one long-polling request or response body. Engine.IO 4 joins them with the record
 * separator {@code \x1e}; Engine.IO 3 prefixes each with its length, {@code <length>:<packet>}, the length counted
 * in UTF-16 code units as JavaScript's {@code String.length} (which Java's is too). A binary packet travels as text,
 * {@code b<type><base64>} on 3 and {@code b<base64>} on 4, unless an Engine.IO 3 client posts the binary form
 * ({@code application/octet-stream}); it is handed on as the text {@code "b"} alone: this server refuses binary
 * content anyway and only needs to know that a binary packet arrived.
 */
final class Payload {
    static final char SEPARATOR = '\u001e';
    /** Marks a binary packet in the decoded list. */
    static final String BINARY = "b";

    private Payload() {
    }

    /** The body was not a payload of this revision. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static String encode(EngineIoVersion version, List<String> packets) {
        StringBuilder b = new StringBuilder();
        for (String p : packets) {
            if (version == EngineIoVersion.V4) {
                if (b.length() > 0) {
                    b.append(SEPARATOR);
                }
            } else {
                b.append(p.length()).append(':');
            }
            b.append(p);
        }
        return b.toString();
    }

    /** The packets of a text body, in order. */
    static List<String> decode(EngineIoVersion version, String body) throws Malformed {
        List<String> packets = new ArrayList<>();
        if (version == EngineIoVersion.V4) {
            int from = 0;
            while (true) {
                int sep = body.indexOf(SEPARATOR, from);
                String p = body.substring(from, sep < 0 ? body.length() : sep);
                packets.add(packet(p));
                if (sep < 0) {
                    return packets;
                }
                from = sep + 1;
            }
        }
        int i = 0;
        while (i < body.length()) {
            int colon = body.indexOf(':', i);
            if (colon <= i || colon - i > 9 || !digits(body, i, colon)) {
                throw new Malformed("an Engine.IO 3 payload is <length>:<packet>...");
            }
            int n = Integer.parseInt(body, i, colon, 10);
            int end = colon + 1 + n;
            if (end > body.length()) {
                throw new Malformed("a packet is shorter than its length says");
            }
            if (n > 0) { // "0:" is the empty payload
                packets.add(packet(body.substring(colon + 1, end)));
            }
            i = end;
        }
        if (packets.isEmpty()) {
            throw new Malformed("the payload has no packet");
        }
        return packets;
    }

    /**
     * The packets of an Engine.IO 3 binary body: per packet a marker byte (0 text, 1 binary), the length as one
     * byte per decimal digit, 255, then that many bytes (UTF-8 for text; the packet type and the data for binary).
     */
    static List<String> decodeBinary(byte[] body) throws Malformed {
        List<String> packets = new ArrayList<>();
        int i = 0;
        while (i < body.length) {
            boolean text = body[i] == 0;
            if (!text && body[i] != 1) {
                throw new Malformed("a binary payload entry starts with 0 or 1");
            }
            i++;
            long n = 0;
            int digits = 0;
            while (i < body.length && (body[i] & 0xff) != 255) {
                if (body[i] < 0 || body[i] > 9 || ++digits > 9) {
                    throw new Malformed("a binary payload length is one byte per decimal digit");
                }
                n = n * 10 + body[i];
                i++;
            }
            if (i >= body.length || digits == 0 || i + 1 + n > body.length) {
                throw new Malformed("a binary payload entry is cut short");
            }
            int start = i + 1;
            i = start + (int) n;
            packets.add(text ? packet(new String(body, start, (int) n, StandardCharsets.UTF_8)) : BINARY);
        }
        if (packets.isEmpty()) {
            throw new Malformed("the payload has no packet");
        }
        return packets;
    }

    /** One packet; any base64 binary packet becomes {@link #BINARY}. */
    private static String packet(String p) throws Malformed {
        if (p.isEmpty()) {
            throw new Malformed("an empty packet");
        }
        return p.charAt(0) == 'b' ? BINARY : p;
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }
}
