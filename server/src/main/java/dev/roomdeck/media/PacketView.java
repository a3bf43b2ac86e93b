package dev.roomdeck.media;

/** A resettable window on a byte array, which SRTP transforms in place. One per direction, reused. */
final class PacketView {
    private byte[] buffer;
    private int offset;
    private int length;

    PacketView reset(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    byte[] getBuffer() {
        return buffer;
    }

    int getOffset() {
        return offset;
    }

    int getLength() {
        return length;
    }

    /** The packet grew (a tag appended) or shrank (a tag checked and taken off) in place. */
    void setLength(int length) {
        this.length = length;
    }
}
