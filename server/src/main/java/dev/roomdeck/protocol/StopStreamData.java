package dev.roomdeck.protocol;

/** Data of stopStream (extension): which of the client's streams was stopped, by whom, and a sentence for the person. */
public record StopStreamData(String msid, String by, String message) {
}
