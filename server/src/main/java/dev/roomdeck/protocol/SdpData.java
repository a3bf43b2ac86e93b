package dev.roomdeck.protocol;

/** Data of joined, answer and offer (server → client): an SDP and the room as it is now. */
public record SdpData(String sdp, RoomMeta room) {
}
