package dev.roomdeck.protocol;

/** Data of peerConnected and peerRemoved. */
public record PeerData(PeerMeta peer) {
}
