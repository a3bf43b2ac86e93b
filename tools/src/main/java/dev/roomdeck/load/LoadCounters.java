package dev.roomdeck.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The generator's books. The sender stamps packets with the measurement window it is in (0 = none) and counts
 * what it sent per stream in that window; receivers count what they got of that window per stream and record
 * its delay. Loss of a window is then exact: every receiver should have got every packet its streams sent in it.
 */
final class LoadCounters {
    final int streams;
    /** Packets sent in the current window, per stream index (written by the sender thread only). */
    final AtomicLongArray sentInWindow;
    final LongAdder sentTotal = new LongAdder();
    final LongAdder receivedTotal = new LongAdder();
    final LongAdder unstamped = new LongAdder();
    /** Stamped packets of a stream the peer did not ask for (another simulcast layer, before a switch). */
    final LongAdder otherStream = new LongAdder();
    /** RTP bytes (header included, SRTP removed) received in the current window, over all peers. */
    final LongAdder windowBytes = new LongAdder();
    final DelayHistogram windowDelays = new DelayHistogram();
    final DelayHistogram intervalDelays = new DelayHistogram();
    final List<LoadPeer> peers = new CopyOnWriteArrayList<>();
    /** The window the sender stamps into packets now; 0 outside windows. */
    volatile int stampWindow;
    /** The window receivers count for (stays set while the last packets of a window drain). */
    volatile int countWindow;

    LoadCounters(int streams) {
        this.streams = streams;
        this.sentInWindow = new AtomicLongArray(streams);
    }

    /** Clears the window books and starts stamping window {@code w} (1..255). */
    void openWindow(int w) {
        for (int i = 0; i < streams; i++) {
            sentInWindow.set(i, 0);
        }
        windowDelays.snapshot(true);
        windowBytes.reset();
        countWindow = w;
        stampWindow = w;
    }

    /** Stops stamping; receivers keep counting the window's packets still in flight. */
    void closeWindow() {
        stampWindow = 0;
    }

    /** What the window delivered, over every receiving stream of every peer now connected. */
    WindowResult result(int w) {
        long expected = 0;
        long received = 0;
        double worst = 0;
        int receivingStreams = 0;
        int silentStreams = 0;
        for (LoadPeer p : peers) {
            for (ReceivedStream in : p.inbound) {
                long sent = sentInWindow.get(in.stream);
                long got = in.windowReceived(w);
                expected += sent;
                received += got;
                receivingStreams++;
                if (got == 0 && sent > 0) {
                    if (silentStreams++ < 5) {
                        System.err.println("silent: " + p.name + " stream " + in.stream + " (" + in.packets
                                + " packets before) " + p.transport.counters());
                    }
                }
                if (sent > 0) {
                    worst = Math.max(worst, 1.0 - (double) got / sent);
                }
            }
        }
        long[] delays = windowDelays.snapshot(false);
        return new WindowResult(expected, received, receivingStreams, silentStreams, worst,
                DelayHistogram.quantile(delays, 0.5), DelayHistogram.quantile(delays, 0.99),
                DelayHistogram.quantile(delays, 0.999), DelayHistogram.max(delays));
    }

    /** Counts of one measurement window. Delays in µs. */
    record WindowResult(long expected, long received, int receivingStreams, int silentStreams, double worstStreamLoss,
                        long p50, long p99, long p999, long max) {
        double loss() {
            return expected == 0 ? 0 : Math.max(0, 1.0 - (double) received / expected);
        }
    }
}
