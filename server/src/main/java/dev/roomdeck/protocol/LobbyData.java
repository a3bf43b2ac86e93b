package dev.roomdeck.protocol;

/** Data of lobby (extension): the join waits for the operator; a sentence for the person. */
public record LobbyData(String room, String message) {
}
