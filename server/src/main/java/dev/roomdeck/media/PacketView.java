package dev.roomdeck.media;

import org.jitsi.utils.ByteArrayBuffer;

/** A resettable window on a byte array, the shape jitsi-srtp transforms in place. One per direction, reused. */
final class PacketView implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    PacketView reset(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
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

    /** Makes room for {@code howMuch} more bytes after the current end; only reallocates if the array is short. */
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
