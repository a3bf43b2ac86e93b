package dev.roomdeck.signal;

/** A token bucket per connection: a steady rate with a burst of twice the rate. Used by one thread at a time. */
final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, long nowNanos) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = perSecond * 2.0;
        this.tokens = burst;
        this.last = nowNanos;
    }

    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
