package dev.roomdeck.protocol;

/** Data of leave (server → client, extension): why the server is about to close the session. */
public record LeaveData(String reason, String message) {
}
