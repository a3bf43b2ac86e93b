package dev.roomdeck.sdp;
public record TransportDescription(String iceUfrag, String icePwd, String fingerprintAlgorithm, String fingerprint, String setup) {}
