package dev.roomdeck.load;

import dev.roomdeck.media.PacketReceiver;
import dev.roomdeck.media.ClientTransport;
import dev.roomdeck.media.TransportState;
import dev.roomdeck.rtp.Fir;
import dev.roomdeck.rtp.Rtcp;
import dev.roomdeck.rtp.RtcpIterator;
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
    private final RtcpIterator rtcp = new RtcpIterator();
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
            tally.otherStream.increment(); // e.g. another simulcast layer than the one asked for
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
            tally.windowBytes.add(len);
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        // Keyframe requests make the source's next frame a keyframe (a simulcast switch waits for one); receiver
        // reports, REMB and NACK are not part of the figures.
        if (sources.isEmpty()) {
            return;
        }
        rtcp.reset(buf, off, len);
        while (rtcp.next()) {
            if (rtcp.isPli()) {
                keyframeWanted(Rtcp.mediaSsrc(buf, rtcp.offset()));
            } else if (rtcp.isFir()) {
                for (int i = 0; i < Fir.entryCount(rtcp.contentLength()); i++) {
                    keyframeWanted(Fir.entrySsrc(buf, rtcp.offset(), i));
                }
            }
        }
    }

    private void keyframeWanted(int ssrc) {
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            if ((int) s.ssrc == ssrc) {
                s.keyframeWanted = true;
            }
        }
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
