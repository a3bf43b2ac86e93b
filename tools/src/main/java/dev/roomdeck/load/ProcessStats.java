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
}
