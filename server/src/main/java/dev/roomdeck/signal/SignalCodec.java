package dev.roomdeck.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** JSON ↔ envelopes. Bounded nesting and string sizes so a hostile message costs little to refuse. */
public final class SignalCodec {
    static final int MAX_NESTING = 32;

    private final ObjectMapper mapper;

    public SignalCodec(int maxMessageBytes) {
        mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxStringLength(maxMessageBytes)
                .maxNumberLength(64)
                .build());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ClientMessage decode(String text) throws SignalException {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SignalException("bad-json", "the message is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SignalException("bad-envelope", "a message must be a JSON object {\"type\": ..., \"data\": {...}}");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw new SignalException("bad-envelope", "the message has no \"type\" string");
        }
        JsonNode id = root.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
            throw new SignalException("bad-envelope", "\"id\" must be a string or an integer");
        }
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            data = mapper.createObjectNode();
        } else if (!data.isObject()) {
            throw new SignalException("bad-envelope", "\"data\" must be a JSON object");
        }
        return new ClientMessage(type.asText(), data, id);
    }

    public String encode(String type, Object data, JsonNode id) {
        try {
            return mapper.writeValueAsString(new Envelope(type, data, id));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type, e);
        }
    }

    /** Reads the request id from text that failed to decode, so even a bad message's error can echo it. */
    public JsonNode bestEffortId(String text) {
        try {
            JsonNode root = mapper.readTree(text);
            JsonNode id = root == null ? null : root.get("id");
            return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
