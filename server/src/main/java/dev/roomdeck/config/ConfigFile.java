package dev.roomdeck.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON config file: the same settings as the flags, each optional. Unknown keys are refused. The console's
 * settings store writes this same format ({@code <dataDir>/roomdeck.json}); unset keys are left out.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigFile(
        String bind, Integer httpPort, Integer httpsPort, Integer mediaPort, List<String> mediaAddresses,
        String announcedAddress, String dataDir, String webRoot, Boolean tokenEndpoint, Map<String, String> appKeys,
        Long tokenTtlSeconds, Integer defaultBitrateKbps, Integer maxMessageBytes, Integer maxMessagesPerSecond,
        Integer maxPeersPerRoom, Integer maxRooms, Long offerTimeoutMillis, Integer idleTimeoutSeconds,
        Integer consentTimeoutSeconds, String tlsCertificate, String tlsKey, String tlsPassword,
        Boolean httpRedirect,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> allowedOrigins, String publicUrl, List<IceServer> iceServers,
        String iceTransportPolicy, Boolean iceTcp, String metricsBind, Integer metricsPort, Integer forwardingThreads) {

    /**
     * One STUN/TURN server as RTCConfiguration.iceServers writes it: {@code urls} is a string or a list of them.
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IceServer(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> urls,
                            String username, String credential) {
    }

    /** A file without any setting. */
    public static ConfigFile empty() {
        return new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
