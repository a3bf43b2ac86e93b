package dev.roomdeck.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** The JSON config file: the same settings as the flags, each optional. Unknown keys are refused. */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ConfigFile(
        String bind, Integer httpPort, Integer mediaPort, List<String> mediaAddresses, String announcedAddress,
        String dataDir, String webRoot, Boolean tokenEndpoint, Map<String, String> appKeys, Long tokenTtlSeconds,
        Integer defaultBitrateKbps, Integer maxMessageBytes, Integer maxMessagesPerSecond, Integer maxPeersPerRoom,
        Integer maxRooms, Long offerTimeoutMillis, Integer idleTimeoutSeconds) {
}
