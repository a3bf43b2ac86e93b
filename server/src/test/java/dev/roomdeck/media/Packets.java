package dev.roomdeck.media;

import java.nio.ByteBuffer;

/** Plain RTP/RTCP packets for tests. */
final class Packets {
    private Packets() {
    }

    /** RTP v2, payload type 111, marker off, with a recognisable payload. */
    static byte[] rtp(int ssrc, int seq, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(12 + payloadLength);
        b.put((byte) 0x80).put((byte) 111).putShort((short) seq).putInt(seq * 960).putInt(ssrc);
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) (seq * 31 + i));
        }
        return b.array();
    }

    /** An RTCP sender report without report blocks (28 bytes). */
    static byte[] senderReport(int ssrc, int packetCount) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt(ssrc)
                .putLong(0x1234_5678_9abc_def0L).putInt(packetCount * 960).putInt(packetCount).putInt(packetCount * 100);
        return b.array();
    }
}
