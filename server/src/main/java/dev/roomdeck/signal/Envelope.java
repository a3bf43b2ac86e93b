package dev.roomdeck.signal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** One signalling message on the wire: {@code {"type": name, "data": {...}, "id": optional}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(String type, Object data, JsonNode id) {
}
