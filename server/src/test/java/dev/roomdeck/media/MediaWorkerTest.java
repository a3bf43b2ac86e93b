package dev.roomdeck.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.ice4j.util.Buffer;
import org.junit.jupiter.api.Test;

/** The media worker runs the packet path off the shared port's reader thread, in order, bounded. */
class MediaWorkerTest {

    private static Buffer datagram(int n) {
        return new Buffer(new byte[] {(byte) n}, 0, 1);
    }

    @Test
    void runsEachReceiversDatagramsInArrivalOrderOnItsOwnThread() throws Exception {
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(200);
        try (MediaWorker worker = new MediaWorker("media-worker-test", new PacketCounters(null))) {
            MediaWorker.Receiver ra = (buf, arrival) -> {
                a.add((int) buf.getBuffer()[0]);
                threads.add(Thread.currentThread().getName());
                done.countDown();
            };
            MediaWorker.Receiver rb = (buf, arrival) -> {
                b.add((int) buf.getBuffer()[0]);
                done.countDown();
            };
            for (int i = 0; i < 100; i++) {
                assertTrue(worker.hand(ra, datagram(i)));
                assertTrue(worker.hand(rb, datagram(i)));
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, a);
        assertEquals(expected, b);
        assertTrue(threads.stream().allMatch("media-worker-test"::equals), threads.toString());
    }

    @Test
    void aFullQueueRefusesTheNewestAndKeepsWhatWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        List<Integer> seen = new ArrayList<>();
        MediaWorker worker = new MediaWorker("media-worker-test", new PacketCounters(null));
        try {
            MediaWorker.Receiver stuck = (buf, arrival) -> {
                first.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add((int) buf.getBuffer()[0]);
            };
            assertTrue(worker.hand(stuck, datagram(-1)));
            assertTrue(first.await(5, TimeUnit.SECONDS)); // the worker holds -1; the ring is empty again
            for (int i = 0; i < MediaWorker.CAPACITY; i++) {
                assertTrue(worker.hand(stuck, datagram(i % 100)), "slot " + i);
            }
            assertFalse(worker.hand(stuck, datagram(7)), "a full ring must refuse");
            assertEquals(MediaWorker.CAPACITY, worker.deepestBacklog());
            release.countDown();
        } finally {
            worker.close(); // drains what waits, then stops
        }
        assertEquals(MediaWorker.CAPACITY + 1, seen.size());
        assertEquals(-1, seen.get(0));
        assertEquals((MediaWorker.CAPACITY - 1) % 100, seen.get(seen.size() - 1));
    }

    @Test
    void aFailingReceiverIsCountedAndTheNextDatagramStillRuns() throws Exception {
        PacketCounters counters = new PacketCounters(null);
        CountDownLatch after = new CountDownLatch(1);
        try (MediaWorker worker = new MediaWorker("media-worker-test", counters)) {
            worker.hand((buf, arrival) -> {
                throw new IllegalStateException("boom");
            }, datagram(1));
            worker.hand((buf, arrival) -> after.countDown(), datagram(2));
            assertTrue(after.await(5, TimeUnit.SECONDS));
        }
        assertEquals(1L, counters.snapshot().drops(DropReason.RECEIVER_ERROR));
    }

    @Test
    void closedWorkerRefuses() {
        MediaWorker worker = new MediaWorker("media-worker-test", new PacketCounters(null));
        worker.close();
        assertFalse(worker.hand((buf, arrival) -> { }, datagram(1)));
    }
}
