package dev.roomdeck.socketio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real socket.io-client from npm (2.5.0 or 4.8.1) in a Node process, run by server/src/test/node/client.js:
 * commands go to its stdin, and everything it sees comes back as JSON lines kept in an inbox the test waits on.
 */
final class NodeClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The two client generations: RTCEngine's SDKs (Engine.IO 3) and current ones (Engine.IO 4). */
    enum Flavour {
        SIO2, SIO4;

        String module() {
            return name().toLowerCase();
        }
    }

    private final Process process;
    private final Writer stdin;
    private final Path stderr;
    private final List<JsonNode> inbox = new ArrayList<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private int acks;

    private NodeClient(Process process, Path stderr) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stderr = stderr;
        Thread reader = new Thread(this::read, "node-client-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The npm project with the clients, from the module folder (Maven) or the repository root (an IDE). */
    static Path project() {
        for (Path p : List.of(Path.of("src/test/node"), Path.of("server/src/test/node"))) {
            if (Files.isRegularFile(p.resolve("client.js"))) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("server/src/test/node not found from " + Path.of("").toAbsolutePath());
    }

    /** Skips the calling test when Node or the installed clients are missing (.ci/test installs them). */
    static void assumeAvailable() {
        Path modules = project().resolve("node_modules");
        assumeTrue(Files.isDirectory(modules.resolve("sio2")) && Files.isDirectory(modules.resolve("sio4")),
                "socket.io clients not installed: run npm ci in server/src/test/node");
        boolean node;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            node = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            node = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node = false;
        }
        assumeTrue(node, "node is not installed");
    }

    /** Starts a client connecting to the server's base URL; flags as client.js takes them (--token=...). */
    static NodeClient start(Flavour flavour, URI server, String... flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", "client.js", flavour.module(), server.toString()));
        cmd.addAll(List.of(flags));
        Path err = Files.createTempFile("node-client", ".err");
        Process p = new ProcessBuilder(cmd).directory(project().toFile())
                .redirectError(err.toFile()).start();
        return new NodeClient(p, err);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    n = JSON.createObjectNode().put("unparseable", line);
                }
                synchronized (inbox) {
                    inbox.add(n);
                    seen.add(n);
                    inbox.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            synchronized (inbox) {
                inbox.notifyAll();
            }
        }
    }

    /** Emits an event without acknowledgement. */
    void emit(String event, JsonNode data) throws IOException {
        command(JSON.createObjectNode().put("emit", event).set("data", data));
    }

    /** Emits an event with an acknowledgement callback; returns the number its ack line will carry. */
    int emitWithAck(String event, JsonNode data) throws IOException {
        ObjectNode c = JSON.createObjectNode().put("emit", event).put("ack", true);
        c.set("data", data);
        command(c);
        return ++acks;
    }

    /** Emits an event whose data holds three bytes (a binary attachment), with an acknowledgement callback. */
    int emitBinaryWithAck(String event) throws IOException {
        command(JSON.createObjectNode().put("emit", event).put("binary", true).put("ack", true));
        return ++acks;
    }

    /** socket.disconnect(). */
    void disconnect() throws IOException {
        command(JSON.createObjectNode().put("disconnect", true));
    }

    private void command(JsonNode c) throws IOException {
        stdin.write(c.toString() + "\n");
        stdin.flush();
    }

    JsonNode awaitConnected() throws InterruptedException {
        return await(n -> n.has("connected"), "connect");
    }

    /** The data of the next received event of this name. */
    JsonNode awaitEvent(String name) throws InterruptedException {
        return await(n -> name.equals(n.path("event").asText(null)), "the event '" + name + "'").get("data");
    }

    /** The arguments the server acknowledged this emit with. */
    JsonNode awaitAck(int n) throws InterruptedException {
        return await(l -> l.path("ack").asInt(-1) == n, "ack " + n).get("args");
    }

    JsonNode await(Predicate<JsonNode> match, String what) throws InterruptedException {
        return await(match, Duration.ofSeconds(10), what);
    }

    /** Waits for a line matching the predicate and takes it out of the inbox. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            while (true) {
                for (Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
                    JsonNode n = it.next();
                    if (match.test(n)) {
                        it.remove();
                        return n;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; the client saw " + seen
                            + "; its stderr: " + stderrText());
                }
                TimeUnit.NANOSECONDS.timedWait(inbox, left);
            }
        }
    }

    /** True if a matching line arrives within the time (it stays in the inbox). */
    boolean seesWithin(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            while (true) {
                if (inbox.stream().anyMatch(match)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(inbox, left);
            }
        }
    }

    /** Every line the client printed so far, taken or not. */
    List<JsonNode> seen() {
        synchronized (inbox) {
            return List.copyOf(seen);
        }
    }

    private String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close(); // client.js disconnects and exits when its stdin ends
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(stderr);
    }
}
