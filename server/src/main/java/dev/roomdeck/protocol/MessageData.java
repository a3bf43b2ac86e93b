package dev.roomdeck.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** Data of a relayed message: what the sender sent, and {@code from}, the sender's peer id ("operator" from the console). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageData(JsonNode data, String from) {
}
