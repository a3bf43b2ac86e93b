package dev.roomdeck.protocol;

/** Data of streamAdded: the stream the server now forwards. */
public record StreamAddedData(String msid) {
}
