package dev.roomdeck.signal;

/** WebSocket close codes the server uses; documented in docs/protocol.md. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int SHUTDOWN = 1001;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int KICKED = 4001;
    public static final int REPLACED = 4002;
    public static final int TIMEOUT = 4003;
    public static final int ABUSE = 4008;

    private CloseCodes() {
    }

    static int forReason(String reason) {
        return switch (reason) {
            case "kicked" -> KICKED;
            case "replaced" -> REPLACED;
            case "shutdown", "restart" -> SHUTDOWN;
            case "timeout" -> TIMEOUT;
            default -> NORMAL;
        };
    }
}
