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
    void congestionWhileTheLayersStoodStillHoldsTheBudgetFiveSecondsThenItGrowsToALittleAboveTheEstimate() {
        long cut = congest(1_000_000);
        for (int i = 0; i < 2 * LinkEstimate.SHORT_HOLD_SECONDS - 1; i++) {
            link.remb(1_000_000, now);
            assertThat(tick(800_000)).as("held at tick " + i).isEqualTo(cut);
        }
        long grown = cut;
        for (int i = 0; i < 20; i++) {
            link.remb(1_000_000, now);
            grown = tick(800_000);
        }
        assertThat(grown).as("the estimate is near what arrives: it bounds the budget").isEqualTo(1_150_000);
    }

    @Test
    void anEstimateFarAboveWhatWeSendSetsNoCeiling() {
        long cut = congest(1_000_000);
        long grown = cut;
        for (int i = 0; i < 30; i++) {
            link.remb(450_000, now); // 1.5 times the 300 kbit/s that arrives: all a browser ever says
            grown = tick(300_000);
        }
        assertThat(grown).as("grown past the estimate, so a larger layer gets tried").isGreaterThan(2 * 450_000);
    }

    @Test
    void aStepUpThatEndsInCongestionHoldsTwentySecondsThenDoublesTheHold() {
        congest(1_000_000);
        long cut = 0;
        for (long hold : new long[] {20, 40, 80}) {
            for (int i = 0; i < 2 * LinkEstimate.SHORT_HOLD_SECONDS + 1; i++) {
                link.remb(1_000_000, now);
                tick(800_000);
            }
            link.steppedUp(now);
            cut = congest(1_100_000);
            for (int i = 0; i < 2 * hold - 1; i++) {
                link.remb(1_000_000, now);
                assertThat(tick(800_000)).as("held " + hold + " s, at tick " + i).isEqualTo(cut);
            }
            link.remb(1_000_000, now);
            assertThat(tick(800_000)).as("grows after " + hold + " s").isGreaterThan(cut);
        }
    }

    /** Two lossy receiver reports running while we send {@code sendingBps}: the budget they leave. */
    private long congest(long sendingBps) {
        link.loss(0.3, now);
        tick(sendingBps);
        link.loss(0.3, now);
        long cut = tick(sendingBps);
        link.loss(0, now);
        assertThat(cut).isLessThan(sendingBps);
        return cut;
    }
}
