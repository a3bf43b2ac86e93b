package dev.roomdeck.room;

import java.time.Instant;

/** One person in a room's lobby: who, from where, since when, and how to tell them the decision. */
public record Knock(String knockId, String userId, String name, String address, Instant since, Lobbyist lobbyist) {
}
