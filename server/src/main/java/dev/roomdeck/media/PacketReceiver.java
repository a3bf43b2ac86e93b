package dev.roomdeck.media;

/**
 * Decrypted media from one transport. Called on the transport's receive thread; the buffer is reused as soon as
 * the call returns, so copy what you keep. Do not block here: it stalls this peer's receive path.
 */
public interface PacketReceiver {
    void onRtp(byte[] buf, int off, int len);

    void onRtcp(byte[] buf, int off, int len);
}
