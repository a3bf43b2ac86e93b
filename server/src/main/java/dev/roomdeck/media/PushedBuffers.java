package dev.roomdeck.media;

import java.util.concurrent.ArrayBlockingQueue;

import kotlin.Unit;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * ice4j's push API asks for a fresh {@link Buffer} for every datagram on the shared port and gives it back when it
 * (STUN) or we (media) are done with it. Recycling them keeps the receive path free of per-packet arrays; the
 * pool holds as many as the {@link MediaWorker} queues, and some for ice4j.
 */
final class PushedBuffers {
    /** ice4j's push reader never takes more than 1500 bytes from the socket. */
    static final int SIZE = 1500;
    private static final ArrayBlockingQueue<Buffer> FREE = new ArrayBlockingQueue<>(MediaWorker.CAPACITY + 256);

    private PushedBuffers() {
    }

    static void install() {
        BufferPool.getBuffer = size -> {
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
        };
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
