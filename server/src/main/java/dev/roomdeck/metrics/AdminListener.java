package dev.roomdeck.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The admin listener: plain HTTP on its own address and port, apart from the LAN's web and signalling ports, that
 * serves {@code /metrics} in the Prometheus text format (the Prometheus client's own HTTP server on the JDK's). Bound
 * to 127.0.0.1 unless the operator names another address, so the meeting's figures stay on this PC.
 */
public final class AdminListener implements AutoCloseable {
    private final HTTPServer server;
    private final ExecutorService pool;

    private AdminListener(HTTPServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /**
     * @param bind the address to listen on
     * @param port 0 picks a free one
     * @throws UncheckedIOException when it cannot be bound
     */
    public static AdminListener start(InetAddress bind, int port, PrometheusRegistry registry) {
        // Two daemon threads: scrapes are rare and small, and an open listener must not keep the JVM alive.
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-listener");
            t.setDaemon(true);
            return t;
        });
        try {
            HTTPServer server = HTTPServer.builder().inetAddress(bind).port(port).registry(registry)
                    .executorService(pool).buildAndStart();
            return new AdminListener(server, pool);
        } catch (IOException e) {
            pool.shutdownNow();
            throw new UncheckedIOException("cannot listen for /metrics on " + bind.getHostAddress() + ":" + port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
        pool.shutdownNow();
    }
}
