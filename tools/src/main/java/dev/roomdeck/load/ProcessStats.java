package dev.roomdeck.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (Linux). */
final class ProcessStats {
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux we meet. */
    static final long TICKS_PER_SECOND = Long.getLong("load.clk.tck", 100);

    private ProcessStats() {
    }

    /** utime + stime of the process (all threads) in seconds; NaN if unreadable. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** stime alone (time in the kernel: system calls, and on loopback the receiver's half of every send). */
    static double systemSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]) / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmRSS in MiB; NaN if unreadable. */
    static double rssMiB(long pid) {
        return statusKiB(pid, "VmRSS:") / 1024.0;
    }

    static double threads(long pid) {
        return statusKiB(pid, "Threads:");
    }

    private static double statusKiB(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Double.parseDouble(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return Double.NaN;
    }

    static long self() {
        return ProcessHandle.current().pid();
    }

    /**
     * A JVM's garbage collections so far, from {@code jstat -gc} (the JDK beside this one): young collections, their
     * total pause in seconds, full collections, their total pause. Null when the process is no JVM (Janus) or jstat
     * cannot read it.
     */
    static GcCount gc(long pid) {
        Path jstat = ProcessHandle.current().info().command().map(Path::of).map(j -> j.resolveSibling("jstat")).orElse(null);
        if (jstat == null || !Files.isExecutable(jstat)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true).start();
            java.util.List<String> lines;
            try (var reader = p.inputReader()) {
                lines = reader.lines().toList();
            }
            if (p.waitFor() != 0 || lines.size() < 2) {
                return null;
            }
            java.util.List<String> names = java.util.List.of(lines.get(0).trim().split("\\s+"));
            String[] values = lines.get(1).trim().split("\\s+");
            return new GcCount(Long.parseLong(values[names.indexOf("YGC")]), Double.parseDouble(values[names.indexOf("YGCT")]),
                    Long.parseLong(values[names.indexOf("FGC")]), Double.parseDouble(values[names.indexOf("FGCT")]));
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Collections and their pause time (seconds) since the JVM started, or between two readings. */
    record GcCount(long young, double youngSeconds, long full, double fullSeconds) {
        GcCount since(GcCount before) {
            return new GcCount(young - before.young, youngSeconds - before.youngSeconds, full - before.full,
                    fullSeconds - before.fullSeconds);
        }
    }
}
