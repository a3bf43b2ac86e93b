package dev.roomdeck.sdp;
import java.util.List;
public record LocalTransport(String iceUfrag, String icePwd, String fingerprintAlgorithm, String fingerprint, List<String> candidates) {}
