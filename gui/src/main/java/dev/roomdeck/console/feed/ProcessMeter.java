package dev.roomdeck.console.feed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples this process's CPU and memory; the server runs in this process, so these are the server's too. */
public final class ProcessMeter {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final com.sun.management.OperatingSystemMXBean os;

    public ProcessMeter() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    public ProcessLoad sample() {
        Runtime rt = Runtime.getRuntime();
        double cpu = os == null ? -1 : os.getProcessCpuLoad();
        return new ProcessLoad(cpu < 0 ? -1 : cpu * 100, rt.availableProcessors(), rt.totalMemory() - rt.freeMemory(),
                rt.maxMemory(), residentBytes());
    }

    /** VmRSS from /proc/self/status (Linux); -1 elsewhere. */
    static long residentBytes() {
        if (!Files.isReadable(STATUS)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
