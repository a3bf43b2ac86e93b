package dev.roomdeck.load;

import dev.roomdeck.media.PacketReceiver;
import dev.roomdeck.media.ClientTransport;
import dev.roomdeck.media.TransportState;
import dev.roomdeck.rtp.RtpPacket;
import java.time.Duration;
import java.util.List;

/**
 * One peer connection of the generator: its transport, the streams it should receive, and what it publishes.
 * The receive path reads the stamp in place (no copy, no allocation) on the transport's thread.
 */
final class LoadPeer implements PacketReceiver {
    final String name;
    final ClientTransport transport;
    final ReceivedStream[] inbound;
    final List<Source> sources;
    private final LoadCounters tally;
    private final RtpPacket view = new RtpPacket();
    private volatile AutoCloseable signalling;

    LoadPeer(String name, ClientTransport transport, int[] receives, List<Source> sources, LoadCounters tally) {
        this.name = name;
        this.transport = transport;
        this.inbound = new ReceivedStream[receives.length];
        for (int i = 0; i < receives.length; i++) {
            inbound[i] = new ReceivedStream(receives[i]);
        }
        this.sources = sources;
        this.tally = tally;
    }

    void signalling(AutoCloseable s) {
        signalling = s;
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        long now = System.nanoTime();
        if (!view.wrap(buf, off, len)) {
            return;
        }
        int payload = view.payloadOffset();
        if (!Stamp.present(buf, payload, view.payloadLength())) {
            tally.unstamped.increment(); // e.g. RTX or padding probes
            return;
        }
        int stream = Stamp.stream(buf, payload);
        ReceivedStream in = null;
        for (ReceivedStream i : inbound) {
            if (i.stream == stream) {
                in = i;
                break;
            }
        }
        if (in == null) {
            tally.unstamped.increment();
            return;
        }
        int window = Stamp.window(buf, payload);
        int counting = tally.countWindow;
        in.received(view.ssrc(), view.sequenceNumber(), window, counting);
        tally.receivedTotal.increment();
        long micros = (now - Stamp.sentNanos(buf, payload)) / 1000;
        tally.intervalDelays.record(micros);
        if (window != 0 && window == counting) {
            tally.windowDelays.record(micros);
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        // Receiver reports, REMB, NACK, PLI from the server: not part of the figures.
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (transport.state() != TransportState.READY) {
            if (transport.state().isFinal() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": transport is " + transport.state()
                        + (transport.failureReason() == null ? "" : " (" + transport.failureReason() + ")")
                        + ", not READY");
            }
            Thread.sleep(5);
        }
    }

    void close() {
        transport.close();
        AutoCloseable s = signalling;
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
