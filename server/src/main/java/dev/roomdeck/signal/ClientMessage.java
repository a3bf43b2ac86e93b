package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;

/** A decoded client message: its type, its data object and the optional request id to echo. */
public record ClientMessage(String type, JsonNode data, JsonNode id) {
}
