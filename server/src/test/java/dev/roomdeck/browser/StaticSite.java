package dev.roomdeck.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A throwaway HTTP server on 127.0.0.1 that serves a folder (the web client) and, optionally, extra in-memory
 * pages for tests. No signalling: it lets a browser load and exercise the page without the RoomDeck server.
 */
public final class StaticSite implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "json", "application/json",
            "png", "image/png", "ico", "image/x-icon");

    private final HttpServer server;
    private final Path root;
    private final Map<String, String> extraPages;

    private StaticSite(Path root, Map<String, String> extraPages) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.extraPages = Map.copyOf(extraPages);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Serves {@code root} at {@code /}; {@code extraPages} maps absolute paths to content served beside it. */
    public static StaticSite serve(Path root, Map<String, String> extraPages) {
        try {
            return new StaticSite(root, extraPages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type;
            if (extraPages.containsKey(path)) {
                body = extraPages.get(path).getBytes(StandardCharsets.UTF_8);
                type = typeOf(path);
            } else {
                Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                body = Files.readAllBytes(file);
                type = typeOf(file.getFileName().toString());
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        return TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1), "application/octet-stream");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
