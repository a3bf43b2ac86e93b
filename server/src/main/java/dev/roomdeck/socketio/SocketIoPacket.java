package dev.roomdeck.socketio;

/**
 * One Socket.IO packet, the text after an Engine.IO message's leading {@code 4}:
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]}, for example {@code 2["join",{...}]},
 * {@code 212["join",{...}]} (with acknowledgement 12) or {@code 0/admin,} (connect to namespace /admin).
 *
 * @param type        one of the constants below
 * @param namespace   "/" unless the packet names another namespace
 * @param ackId       the acknowledgement id, or -1 when the sender wants none
 * @param attachments binary attachments that follow as separate frames (binary packets only)
 * @param payload     the JSON text after the header; empty when there is none
 */
record SocketIoPacket(int type, String namespace, long ackId, int attachments, String payload) {
    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;

    /** Ids longer than this cannot be a counter a client really keeps; refusing them keeps the parse in a long. */
    private static final int MAX_ID_DIGITS = 15;

    /** The packet was not Socket.IO framing. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static SocketIoPacket parse(String text) throws Malformed {
        if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6') {
            throw new Malformed("not a Socket.IO packet type");
        }
        int type = text.charAt(0) - '0';
        int i = 1;
        int attachments = 0;
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 3 || !digits(text, i, dash)) {
                throw new Malformed("a binary packet needs an attachment count");
            }
            attachments = Integer.parseInt(text, i, dash, 10);
            i = dash + 1;
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        int idStart = i;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        long ackId = -1;
        if (i > idStart) {
            if (i - idStart > MAX_ID_DIGITS) {
                throw new Malformed("the acknowledgement id is too long");
            }
            ackId = Long.parseLong(text, idStart, i, 10);
        }
        return new SocketIoPacket(type, namespace, ackId, attachments, text.substring(i));
    }

    /** The Engine.IO message carrying a packet of the default namespace: {@code 4<type>[<ack id>]<payload>}. */
    static String message(int type, long ackId, String payload) {
        return "4" + type + (ackId >= 0 ? Long.toString(ackId) : "") + payload;
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
