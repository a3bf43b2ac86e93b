package dev.roomdeck.forward;

/**
 * How much video one subscriber's link carries: the budget its simulcast layers are chosen within. Two signals
 * from the subscriber's browser say the link is full, as in Google congestion control's two halves:
 * <ul>
 * <li><b>delay</b>: its REMB (the receive-side estimate) falls below what we send. The estimate starts low
 * (~300 kbit/s) and climbs for many seconds, and never goes above ~1.5 times what arrives, so a low estimate alone
 * is no sign of trouble: only one that fell (the browser saw queues grow and cut it) and stays below what we send
 * for 2 s counts;</li>
 * <li><b>loss</b>: its receiver reports say more than 10 % of what we send is lost, in two reports running (a full
 * drop-tail queue keeps the delay flat, so only loss shows it). The budget becomes what we send less half the
 * loss, as GCC's loss-based controller does.</li>
 * </ul>
 * Otherwise, once a hold after the last congestion is over, the budget grows by {@value #GROWTH_PER_TICK} per tick up
 * to a little above the estimate, so that a link that was only briefly full gets the larger layers back. An estimate
 * at 1.4 times what we send or more sets no ceiling: the browser never estimates much above what arrives, so such an
 * estimate says the link is not the limit, and only sending more finds how much more it carries. Congestion that
 * comes while the layers stood still (a busy moment, a link that got slower) holds the budget
 * {@value #SHORT_HOLD_SECONDS} s; a step up that ends in congestion soon after holds it for longer, doubled at each
 * failure (20 s, 40 s, ... 2 min): a link that cannot carry the next layer settles below it instead of trying every
 * few seconds.
 *
 * <p>Threads: REMB and receiver reports arrive on the packet path, the budget is taken on the timer: all synchronize
 * on this.
 */
final class LinkEstimate {
    static final double GROWTH_PER_TICK = 1.05;
    /** The budget grows up to this share above the browser's estimate (which stays near what arrives). */
    private static final double ABOVE_ESTIMATE = 1.15;
    /** Below this share of what we send, a fallen estimate means congestion. */
    private static final double CONGESTED = 0.85;
    /** A REMB this much below the one before is the browser reacting to a growing queue. */
    private static final double FELL = 0.95;
    private static final long RECENT_FALL_NANOS = 3_000_000_000L;
    /** Reported loss above this share is a full link's, not a stray packet's (GCC's threshold). */
    private static final double LOSSY = 0.10;
    private static final long RECENT_LOSS_NANOS = 2_000_000_000L;
    /** An estimate older than this is no longer believed (the browser sends REMB at least every second). */
    private static final long STALE_NANOS = 5_000_000_000L;
    /** Ticks (of 0.5 s) in a row each signal must last: a busy moment of either machine is not a full link. */
    private static final int DELAY_STRIKES = 4;
    private static final int LOSS_STRIKES = 2;
    /** Congestion this soon after a step up means the step failed. */
    private static final long STEP_UP_TRIAL_NANOS = 6_000_000_000L;
    private static final long FIRST_HOLD_NANOS = 20_000_000_000L;
    static final int SHORT_HOLD_SECONDS = 5;
    private static final long SHORT_HOLD_NANOS = SHORT_HOLD_SECONDS * 1_000_000_000L;
    /** An estimate this far above what we send is bounded by what arrives, not by the link. */
    private static final double UNBOUNDED = 1.4;
    private static final long MAX_HOLD_NANOS = 120_000_000_000L;

    private long rembBps = -1;
    private long rembNanos;
    private long lastFallNanos = Long.MIN_VALUE / 2;
    private double loss;
    private long lossNanos = Long.MIN_VALUE / 2;
    private int delayStrikes;
    private int lossStrikes;
    /** The budget; Long.MAX_VALUE while nothing limits it. */
    private long budgetBps = Long.MAX_VALUE;
    private long lastStepUpNanos = Long.MIN_VALUE / 2;
    private long holdUntilNanos = Long.MIN_VALUE / 2;
    private long holdNanos = FIRST_HOLD_NANOS;

    synchronized void remb(long bps, long now) {
        if (rembBps >= 0 && bps < rembBps * FELL) {
            lastFallNanos = now;
        }
        rembBps = bps;
        rembNanos = now;
    }

    /** A receiver report's fraction lost (0..1, the largest of its blocks) about what we send this peer. */
    synchronized void loss(double fraction, long now) {
        loss = fraction;
        lossNanos = now;
    }

    /** The last REMB in bits per second, -1 when none or stale. */
    synchronized long estimateBps(long now) {
        return rembBps >= 0 && now - rembNanos < STALE_NANOS ? rembBps : -1;
    }

    /** Called every tick with what we send this subscriber now: the video budget to allocate. */
    synchronized long budget(long sendingBps, long now) {
        long estimate = estimateBps(now);
        boolean delay = estimate >= 0 && now - lastFallNanos < RECENT_FALL_NANOS && estimate < sendingBps * CONGESTED;
        boolean lossy = now - lossNanos < RECENT_LOSS_NANOS && loss > LOSSY;
        delayStrikes = delay ? delayStrikes + 1 : 0;
        lossStrikes = lossy ? lossStrikes + 1 : 0;
        if (delayStrikes >= DELAY_STRIKES || lossStrikes >= LOSS_STRIKES) {
            long target = Long.MAX_VALUE;
            if (delayStrikes >= DELAY_STRIKES) {
                target = estimate;
            }
            if (lossStrikes >= LOSS_STRIKES) {
                target = Math.min(target, (long) (sendingBps * (1 - loss / 2)));
            }
            congestion(target, now);
        } else if (!delay && !lossy && budgetBps != Long.MAX_VALUE && now >= holdUntilNanos) {
            long grown = (long) (budgetBps * GROWTH_PER_TICK);
            long ceiling = estimate < 0 || estimate >= sendingBps * UNBOUNDED ? grown
                    : Math.max(budgetBps, (long) (estimate * ABOVE_ESTIMATE));
            budgetBps = Math.min(grown, ceiling);
        }
        return budgetBps;
    }

    private void congestion(long target, long now) {
        if (now - lastStepUpNanos < STEP_UP_TRIAL_NANOS) {
            holdUntilNanos = now + holdNanos;
            holdNanos = Math.min(MAX_HOLD_NANOS, holdNanos * 2);
            lastStepUpNanos = Long.MIN_VALUE / 2;
        } else {
            holdUntilNanos = now + SHORT_HOLD_NANOS;
        }
        budgetBps = Math.min(budgetBps, Math.max(0, target));
        delayStrikes = 0;
        lossStrikes = 0;
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
        if (now - lastStepUpNanos > 4 * STEP_UP_TRIAL_NANOS && now > holdUntilNanos + holdNanos) {
            holdNanos = FIRST_HOLD_NANOS;
        }
    }
}
