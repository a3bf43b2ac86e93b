package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads typed fields out of a message's data, refusing missing or wrongly typed ones by name. */
final class Fields {
    static final int MAX_ID_LENGTH = 128;

    private Fields() {
    }

    static String text(JsonNode obj, String where, String name) throws SignalException {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            throw new SignalException("invalid-field", where + "." + name + " is required");
        }
        if (!n.isTextual()) {
            throw new SignalException("invalid-field", where + "." + name + " must be a string");
        }
        return n.asText();
    }

    /** A room, user, msid or appkey: a non-empty string of at most 128 characters without control characters. */
    static String name(JsonNode obj, String where, String name) throws SignalException {
        String s = text(obj, where, name);
        if (s.isEmpty() || s.length() > MAX_ID_LENGTH || s.chars().anyMatch(Character::isISOControl)) {
            throw new SignalException("invalid-field", where + "." + name
                    + " must be 1 to " + MAX_ID_LENGTH + " characters without control characters");
        }
        return s;
    }

    static Boolean optBool(JsonNode obj, String where, String name) throws SignalException {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new SignalException("invalid-field", where + "." + name + " must be true or false");
        }
        return n.booleanValue();
    }

    static Integer optInt(JsonNode obj, String where, String name, int min, int max) throws SignalException {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw new SignalException("invalid-field", where + "." + name + " must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }

    static JsonNode object(JsonNode obj, String where, String name) throws SignalException {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            throw new SignalException("invalid-field", where + "." + name + " is required");
        }
        if (!n.isObject()) {
            throw new SignalException("invalid-field", where + "." + name + " must be an object");
        }
        return n;
    }
}
