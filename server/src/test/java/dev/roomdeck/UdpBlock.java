package dev.roomdeck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roomdeck.browser.BrowserTests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network that drops UDP to or from one port, as office firewalls and some guest networks do, or as a device that
 * vanishes looks to the server: an nftables table in the test's own loopback-only network namespace (never the
 * machine's: it refuses to run unless only loopback is up). Removed again on close.
 */
public final class UdpBlock implements AutoCloseable {
    private static final Path NFT = Path.of("/usr/sbin/nft");
    private final String table;

    private UdpBlock(String table) {
        this.table = table;
    }

    /** Drops every UDP datagram to {@code port} on this namespace's interfaces (loopback included). */
    public static UdpBlock dropUdpTo(int port) {
        return block("dport", port);
    }

    /** Drops every UDP datagram sent from {@code port}: whoever owns it falls silent. */
    public static UdpBlock dropUdpFrom(int port) {
        return block("sport", port);
    }

    private static UdpBlock block(String match, int port) {
        assumeTrue(Files.isExecutable(NFT), "nftables (apt-get install nftables) is needed to block UDP");
        BrowserTests.assumeLoopbackOnly();
        String table = "roomdeck_udp_" + match + "_" + port;
        nft("add table inet " + table);
        nft("add chain inet " + table + " input { type filter hook input priority 0 ; policy accept ; }");
        nft("add rule inet " + table + " input udp " + match + " " + port + " counter drop");
        return new UdpBlock(table);
    }

    /** How many datagrams the rule dropped so far: proof the block was in the way. */
    public long dropped() {
        String listing = nft("list table inet " + table);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listing);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public void close() {
        nft("delete table inet " + table);
    }

    private static String nft(String command) {
        List<String> argv = new java.util.ArrayList<>(List.of(NFT.toString()));
        argv.addAll(List.of(command.split(" ")));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("nft " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("nft " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
