package dev.roomdeck.media;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;

/** Two DatagramTransports wired to each other in memory: DTLS handshakes without sockets. */
final class MemoryDatagrams {
    final DatagramTransport left;
    final DatagramTransport right;

    MemoryDatagrams() {
        BlockingQueue<byte[]> toLeft = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> toRight = new LinkedBlockingQueue<>();
        left = new End(toLeft, toRight);
        right = new End(toRight, toLeft);
    }

    private record End(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out) implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws java.io.IOException {
            try {
                byte[] d = in.poll(waitMillis == 0 ? 60_000 : waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                int n = Math.min(len, d.length);
                System.arraycopy(d, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            out.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void close() {
        }
    }
}
