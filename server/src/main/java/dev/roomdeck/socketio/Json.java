package dev.roomdeck.socketio;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string quoting for the few fixed packets written by hand. */
final class Json {
    private Json() {
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
