package dev.roomdeck.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A stream as the protocol's peer_meta lists it: {@code {id: msid, bitrate, attributes}}. */
public record StreamMeta(String id, int bitrate, JsonNode attributes) {
}
