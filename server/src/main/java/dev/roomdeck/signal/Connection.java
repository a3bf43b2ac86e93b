package dev.roomdeck.signal;

/** One client connection as the signalling session sees it: a WebSocket today, Socket.IO later. */
public interface Connection {
    /** Queues a text message; never blocks. */
    void sendText(String text);

    /** Closes with a WebSocket close code after queued messages are sent. */
    void close(int code, String reason);

    String remoteAddress();
}
