package dev.roomdeck.forward;

/**
 * How much video one subscriber's link carries, from the REMB its browser sends us (its receive-side estimate).
 *
 * <p>A receive-side estimate only ever reaches about 1.5 times what arrives, so it cannot say by itself that a
 * larger layer would fit; and it starts low (~300 kbps) and climbs, so a low estimate alone is no sign of
 * trouble. The budget therefore follows the estimate down when it falls (the browser saw queues build and cut
 * its estimate) below what we send, and otherwise grows on its own by {@value #GROWTH_PER_TICK}
 * per tick once a hold after the congestion is over, so that a link that was only briefly congested gets the
 * larger layers back. Growth that ends in congestion soon after (a failed step up) doubles the hold, up to a
 * minute: a link that cannot carry the next layer settles below it instead of trying every few seconds.
 *
 * <p>Threads: REMB arrives on the packet path, the budget is taken on the timer: both synchronize on this.
 */
final class LinkEstimate {
    static final double GROWTH_PER_TICK = 1.08;
    /** Below this share of what we send, the subscriber's estimate means congestion. */
    private static final double CONGESTED = 0.85;
    /** An estimate older than this is no longer believed (the browser sends REMB at least every second). */
    private static final long STALE_NANOS = 5_000_000_000L;
    /** A fall of the estimate counts this long. */
    private static final long RECENT_DROP_NANOS = 2_000_000_000L;
    /** Congestion must last this many ticks (2 s) before layers go down: a busy moment of either machine is not a link. */
    private static final int STRIKES = 4;
    /** Congestion this soon after a step up means the step failed. */
    private static final long STEP_UP_TRIAL_NANOS = 6_000_000_000L;
    private static final long FIRST_HOLD_NANOS = 8_000_000_000L;
    private static final long MAX_HOLD_NANOS = 64_000_000_000L;

    /** A REMB this much below the previous one is the browser reacting to overuse (it sends one at once then). */
    private static final double DROP = 0.95;

    private long rembBps = -1;
    /** When the estimate last fell: at the start it only rises (from ~300 kbps), which is no congestion. */
    private long lastDropNanos = Long.MIN_VALUE / 2;
    /** Ticks in a row that saw congestion: one alone may be a busy moment of the machine, not the link. */
    private int strikes;
    private long rembNanos;
    /** The budget; Long.MAX_VALUE while nothing limits it. */
    private long budgetBps = Long.MAX_VALUE;
    private long lastStepUpNanos = Long.MIN_VALUE / 2;
    private long holdUntilNanos = Long.MIN_VALUE / 2;
    private long holdNanos = FIRST_HOLD_NANOS;

    synchronized void remb(long bps, long now) {
        if (rembBps >= 0 && bps < rembBps * DROP) {
            lastDropNanos = now;
        }
        rembBps = bps;
        rembNanos = now;
    }

    /** The last REMB in bits per second, -1 when none or stale. */
    synchronized long estimateBps(long now) {
        return rembBps >= 0 && now - rembNanos < STALE_NANOS ? rembBps : -1;
    }

    /** Called every tick with what we send this subscriber now: the video budget to allocate. */
    synchronized long budget(long sendingBps, long now) {
        long estimate = estimateBps(now);
        if (estimate < 0) {
            return budgetBps;
        }
        boolean congested = now - lastDropNanos < RECENT_DROP_NANOS && estimate < sendingBps * CONGESTED;
        strikes = congested ? strikes + 1 : 0;
        if (strikes >= STRIKES) {
            holdUntilNanos = now + holdNanos;
            if (now - lastStepUpNanos < STEP_UP_TRIAL_NANOS) {
                holdNanos = Math.min(MAX_HOLD_NANOS, holdNanos * 2);
                lastStepUpNanos = Long.MIN_VALUE / 2;
            }
            budgetBps = estimate;
        } else if (!congested && budgetBps != Long.MAX_VALUE && now >= holdUntilNanos) {
            budgetBps = Math.max(budgetBps, (long) (budgetBps * GROWTH_PER_TICK));
            budgetBps = Math.max(budgetBps, estimate);
        }
        return budgetBps;
    }

    /** The budget as the last tick left it (a room change re-chooses within it). */
    synchronized long lastBudget() {
        return budgetBps;
    }

    /** The allocation moved a layer up because the budget allowed it: watch whether the link takes it. */
    synchronized void steppedUp(long now) {
        lastStepUpNanos = now;
    }

    /** A step up that held for a while: the next failure waits the shortest time again. */
    synchronized void settled(long now) {
        if (now - lastStepUpNanos > 4 * STEP_UP_TRIAL_NANOS && now > holdUntilNanos) {
            holdNanos = FIRST_HOLD_NANOS;
        }
    }
}
