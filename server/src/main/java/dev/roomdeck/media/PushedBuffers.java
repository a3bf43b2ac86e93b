package dev.roomdeck.media;

import java.util.concurrent.ArrayBlockingQueue;

import kotlin.Unit;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * The buffers datagrams arrive in: the shared port's reader takes one for every datagram ({@link #take}), ice4j's
 * ICE-TCP reader asks through its {@code BufferPool}, and whoever is done with it (the agent's STUN reader, the
 * media worker) gives it back. Recycling them keeps the receive path free of per-packet arrays; the pool holds as
 * many as the {@link MediaWorker} queues, and some for STUN.
 */
final class PushedBuffers {
    /** Datagrams up to this size (every media packet of a 1,500-byte MTU) go in recycled buffers. */
    static final int SIZE = 1500;
    private static final ArrayBlockingQueue<Buffer> FREE = new ArrayBlockingQueue<>(MediaWorker.CAPACITY + 256);

    private PushedBuffers() {
    }

    /** A buffer of at least {@code size} bytes, offset 0 and length {@code size}: recycled when it fits. */
    static Buffer take(int size) {
        if (size <= SIZE) {
            Buffer recycled = FREE.poll();
            if (recycled != null) {
                recycled.setOffset(0);
                recycled.setLength(size);
                return recycled;
            }
            return new Buffer(new byte[SIZE], 0, size);
        }
        return new Buffer(new byte[size], 0, size);
    }

    static void install() {
        BufferPool.getBuffer = PushedBuffers::take;
        BufferPool.returnBuffer = buffer -> {
            if (buffer.getBuffer().length == SIZE) {
                buffer.setRemoteAddress(null);
                buffer.setLocalAddress(null);
                buffer.setReceivedTime(null);
                FREE.offer(buffer);
            }
            return Unit.INSTANCE;
        };
    }
}
