package dev.roomdeck.auth;

import dev.roomdeck.config.ServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What RTCEngine SDKs read from a token besides room, user and appkey: they {@code jwtDecode} it, hand
 * {@code wsUrl} to socket.io-client and {@code iceServers}/{@code iceTransportPolicy} to RTCPeerConnection.
 *
 * @param wsUrl              the server's base URL as the token's user reaches it, http(s)://host[:port] without a path
 * @param iceServers         STUN/TURN servers, as RTCConfiguration.iceServers (empty: none needed on a LAN)
 * @param iceTransportPolicy "all" or "relay"
 */
public record SdkClaims(String wsUrl, List<ServerConfig.IceServer> iceServers, String iceTransportPolicy) {
    public SdkClaims {
        iceServers = List.copyOf(iceServers);
    }

    /** The claims, in the shape RTCConfiguration takes (username and credential only where set). */
    Map<String, Object> claims() {
        List<Map<String, Object>> servers = new ArrayList<>();
        for (ServerConfig.IceServer s : iceServers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("urls", s.urls());
            if (s.username() != null) {
                m.put("username", s.username());
            }
            if (s.credential() != null) {
                m.put("credential", s.credential());
            }
            servers.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wsUrl", wsUrl);
        out.put("iceServers", servers);
        out.put("iceTransportPolicy", iceTransportPolicy);
        return out;
    }
}
