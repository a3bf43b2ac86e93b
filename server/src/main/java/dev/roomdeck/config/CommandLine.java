package dev.roomdeck.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command-line flags. Every field is nullable: a flag given overrides the file, a flag absent leaves it.
 * The same names (without dashes, camel-cased) work as keys in the JSON config file; see {@link ConfigFile}.
 */
@Command(name = "roomdeck", mixinStandardHelpOptions = true, version = "RoomDeck 0.1.0",
        sortOptions = false, usageHelpWidth = 110,
        description = {"RoomDeck: a WebRTC meeting server (SFU) for one meeting-room PC.",
                "Browsers on the LAN open http://<this-pc>:<http-port>/ to join a room.",
                "Settings come from the embedded defaults, then --config FILE (JSON), then these flags."})
public final class CommandLine {

    @Option(names = "--headless", description = "Run without the console window (the server jar is always headless).")
    public boolean headless;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON configuration file; its keys are the flag names in camelCase (httpPort, bind, ...).")
    public Path config;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on for HTTP and media. Default: 0.0.0.0 (all interfaces). "
                    + "Use 127.0.0.1 to keep the server on this PC.")
    public String bind;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "HTTP port for the web client, WebSocket (/ws), token API and /health. Default: 7080; 0 = any free port.")
    public Integer httpPort;

    @Option(names = "--https-port", paramLabel = "PORT",
            description = "HTTPS port: the same web client, WebSocket (wss://.../ws), token API and /health over TLS, "
                    + "which LAN browsers need for camera and microphone. Default: 7443 (any free port when "
                    + "--http-port is 0); 0 = any free port.")
    public Integer httpsPort;

    @Option(names = "--media-port", paramLabel = "PORT",
            description = "The one port number all peers' media share: UDP, and TCP for networks that block UDP (see "
                    + "--ice-tcp). Default: 10000; 0 = any free port.")
    public Integer mediaPort;

    @Option(names = "--ice-tcp", negatable = true, fallbackValue = "true", arity = "0..1",
            description = "Also accept ICE over TCP on the media port number, for networks that block UDP (default: on). "
                    + "Peers use it only when no UDP path works.")
    public Boolean iceTcp;

    @Option(names = "--forwarding-threads", paramLabel = "N",
            description = "Threads that send forwarded media to subscribers. Default: 0 = half the cores (on two or "
                    + "three cores the media thread sends itself).")
    public Integer forwardingThreads;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of the admin listener that serves /metrics (Prometheus text format). Default: 7090; "
                    + "0 = any free port; -1 = off.")
    public Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS",
            description = "Address of the /metrics listener. Default: 127.0.0.1 (this PC only); 0.0.0.0 lets the "
                    + "network read the figures.")
    public String metricsBind;

    @Option(names = "--media-address", paramLabel = "ADDRESS",
            description = "Address announced to browsers as an ICE host candidate (repeatable). Default: the bind "
                    + "address, or every LAN address of this PC when bound to 0.0.0.0.")
    public List<String> mediaAddresses;

    @Option(names = "--announce-address", paramLabel = "ADDRESS",
            description = "Public address of a 1:1 NAT in front of this PC, announced as an extra candidate.")
    public String announcedAddress;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder for generated secrets and settings. Default: the OS's per-user data folder "
                    + "(~/.local/share/roomdeck on Linux).")
    public Path dataDir;

    @Option(names = "--web-root", paramLabel = "DIR",
            description = "Serve the web client from this folder instead of the bundled one (for client development).")
    public Path webRoot;

    @Option(names = "--tls-certificate", paramLabel = "FILE",
            description = "Your own HTTPS certificate: PKCS#12 (.p12/.pfx, with --tls-password) or PEM (certificate "
                    + "chain; the key in --tls-key or in the same file). Default: a certificate for this PC's "
                    + "names and addresses, issued by RoomDeck's own local CA (devices trust it once from "
                    + "http://<this-pc>:<http-port>/trust); both kept in the data folder (tls/).")
    public Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of a PEM --tls-certificate (PKCS#8, PKCS#1 or SEC1).")
    public Path tlsKey;

    @Option(names = "--tls-password", paramLabel = "PASSWORD",
            description = "Password of a PKCS#12 --tls-certificate or of an encrypted PEM --tls-key.")
    public String tlsPassword;

    @Option(names = "--http-redirect", negatable = true, fallbackValue = "true", arity = "0..1",
            description = "Redirect plain-HTTP page requests from other machines to HTTPS (default: on). "
                    + "/health, /api and /ws answer on both; requests from this PC are never redirected.")
    public Boolean httpRedirect;

    @Option(names = "--token-endpoint", negatable = true, fallbackValue = "true", arity = "0..1",
            description = "Issue tokens at POST /api/generateToken to anyone on the network (default: on). "
                    + "--no-token-endpoint leaves token issuing to your application server.")
    public Boolean tokenEndpoint;

    @Option(names = "--appkey", paramLabel = "NAME=SECRET",
            description = "An appkey and its HS256 secret (at least 32 characters; repeatable). The appkey "
                    + "'default' gets a generated secret, kept in the data folder, unless given here.")
    public Map<String, String> appKeys;

    @Option(names = "--allowed-origins", paramLabel = "ORIGIN", split = ",",
            description = "Browser origins whose pages may get tokens (CORS) and open /ws and /socket.io/, comma-separated: "
                    + "exact origins (https://app.example.com:8443), 'lan' (pages served from this LAN) or '*' (any "
                    + "site). Default: lan. The server's own pages are always allowed; clients that send no Origin "
                    + "(app servers, native SDKs) are not affected.")
    public List<String> allowedOrigins;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The server's URL as browsers reach it (http(s)://host[:port], no path), put in tokens "
                    + "as wsUrl for RTCEngine SDKs. Default: the scheme and host the token request came to.")
    public String publicUrl;

    @Option(names = "--ice-transport-policy", paramLabel = "all|relay",
            description = "Put in tokens for RTCEngine SDKs: 'relay' makes them use only the TURN servers of the "
                    + "config file's iceServers. Default: all.")
    public String iceTransportPolicy;

    @Option(names = "--token-ttl", paramLabel = "SECONDS",
            description = "Lifetime of tokens from the token endpoint. Default: 86400.")
    public Long tokenTtlSeconds;

    @Option(names = "--default-bitrate", paramLabel = "KBPS",
            description = "Video bitrate cap for streams published without addStream's bitrate. Default: 1500.")
    public Integer defaultBitrateKbps;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES",
            description = "Largest signalling message accepted; larger closes the connection with code 1009. Default: 262144.")
    public Integer maxMessageBytes;

    @Option(names = "--max-messages-per-second", paramLabel = "N",
            description = "Signalling messages per second per connection before 'rate-limited' errors. Default: 50.")
    public Integer maxMessagesPerSecond;

    @Option(names = "--max-peers-per-room", paramLabel = "N", description = "Peers per room. Default: 32.")
    public Integer maxPeersPerRoom;

    @Option(names = "--max-rooms", paramLabel = "N", description = "Rooms open at once. Default: 64.")
    public Integer maxRooms;

    @Option(names = "--offer-timeout", paramLabel = "MILLIS",
            description = "An unanswered server offer counts as applied after this long. Default: 10000.")
    public Long offerTimeoutMillis;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Close a signalling connection silent for this long. Default: 60.")
    public Integer idleTimeoutSeconds;

    @Option(names = "--consent-timeout", paramLabel = "SECONDS",
            description = "Remove a peer whose media (RTP, RTCP, ICE consent checks) went silent this long. Default: 30.")
    public Integer consentTimeoutSeconds;
}
