package dev.roomdeck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roomdeck.browser.BrowserTests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network interface of the test's own, with one IPv4 address, inside the loopback-only network namespace the
 * tests run in (it refuses to run anywhere else): what a PC's LAN address looks like to the server, reachable only
 * from inside the namespace. A dummy interface, or, where the kernel has no dummy driver, one end of a veth pair
 * (both ends up, so that it has a carrier). Removed on close: every browser test assumes only loopback is up.
 */
public final class TestInterface implements AutoCloseable {
    private static final Path IP = Path.of("/usr/sbin/ip");
    private final String device;
    private boolean present = true;

    private TestInterface(String device) {
        this.device = device;
    }

    /** Makes {@code device} with {@code address}/24, up. Skips the test without iproute2 or permission. */
    public static TestInterface add(String device, String address) {
        assumeTrue(Files.isExecutable(IP), "needs " + IP + " (iproute2) to make a test interface");
        BrowserTests.assumeLoopbackOnly();
        Result dummy = run("link", "add", device, "type", "dummy");
        if (dummy.code() != 0 && dummy.output().contains("Unknown device type")) {
            Result veth = run("link", "add", device, "type", "veth", "peer", "name", device + "p");
            assumeTrue(veth.code() == 0, () -> "cannot make a test interface: " + veth.output());
            ip("link", "set", device + "p", "up");
        } else {
            assumeTrue(dummy.code() == 0, () -> "cannot make a test interface: " + dummy.output());
        }
        TestInterface made = new TestInterface(device);
        try {
            ip("addr", "add", address + "/24", "dev", device);
            ip("link", "set", device, "up");
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
        return made;
    }

    /** Takes the interface (and its address) away; a veth pair goes as a whole. Idempotent. */
    @Override
    public void close() {
        if (present) {
            present = false;
            ip("link", "del", device);
        }
    }

    private record Result(int code, String output) {
    }

    private static void ip(String... args) {
        Result r = run(args);
        if (r.code() != 0) {
            throw new IllegalStateException("ip " + String.join(" ", args) + " failed: " + r.output());
        }
    }

    private static Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of(IP.toString()));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out.trim());
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
