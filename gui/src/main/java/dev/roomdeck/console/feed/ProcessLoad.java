package dev.roomdeck.console.feed;

/**
 * This process's load at one instant: CPU as a percentage of the whole machine (all cores; -1 when the JVM
 * cannot tell), heap in use, and resident memory (-1 where /proc is missing).
 */
public record ProcessLoad(double cpuPercent, int cores, long heapUsedBytes, long heapMaxBytes, long residentBytes) {
    public static final ProcessLoad UNKNOWN = new ProcessLoad(-1, Runtime.getRuntime().availableProcessors(), -1, -1, -1);
}
