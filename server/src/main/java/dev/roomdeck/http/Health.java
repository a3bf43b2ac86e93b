package dev.roomdeck.http;

/** What GET /health reports. */
public record Health(String status, int rooms, int peers, long uptimeSeconds, int mediaPort) {
}
