package dev.roomdeck.http;

/** What GET /health reports (httpsPort: where LAN browsers and monitors reach the server over TLS). */
public record Health(String status, int rooms, int peers, long uptimeSeconds, int mediaPort, int httpsPort) {
}
