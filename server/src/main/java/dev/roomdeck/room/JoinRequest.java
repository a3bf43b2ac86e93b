package dev.roomdeck.room;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a join asks for.
 *
 * @param answersOffers the client said it answers server offers (join's {@code answersOffers})
 * @param attributes    the peer's own attributes (join's, echoed in its peer_meta); null when it gave none
 * @param pin           the room PIN the person typed; null when none
 * @param speakerEvents the client asked for {@code speaker} messages (join's {@code events})
 */
public record JoinRequest(String roomId, String peerId, boolean planB, boolean answersOffers, String offerSdp,
                          JsonNode attributes, String pin, boolean speakerEvents) {

    /** The name the person typed ({@code attributes.name}), else the user id. */
    String displayName() {
        return attributes != null && attributes.path("name").isTextual() && !attributes.path("name").asText().isBlank()
                ? attributes.path("name").asText() : peerId;
    }
}
