package dev.roomdeck.media;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A PacketReceiver that keeps copies of what arrives, for tests to take in order. */
final class Recorder implements PacketReceiver {
    final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        rtp.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        rtcp.add(Arrays.copyOfRange(buf, off, off + len));
    }

    byte[] nextRtp() throws InterruptedException {
        return rtp.poll(5, TimeUnit.SECONDS);
    }

    byte[] nextRtcp() throws InterruptedException {
        return rtcp.poll(5, TimeUnit.SECONDS);
    }
}
