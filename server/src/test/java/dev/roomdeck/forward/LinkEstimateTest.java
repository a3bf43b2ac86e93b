package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A subscriber's link budget, tick by tick (0.5 s), from the REMB and receiver reports its browser sends: what
 * counts as a full link, and how the budget comes back.
 */
class LinkEstimateTest {
    private static final long TICK = 500_000_000L;
    private final LinkEstimate link = new LinkEstimate();
    private long now = 1_000_000_000_000L;

    private long tick(long sendingBps) {
        now += TICK;
        return link.budget(sendingBps, now);
    }

    @Test
    void aBrowserEstimateThatClimbsFromItsStartIsNoCongestion() {
        for (long remb = 300_000; remb < 2_000_000; remb += 100_000) {
            link.remb(remb, now);
            assertThat(tick(2_000_000)).as("climbing at " + remb).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void anEstimateThatFallsBelowWhatWeSendForTwoSecondsBecomesTheBudget() {
        link.remb(2_000_000, now);
        tick(1_500_000);
        link.remb(900_000, now); // the browser saw its queue grow
        assertThat(tick(1_500_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(tick(1_500_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(tick(1_500_000)).as("a busy moment is not a full link").isEqualTo(Long.MAX_VALUE);
        assertThat(tick(1_500_000)).as("2 s of it").isEqualTo(900_000);
    }

    @Test
    void lossInTwoReportsRunningCutsTheBudgetByHalfTheLoss() {
        link.loss(0.3, now);
        assertThat(tick(1_000_000)).isEqualTo(Long.MAX_VALUE);
        link.loss(0.3, now);
        assertThat(tick(1_000_000)).isEqualTo(850_000);
        link.loss(0.05, now);
        assertThat(tick(800_000)).as("a few lost packets are no full link").isEqualTo(850_000);
    }

    @Test
    void afterAHoldTheBudgetGrowsBackUpToALittleAboveTheEstimate() {
        link.loss(0.3, now);
        tick(1_000_000);
        link.loss(0.3, now);
        long cut = tick(1_000_000);
        link.loss(0, now);
        for (int i = 0; i < 39; i++) { // 19.5 s: the first hold is 20 s
            link.remb(1_000_000, now);
            assertThat(tick(600_000)).isEqualTo(cut);
        }
        long grown = cut;
        for (int i = 0; i < 20; i++) {
            link.remb(1_000_000, now);
            grown = tick(600_000);
        }
        assertThat(grown).isEqualTo(1_150_000);
    }

    @Test
    void aStepUpThatEndsInCongestionDoublesTheHold() {
        link.loss(0.3, now);
        tick(1_000_000);
        link.loss(0.3, now);
        tick(1_000_000); // hold 20 s
        link.loss(0, now);
        for (int i = 0; i < 41; i++) {
            link.remb(1_000_000, now);
            tick(600_000);
        }
        link.steppedUp(now);
        link.loss(0.3, now);
        tick(1_100_000);
        link.loss(0.3, now);
        long cut = tick(1_100_000); // failed: hold 40 s
        link.loss(0, now);
        for (int i = 0; i < 79; i++) {
            link.remb(1_000_000, now);
            assertThat(tick(600_000)).as("held at " + i).isEqualTo(cut);
        }
        link.remb(1_000_000, now);
        assertThat(tick(600_000)).isGreaterThan(cut);
    }
}
