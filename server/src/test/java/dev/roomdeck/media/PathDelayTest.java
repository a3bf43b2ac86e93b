package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The media worker's delay histogram: each delay lands in the first bucket whose bound holds it. */
class PathDelayTest {
    @Test
    void delaysLandInTheirBucketsAndAddUp() {
        PathDelay delay = new PathDelay();
        delay.record(30_000);        // 30 µs: first bucket (≤ 50)
        delay.record(50_000);        // 50 µs: still the first (bounds are inclusive)
        delay.record(51_000);        // 51 µs: second (≤ 100)
        delay.record(3_000_000);     // 3 ms: ≤ 5,000
        delay.record(2_000_000_000); // 2 s: above every bound
        PathDelay.Snapshot s = delay.snapshot();
        long[] counts = s.counts();
        assertThat(counts).hasSize(PathDelay.BOUNDS_MICROS.length + 1);
        assertThat(counts[0]).isEqualTo(2);
        assertThat(counts[1]).isEqualTo(1);
        assertThat(counts[indexOf(5_000)]).isEqualTo(1);
        assertThat(counts[counts.length - 1]).isEqualTo(1);
        assertThat(s.sumNanos()).isEqualTo(30_000 + 50_000 + 51_000 + 3_000_000 + 2_000_000_000L);
    }

    @Test
    void theWorkerRecordsEveryDatagramItProcesses() throws Exception {
        MediaWorker worker = new MediaWorker("media-worker-test", new PacketCounters(null));
        try {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                assertThat(worker.hand((buffer, arrival) -> done.countDown(), PushedBuffers.take(100))).isTrue();
            }
            assertThat(done.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long recorded = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                recorded = java.util.Arrays.stream(worker.delay().snapshot().counts()).sum();
                if (recorded == 100) {
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(recorded).isEqualTo(100);
        } finally {
            worker.close();
        }
    }

    private static int indexOf(long bound) {
        for (int i = 0; i < PathDelay.BOUNDS_MICROS.length; i++) {
            if (PathDelay.BOUNDS_MICROS[i] == bound) {
                return i;
            }
        }
        throw new AssertionError(bound);
    }
}
